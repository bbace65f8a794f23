import { AutoCalibrationEstimator } from './auto-calibration';
import { applyHomography } from './homography';

const frame = { width: 1280, height: 720 };

/** A person at foot row y (and column x) of a pinhole camera 4.25 m high with the horizon at row -100: h = 0.4 (y + 100). */
const perspectiveBox = (x: number, y: number) => {
  const h = 0.4 * (y + 100);
  return { x1: x - h / 6, y1: y - h, x2: x + h / 6, y2: y };
};

/** n people spread over foot rows [from, to] (deterministic). */
function crowd(n: number, from: number, to: number, box: (x: number, y: number) => { x1: number; y1: number; x2: number; y2: number }) {
  return Array.from({ length: n }, (_, i) => box(100 + ((i * 97) % 1080), from + ((i * 37) % (to - from + 1))));
}

describe('AutoCalibrationEstimator', () => {
  it.each([
    { name: 'no people', boxes: [], estimate: false },
    { name: 'too few samples (100 < 150)', boxes: crowd(100, 250, 700, perspectiveBox), estimate: false },
    { name: 'enough samples but all in one band', boxes: crowd(400, 300, 320, perspectiveBox), estimate: false },
    { name: 'boxes cut by the frame edges are ignored', boxes: crowd(400, 250, 700, (x, y) => ({ x1: x, y1: 0, x2: x + 20, y2: y })), estimate: false },
    { name: 'perspective scene over many rows', boxes: crowd(400, 250, 700, perspectiveBox), estimate: true },
  ])('$name -> estimate: $estimate', ({ boxes, estimate }) => {
    const e = new AutoCalibrationEstimator({ frame });
    for (let i = 0; i < boxes.length; i += 10) e.add(boxes.slice(i, i + 10));
    expect(e.estimate !== null).toBe(estimate);
    if (estimate) expect(e.estimate?.calibration.approximate).toBe(true);
  });

  it('recovers the perspective model: camera height, horizon and the lateral scale at every row', () => {
    const e = new AutoCalibrationEstimator({ frame });
    const boxes = crowd(600, 250, 700, perspectiveBox);
    for (let i = 0; i < boxes.length; i += 10) e.add(boxes.slice(i, i + 10));
    const est = e.estimate;
    expect(est?.fit.model).toBe('perspective');
    expect(est?.fit.cameraHeightM).toBeCloseTo(1.7 / 0.4, 2);
    expect(est?.fit.horizonRow).toBeCloseTo(-100, 0);
    const H = est?.calibration.imageToGround ?? [];
    // At every row a person's box height in px spans 1.7 m laterally.
    for (const y of [300, 500, 700]) {
      const h = 0.4 * (y + 100);
      const p = applyHomography(H, 640, y);
      const q = applyHomography(H, 640 + h, y);
      expect(p && q ? Math.hypot(q[0] - p[0], q[1] - p[1]) : NaN).toBeCloseTo(1.7, 2);
    }
  });

  it('robust to 20 % outliers (half-height sitting people, double boxes)', () => {
    const e = new AutoCalibrationEstimator({ frame });
    const boxes = crowd(1000, 250, 700, (x, y) => {
      const b = perspectiveBox(x, y);
      const k = Math.round(x + y) % 10;
      return k === 0 ? { ...b, y1: y - (y - b.y1) / 2 } : k === 1 ? { ...b, y1: Math.max(2, y - 2 * (y - b.y1)) } : b;
    });
    for (let i = 0; i < boxes.length; i += 10) e.add(boxes.slice(i, i + 10));
    expect(e.estimate?.fit.b).toBeCloseTo(0.4, 1);
    expect(e.estimate?.fit.cameraHeightM).toBeGreaterThan(3.8);
    expect(e.estimate?.fit.cameraHeightM).toBeLessThan(4.7);
  });

  it('a top-down view (same size everywhere) gets one uniform scale: median height / 1.7 m', () => {
    const e = new AutoCalibrationEstimator({ frame });
    const boxes = crowd(400, 100, 700, (x, y) => ({ x1: x - 20, y1: y - 60 - ((x + y) % 7), x2: x + 20, y2: y }));
    for (let i = 0; i < boxes.length; i += 10) e.add(boxes.slice(i, i + 10));
    expect(e.estimate?.fit.model).toBe('uniform');
    expect(e.estimate?.fit.pxPerMAtMid).toBeCloseTo(63 / 1.7, 0);
    expect(e.estimate?.calibration.kind).toBe('scale');
    expect(e.estimate?.calibration.warnings.join(' ')).toMatch(/top-down/);
  });

  it('the sample store is bounded and refits periodically', () => {
    const e = new AutoCalibrationEstimator({ frame, maxSamples: 500, refitEvery: 100 });
    let changes = 0;
    const boxes = crowd(3000, 250, 700, perspectiveBox);
    for (let i = 0; i < boxes.length; i += 10) if (e.add(boxes.slice(i, i + 10))) changes++;
    expect(e.sampleCount).toBe(500);
    expect(changes).toBeGreaterThanOrEqual(25);
    expect(changes).toBeLessThanOrEqual(30);
  });

  it.each([
    { name: 'empty frame', o: { frame: { width: 0, height: 720 } } },
    { name: 'minSamples above maxSamples', o: { frame, maxSamples: 100, minSamples: 200 } },
    { name: 'minBands 1', o: { frame, minBands: 1 } },
    { name: 'hfov 200', o: { frame, hfovDeg: 200 } },
    { name: 'negative person height', o: { frame, personHeightM: -1 } },
  ])('rejects $name', ({ o }) => {
    expect(() => new AutoCalibrationEstimator(o)).toThrow(RangeError);
  });
});
