import type { TrackedPerson } from '@crowdsafe/contracts';
import { alertOverlaySvg } from './alert-snapshot';
import { annotationProblem, annotationSettingsOf, boxColor, boxLabel, DEFAULT_ANNOTATION, directionArrow, NEUTRAL_COLOR, RISK_COLORS } from './annotation';
import { overlaySvg } from './live-frame-encoder';

const box = { x1: 100, y1: 100, x2: 120, y2: 160 };
const track = (vx: number, vy: number): TrackedPerson => ({ id: 7, box, score: 0.874, timeSinceUpdate: 0, velocity: { vx, vy } });

describe('annotation (spec 6.4)', () => {
  it.each<[unknown, string | null]>([
    [undefined, null],
    [null, null],
    [{}, null],
    [{ riskColors: false, confidence: true, arrows: false }, null],
    ['on', 'settings.annotation must be an object { riskColors?, confidence?, arrows? }'],
    [{ confidence: 'yes' }, 'settings.annotation.confidence must be true or false'],
    [{ colours: true }, 'settings.annotation.colours: unknown field (riskColors, confidence, arrows)'],
  ])('annotationProblem(%j) -> %s', (raw, problem) => expect(annotationProblem(raw)).toBe(problem));

  it('settings: defaults for absent or invalid, merged when valid', () => {
    expect(annotationSettingsOf({})).toEqual(DEFAULT_ANNOTATION);
    expect(annotationSettingsOf({ annotation: { confidence: 1 } })).toEqual(DEFAULT_ANNOTATION);
    expect(annotationSettingsOf({ annotation: { confidence: true } })).toEqual({ riskColors: true, confidence: true, arrows: true });
  });

  it.each<[Parameters<typeof boxColor>[0], boolean, string]>([
    [null, true, NEUTRAL_COLOR],
    ['SAFE', true, RISK_COLORS.SAFE],
    ['CRITICAL', true, '#dc3545'],
    ['CRITICAL', false, NEUTRAL_COLOR],
  ])('boxColor(%s, riskColors %s) = %s', (level, riskColors, color) => expect(boxColor(level, { ...DEFAULT_ANNOTATION, riskColors })).toBe(color));

  it.each<[{ id?: number; score?: number }, boolean, string]>([
    [{}, true, ''],
    [{ id: 3, score: 0.5 }, false, '#3'],
    [{ id: 3, score: 0.874 }, true, '#3 87%'],
    [{ score: 0.5 }, true, '50%'],
  ])('boxLabel(%j, confidence %s) = %j', (b, confidence, label) => expect(boxLabel(b, confidence)).toBe(label));

  it.each<[{ vx: number; vy: number } | undefined, unknown]>([
    [undefined, null],
    [{ vx: 1, vy: 1 }, null], // < 4 px in 1 s: standing
    [{ vx: 10, vy: 0 }, { x1: 110, y1: 130, x2: 120, y2: 130 }],
    [{ vx: 0, vy: -600 }, { x1: 110, y1: 130, x2: 110, y2: 70 }], // clamped to one box height (60 px)
    [{ vx: Number.NaN, vy: 0 }, null],
  ])('directionArrow(%j)', (velocity, arrow) => expect(directionArrow({ box, ...(velocity ? { velocity } : {}) })).toEqual(arrow));

  it('live overlay: boxes in the risk colour, confidence labels, arrows from the track velocity (px/frame x fps)', () => {
    const svg = overlaySvg({ detections: [], tracks: [track(2, 0)], count: 1, annotation: { level: 'WARNING', settings: { riskColors: true, confidence: true, arrows: true }, fps: 5 } }, 640, 360, 1);
    expect(svg).toContain(`stroke="${RISK_COLORS.WARNING}"`);
    expect(svg).toContain('>#7 87%<');
    expect(svg).toContain('<line x1="110" y1="130" x2="120" y2="130"');
    expect(svg).toContain('marker-end="url(#cs-arrow)"');
    const plain = overlaySvg({ detections: [], tracks: [track(2, 0)], count: 1, annotation: { level: 'WARNING', settings: { riskColors: false, confidence: false, arrows: false }, fps: 5 } }, 640, 360, 1);
    expect(plain).toContain(`stroke="${NEUTRAL_COLOR}"`);
    expect(plain).not.toContain('<line');
    expect(plain).toContain('>#7<');
  });

  it('alert snapshot: boxes in the level colour; red without a level', () => {
    const a = alertOverlaySvg(640, 360, 1, { detections: [], tracks: [track(0, 0)], roi: null, zones: [], annotation: { level: 'CRITICAL', settings: DEFAULT_ANNOTATION, fps: 5 } });
    expect(a).toContain(`stroke="${RISK_COLORS.CRITICAL}"`);
    expect(alertOverlaySvg(640, 360, 1, { detections: [], tracks: [track(0, 0)], roi: null, zones: [] })).toContain('stroke="#ff2d2d"');
  });
});
