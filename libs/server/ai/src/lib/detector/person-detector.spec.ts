import { describeDetector, type DetectorInfo } from './person-detector';

const info = (over: Partial<DetectorInfo>): DetectorInfo => ({
  path: '/models/yolo11n.onnx',
  sha256: '',
  inputName: 'images',
  outputName: 'output0',
  inputSize: { width: 640, height: 640 },
  classes: new Array(80).fill('x'),
  personClassId: 0,
  dynamicBatch: true,
  provider: 'cpu',
  ...over,
});

describe('describeDetector', () => {
  it.each([
    [{ classes: [] }, 'yolo11n.onnx (640x640, 0 classes, dynamic batch, cpu)'],
    [{}, 'yolo11n.onnx (640x640, 80 classes, dynamic batch, cpu)'],
    [{ dynamicBatch: false, fixedBatch: 1, provider: 'cuda' as const }, 'yolo11n.onnx (640x640, 80 classes, static batch 1, cuda)'],
    [{ inputSize: { width: 640, height: 384 }, path: 'rel/m.onnx', dynamicBatch: false, fixedBatch: 8 }, 'm.onnx (640x384, 80 classes, static batch 8, cpu)'],
  ])('%p', (over, expected) => {
    expect(describeDetector(info(over))).toBe(expected);
  });
});
