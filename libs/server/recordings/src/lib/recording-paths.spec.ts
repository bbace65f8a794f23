import { clipPaths, insideRoot } from './recording-paths';

const CAM = '6f1c3a52-2b1e-4c77-9d7e-0a5e3b1c2d3e';
const REC = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';

describe('clipPaths', () => {
  it('puts a clip under clips/<cameraId>/', () => {
    expect(clipPaths(CAM, REC)).toEqual({ mp4: `clips/${CAM}/${REC}.mp4`, thumbnail: `clips/${CAM}/${REC}.jpg`, list: `clips/${CAM}/${REC}.ffconcat` });
  });
  it.each(['', '..', '../etc', `${CAM}/..`, 'x'])('refuses id %p', (bad) => {
    expect(() => clipPaths(bad, REC)).toThrow(/uuids/);
    expect(() => clipPaths(CAM, bad)).toThrow(/uuids/);
  });
});

describe('insideRoot', () => {
  it.each([
    [null, null],
    ['', null],
    ['/etc/passwd', null],
    ['../x', null],
    ['clips/../../x', null],
    ['clips/a\0b', null],
    ['.', null],
    ['clips/a/b.mp4', '/data/recordings/clips/a/b.mp4'],
    ['clips/../segments/x.ts', '/data/recordings/segments/x.ts'],
  ])('%p -> %p', (rel, expected) => {
    expect(insideRoot('/data/recordings', rel)).toBe(expected);
  });
});
