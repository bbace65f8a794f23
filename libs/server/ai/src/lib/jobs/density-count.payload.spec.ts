import { assertDensityCountPayload, densityCountPayloadProblems } from './density-count.payload';

const frame = { key: 'frame:c:1', cameraId: 'c', seq: 1, capturedAt: 1000, width: 1280, height: 720 };
const ok = { cameraId: 'c', frame };

describe('density-count payload validation', () => {
  it.each([
    { name: 'nothing', data: undefined, problems: ['payload: expected an object'] },
    { name: 'an array', data: [], problems: ['payload: expected an object'] },
    { name: 'minimal valid', data: ok, problems: [] },
    { name: 'valid with region, scale and max side', data: { ...ok, region: { x: 0, y: 0, width: 640, height: 360 }, scale: 1.6, maxSide: 2048 }, problems: [] },
    { name: 'no camera', data: { frame }, problems: ['cameraId: expected a non-empty string'] },
    { name: 'no frame', data: { cameraId: 'c' }, problems: ['frame: expected a FrameRef'] },
    { name: "another camera's frame", data: { cameraId: 'd', frame }, problems: ["frame.cameraId: 'c' is not the job's camera 'd'"] },
    {
      name: 'a broken frame reference',
      data: { cameraId: 'c', frame: { key: '', cameraId: 'c', seq: 1.5, capturedAt: 'now', width: 0, height: -1 } },
      problems: ['frame.key: expected a non-empty string', 'frame.seq: expected an integer', 'frame.capturedAt: expected epoch milliseconds', 'frame.width: expected a positive integer', 'frame.height: expected a positive integer'],
    },
    { name: 'region not an object', data: { ...ok, region: [0, 0, 10, 10] }, problems: ['region: expected {x, y, width, height} in pixels'] },
    { name: 'region too small', data: { ...ok, region: { x: 0, y: 0, width: 4, height: 100 } }, problems: ['region: x and y must be >= 0 and width/height >= 8 px'] },
    { name: 'region outside the frame', data: { ...ok, region: { x: 1000, y: 0, width: 640, height: 100 } }, problems: ['region: 640x100+1000+0 is not inside the 1280x720 frame'] },
    { name: 'scale 0', data: { ...ok, scale: 0 }, problems: ['scale: expected a number in (0, 8]'] },
    { name: 'scale 10', data: { ...ok, scale: 10 }, problems: ['scale: expected a number in (0, 8]'] },
    { name: 'max side not an integer', data: { ...ok, maxSide: 1000.5 }, problems: ['maxSide: expected an integer in [64, 8192]'] },
  ])('$name', ({ data, problems }) => {
    expect(densityCountPayloadProblems(data)).toEqual(problems);
  });

  it('assert throws one TypeError listing every problem', () => {
    expect(() => assertDensityCountPayload({ cameraId: '', frame: null })).toThrow(new TypeError('invalid density-count payload: cameraId: expected a non-empty string; frame: expected a FrameRef'));
    expect(assertDensityCountPayload(ok)).toBe(ok);
  });
});
