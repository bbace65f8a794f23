import type { TrackedPerson } from '@crowdsafe/contracts';
import { type LiveOverlay, overlaySvg } from './live-frame-encoder';

const track = (id: number, x1: number): TrackedPerson => ({ id, box: { x1, y1: 10, x2: x1 + 20, y2: 50 }, score: 0.9, velocity: { vx: 0, vy: 0 } }) as unknown as TrackedPerson;
const base: LiveOverlay = { detections: [], tracks: [], count: 0 };

describe('overlaySvg', () => {
  it.each<{ name: string; overlay: LiveOverlay; scale: number; has: string[]; hasNot: string[] }>([
    { name: 'empty: only the count', overlay: base, scale: 1, has: ['>count 0<'], hasNot: ['<rect', '<polygon'] },
    {
      name: 'tracks: boxes scaled to the live frame, with ids',
      overlay: { ...base, tracks: [track(7, 100)], count: 1 },
      scale: 0.5,
      has: ['<rect x="50" y="5" width="10" height="20"', '>#7<', '>count 1<'],
      hasNot: ['<polygon'],
    },
    {
      name: 'detections without tracks: boxes, no ids',
      overlay: { ...base, detections: [{ box: { x1: 0, y1: 0, x2: 10, y2: 10 }, score: 0.8, classId: 0 } as never] },
      scale: 1,
      has: ['<rect x="0" y="0" width="10" height="10"'],
      hasNot: ['>#'],
    },
    {
      name: 'zones: outline scaled from the calibration frame, name escaped',
      overlay: { ...base, zones: { frame: { width: 1920, height: 1080 }, polygons: [{ name: 'Gate <A> & "B"', polygon: [[0, 0], [1920, 0], [960, 1080]] }] } },
      scale: 0.5,
      has: ['<polygon points="0,0 960,0 480,540"', 'Gate &#60;A&#62; &#38; &#34;B&#34;'],
      hasNot: ['<A>'],
    },
  ])('$name', ({ overlay, scale, has, hasNot }) => {
    const svg = overlaySvg(overlay, 960, 540, scale);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="960" height="540">')).toBe(true);
    for (const s of has) expect(svg).toContain(s);
    for (const s of hasNot) expect(svg).not.toContain(s);
  });
});
