import { frameScale, IDENTITY_SCALE, rescaleBox, rescalePolygon } from './rescale';

describe('rescale', () => {
  it.each([
    { name: 'same size: identity', from: { width: 640, height: 360 }, to: { width: 640, height: 360 }, want: IDENTITY_SCALE },
    { name: 'decoded 640x360 -> calibration 1280x720', from: { width: 640, height: 360 }, to: { width: 1280, height: 720 }, want: { sx: 2, sy: 2 } },
    { name: 'anisotropic', from: { width: 100, height: 100 }, to: { width: 50, height: 200 }, want: { sx: 0.5, sy: 2 } },
  ])('$name', ({ from, to, want }) => {
    const s = frameScale(from, to);
    expect(s).toEqual(want);
    expect(rescaleBox({ x1: 10, y1: 10, x2: 20, y2: 30 }, s)).toEqual({ x1: 10 * want.sx, y1: 10 * want.sy, x2: 20 * want.sx, y2: 30 * want.sy });
    expect(rescalePolygon([], s)).toEqual([]);
    expect(rescalePolygon([[4, 8]], s)).toEqual([[4 * want.sx, 8 * want.sy]]);
  });
});
