import { computeLetterbox } from './letterbox';
import { postprocessYolo } from './yolo-postprocess';

/** [1, 4+2, N] output from [cx, cy, w, h, person, other] rows. */
function output(rows: number[][]): { data: Float32Array; dims: number[] } {
  const n = rows.length;
  const data = new Float32Array(6 * n);
  rows.forEach((r, i) => r.forEach((v, j) => (data[j * n + i] = v)));
  return { data, dims: [1, 6, n] };
}

describe('postprocessYolo', () => {
  // 1280x720 into 640x640: scale 0.5, padY 140.
  const lb = computeLetterbox(1280, 720, 640, 640);
  // numClasses: with N < 4+nc the layout cannot be guessed from the shape alone.
  const opts = { classIds: [0], confidence: 0.25, iou: 0.7, maxDetections: 100, numClasses: 2 };

  it.each([
    { name: 'nothing above the threshold', rows: [[100, 240, 20, 40, 0.1, 0]], expected: [] },
    {
      name: 'a person mapped back to the source frame',
      rows: [[100, 240, 20, 40, 0.5, 0]],
      expected: [{ box: { x1: 180, y1: 160, x2: 220, y2: 240 }, score: 0.5, classId: 0 }],
    },
    {
      name: 'duplicates suppressed, other classes dropped, clamped, boxes in the padding dropped, best first',
      rows: [
        [100, 240, 20, 40, 0.5, 0],
        [101, 241, 20, 40, 0.75, 0],
        [300, 300, 20, 20, 0, 0.9],
        [2, 150, 8, 40, 0.25, 0],
        // Entirely in the top padding band (y < 140): no area once clamped to the frame.
        [300, 60, 20, 20, 0.8, 0],
      ],
      expected: [
        { box: { x1: 182, y1: 162, x2: 222, y2: 242 }, score: 0.75, classId: 0 },
        { box: { x1: 0, y1: 0, x2: 12, y2: 60 }, score: 0.25, classId: 0 },
      ],
    },
  ])('$name', ({ rows, expected }) => {
    const { data, dims } = output(rows);
    expect(postprocessYolo(data, dims, 0, lb, 1280, 720, opts)).toEqual(expected);
  });
});
