import { CrowdAnalyzer } from './analyzer';
import { calibrateHomography } from './calibration';
import { flowArrowsInImage } from './drawing';
import type { FrameAnalytics, GroundGridSnapshot } from './types';
import { lattice, personBox, pinholeCamera, SURVEY_POINTS, track } from '../testing/synthetic';

const cam = pinholeCamera();
const r = calibrateHomography({ frame: { width: 1920, height: 1080 }, points: SURVEY_POINTS.map((w) => ({ world: w, image: cam.project(w[0], w[1], 0) })) });
if (!r.ok) throw new Error();
const cal = r.value;

describe('flowArrowsInImage', () => {
  it('empty grid: no arrows', () => {
    const a = new CrowdAnalyzer({ cameraId: 'c', calibration: cal });
    const g = a.update({ timestampMs: 0, tracks: [] }).grid as GroundGridSnapshot;
    expect(flowArrowsInImage(g, cal)).toEqual([]);
  });

  it('a crowd moving along +X draws arrows pointing right on screen, at its speed', () => {
    const a = new CrowdAnalyzer({ cameraId: 'c', calibration: cal });
    const pos = lattice(100, 0.6, 0, 6);
    let out: FrameAnalytics | null = null;
    for (let k = 0; k <= 15; k++) {
      out = a.update({ timestampMs: k * 100, tracks: pos.map(([x, y], i) => track(i, personBox(cam, x + 0.1 * k, y))) });
    }
    const arrows = flowArrowsInImage((out as FrameAnalytics).grid as GroundGridSnapshot, cal, { minDensity: 1 });
    expect(arrows.length).toBeGreaterThan(0);
    for (const ar of arrows) {
      expect(ar.to[0]).toBeGreaterThan(ar.from[0]);
      expect(Math.abs(ar.to[1] - ar.from[1])).toBeLessThan(1);
      expect(ar.speedMps).toBeCloseTo(1, 6);
    }
  });
});
