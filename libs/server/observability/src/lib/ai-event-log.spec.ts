import { AI_ERROR_REPEAT_MS, inferenceTransition, type InferenceWatchState } from './ai-event-log';

const start: InferenceWatchState = { failedJobs: 0, jobs: 0, failing: false, lastWrittenAt: null };

describe('inferenceTransition', () => {
  it('nothing happened -> nothing written', () => {
    expect(inferenceTransition(start, { failedJobs: 0, jobs: 0 }, 0).entry).toBeNull();
  });

  it('failures -> one error row per window, then a recovery row', () => {
    const steps: [number, number, number, string | null][] = [
      // failedJobs, jobs, now, expected action
      [0, 10, 1_000, null],
      [3, 13, 11_000, 'ai.inference_error'],
      [6, 16, 21_000, null],
      [9, 19, 11_000 + AI_ERROR_REPEAT_MS, 'ai.inference_error'],
      [9, 25, 81_000, 'ai.inference_recovered'],
      [9, 30, 91_000, null],
      [10, 31, 101_000, 'ai.inference_error'],
    ];
    let state = start;
    for (const [failedJobs, jobs, now, action] of steps) {
      const r = inferenceTransition(state, { failedJobs, jobs, lastError: 'onnx: out of memory' }, now);
      state = r.state;
      expect(r.entry?.action ?? null).toBe(action);
    }
  });
});
