import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveCameraAnalytics } from '@crowdsafe/pipeline';
import { frameSlot, parseAnalyzeArgs, parseCameraConfig, parseCameraConfigFile } from './options';

describe('parseAnalyzeArgs', () => {
  it.each([
    { name: 'input only', argv: ['v.mp4'], expected: { input: 'v.mp4', autoCalibration: true, help: false } },
    { name: 'every option', argv: ['v.mp4', '--model', 'm.onnx', '--config', 'c.json', '--fps', '5', '--mot', 'o.txt', '--json', 'o.json'], expected: { input: 'v.mp4', model: 'm.onnx', config: 'c.json', fps: 5, mot: 'o.txt', json: 'o.json', autoCalibration: true, help: false } },
    { name: '--flag=value', argv: ['--fps=2.5', 'dir/'], expected: { input: 'dir/', fps: 2.5, autoCalibration: true, help: false } },
    { name: '--max-frames', argv: ['v.mp4', '--max-frames', '25'], expected: { input: 'v.mp4', maxFrames: 25, autoCalibration: true, help: false } },
    { name: 'help', argv: ['--help'], expected: { input: '', autoCalibration: true, help: true } },
    { name: '--no-auto-calibration', argv: ['v.mp4', '--no-auto-calibration'], expected: { input: 'v.mp4', autoCalibration: false, help: false } },
  ])('$name', ({ argv, expected }) => {
    expect(parseAnalyzeArgs(argv)).toEqual(expected);
  });

  it.each([
    { name: 'no input', argv: [], error: /^missing input/ },
    { name: 'two inputs', argv: ['a', 'b'], error: /^exactly one input expected/ },
    { name: 'unknown option', argv: ['a', '--conf', '0.3'], error: /^unknown option --conf/ },
    { name: 'missing value', argv: ['a', '--mot'], error: '--mot needs a value' },
    { name: 'bad fps', argv: ['a', '--fps', 'fast'], error: "--fps must be a number in (0, 240], got 'fast'" },
    { name: 'bad max-frames', argv: ['a', '--max-frames', '2.5'], error: "--max-frames must be a positive integer, got '2.5'" },
  ])('rejects $name', ({ argv, error }) => {
    expect(() => parseAnalyzeArgs(argv)).toThrow(error);
  });
});

describe('parseCameraConfig', () => {
  it.each([
    { name: 'empty object', text: '{}', expected: {} },
    { name: 'detection settings', text: '{"detection":{"confidence":0.25,"roi":[[0,0],[1,0],[1,1]]}}', expected: { confidence: 0.25, roi: [[0, 0], [1, 0], [1, 1]] } },
  ])('$name', ({ text, expected }) => {
    expect(parseCameraConfig(text, 'c.json')).toEqual(expected);
  });

  it.each([
    { name: 'not JSON', text: '{confidence: 1}', error: /^c\.json is not valid JSON: / },
    { name: 'an array', text: '[]', error: /^c\.json must hold a JSON object/ },
    { name: 'unknown top-level keys, with a hint', text: '{"confidence":0.3,"fps":5}', error: "c.json: unknown keys 'confidence', 'fps'; allowed: 'detection', 'analytics', 'calibrationData', 'zones', 'capacity', 'description' (detection settings go under \"detection\")" },
    { name: 'layout without calibration', text: '{"zones":[]}', error: 'c.json: zones, capacity and analytics.lines need a calibrationData' },
    { name: 'unknown analytics key', text: '{"calibrationData":{},"analytics":{"line":[]}}', error: "c.json: analytics has unknown key 'line'; allowed: 'lines'" },
    { name: 'unknown detection key', text: '{"detection":{"conf":0.3}}', error: "c.json: invalid detection settings: detection has unknown key 'conf' (allowed: confidence, iou, maxDetections, tiling, roi, gmc)" },
    { name: 'bad value', text: '{"detection":{"iou":7}}', error: 'c.json: invalid detection settings: detection.iou must be a number in [0.01, 1], got 7' },
  ])('rejects $name', ({ text, error }) => {
    expect(() => parseCameraConfig(text, 'c.json')).toThrow(error);
  });
});

describe('parseCameraConfigFile', () => {
  it('reads the analytics inputs next to the detection settings (docs/calibration/hall.json)', () => {
    const text = readFileSync(join(__dirname, '../../../../docs/calibration/hall.json'), 'utf8');
    const cfg = parseCameraConfigFile(text, 'hall.json');
    expect(cfg.detection).toEqual({ confidence: 0.35 }); // tiling left to the live default ('scheduled'), as on the dashboard
    expect(cfg.analytics).toMatchObject({ capacity: 300, lines: [{ id: 'mid' }], zones: [{ id: 'centre' }] });
    const setup = resolveCameraAnalytics(cfg.analytics ?? {});
    expect(setup.state).toBe('on');
  });

  it('no calibrationData: no analytics', () => {
    expect(parseCameraConfigFile('{"detection":{}}', 'c.json')).toEqual({ detection: {}, analytics: null });
  });
});

describe('frameSlot', () => {
  const slots = (n: number, src: number, fps?: number) => Array.from({ length: n }, (_, i) => frameSlot(i + 1, src, fps));
  it.each([
    { name: 'no --fps: every frame', n: 4, src: 25, fps: undefined, expected: [1, 2, 3, 4] },
    { name: '--fps above the source rate: every frame', n: 3, src: 25, fps: 30, expected: [1, 2, 3] },
    { name: '25 -> 5 fps: every 5th frame', n: 11, src: 25, fps: 5, expected: [1, null, null, null, null, 2, null, null, null, null, 3] },
    { name: '24 -> 10 fps', n: 6, src: 24, fps: 10, expected: [1, null, null, 2, null, 3] },
  ])('$name', ({ n, src, fps, expected }) => {
    expect(slots(n, src, fps)).toEqual(expected);
  });
});
