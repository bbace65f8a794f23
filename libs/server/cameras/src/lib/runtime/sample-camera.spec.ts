import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleCameraLayout } from './sample-camera';

describe('sampleCameraLayout', () => {
  it.each([
    ['an empty object', {}, { calibrationData: null, zones: [], capacity: null, settings: {} }],
    [
      'every field',
      { calibrationData: { manual: { floorAreaM2: 50 } }, zones: [{ id: 'a' }], capacity: 40, analytics: { lines: [] }, detection: { tiling: 'on', confidence: 0.35 } },
      { calibrationData: { manual: { floorAreaM2: 50 } }, zones: [{ id: 'a' }], capacity: 40, settings: { analytics: { lines: [] }, detection: { confidence: 0.35 } } },
    ],
  ])('%s', (_name, raw, expected) => {
    expect(sampleCameraLayout(raw, 'f.json')).toEqual(expected);
  });

  it.each([
    ['not an object', [], 'f.json: expected a JSON object'],
    ['a string calibration', { calibrationData: 'x' }, 'f.json: calibrationData must be an object'],
    ['zones not an array', { zones: {} }, 'f.json: zones must be an array of objects'],
    ['a zero capacity', { capacity: 0 }, 'f.json: capacity must be a positive integer'],
    ['analytics as an array', { analytics: [] }, 'f.json: analytics must be an object'],
    ['a confidence of 1', { detection: { confidence: 1 } }, 'f.json: detection.confidence must be a number between 0 and 1'],
  ])('refuses %s', (_name, raw, message) => {
    expect(() => sampleCameraLayout(raw, 'f.json')).toThrow(message);
  });

  it('reads the shipped hall layout with its confidence but without tiling', () => {
    const path = join(__dirname, '../../../../../../docs/calibration/hall.json');
    const layout = sampleCameraLayout(JSON.parse(readFileSync(path, 'utf8')), path);
    expect(layout.calibrationData).toMatchObject({ frame: { width: 1280, height: 720 } });
    expect(layout.zones.length).toBeGreaterThan(0);
    expect(layout.capacity).toBe(300);
    expect(layout.settings['detection']).toEqual({ confidence: 0.35 });
  });
});
