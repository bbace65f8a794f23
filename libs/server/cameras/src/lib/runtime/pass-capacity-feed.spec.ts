import type { InferenceJobDone } from '@crowdsafe/server-ai';
import { PassBudgetAllocator } from '@crowdsafe/vision';
import { followMeasuredCapacity } from './pass-capacity-feed';

class Jobs {
  private fn: ((j: InferenceJobDone) => void) | null = null;
  onJob(fn: (j: InferenceJobDone) => void) {
    this.fn = fn;
    return () => (this.fn = null);
  }
  /** `n` back-to-back single-frame jobs of `passes` passes, `ms` each. */
  run(n: number, passes: number, ms: number, t0 = 0) {
    for (let i = 0; i < n; i++) this.fn?.({ frames: 1, passes, startedAt: t0 + i * ms, endedAt: t0 + (i + 1) * ms });
  }
}

describe('followMeasuredCapacity', () => {
  it.each([
    // name, configured total, jobs [n, passes, ms] -> allocator total, grant of each of two 5 fps cameras, shortfall
    ['no jobs: uncapped (2.5 x fps each)', 0, [0, 1, 100], 0, 12.5, false],
    ['20 passes/s measured: 17 shared', 0, [20, 2, 100], 17, 8.5, false],
    ['8 passes/s measured: global passes short', 0, [20, 1, 125], 6.8, 3.4, true],
    ['DETECT_PASS_BUDGET wins over the measurement', 30, [20, 1, 125], 30, 12.5, false],
  ] as const)('%s', (_n, configured, [n, passes, ms], total, grant, shortfall) => {
    const jobs = new Jobs();
    const allocator = new PassBudgetAllocator({ totalPerSecond: configured });
    allocator.request('a', { fps: 5, wanted: 20 });
    allocator.request('b', { fps: 5, wanted: 20 });
    const feed = followMeasuredCapacity(jobs, allocator);
    jobs.run(n, passes, ms);
    expect(allocator.totalPerSecond).toBeCloseTo(total, 6);
    expect(allocator.grant('a')).toBeCloseTo(grant, 6);
    expect(allocator.status('b').shortfall).toBe(shortfall);
    feed.stop();
    jobs.run(50, 1, 10, 10_000); // after stop: ignored
    expect(allocator.totalPerSecond).toBeCloseTo(total, 6);
  });
});
