import { backoffDelay } from './backoff';
import { CircuitBreaker, type BreakerState } from './circuit-breaker';

type Step = { at: number; op: 'acquire' | 'ok' | 'fail' | 'failProbe' | 'okProbe'; expect?: BreakerState; allowed?: boolean; probe?: boolean };

describe('CircuitBreaker (threshold 3, cool-off 1000 ms)', () => {
  it.each<{ name: string; steps: Step[] }>([
    { name: 'no traffic: closed', steps: [{ at: 0, op: 'acquire', allowed: true, probe: false, expect: 'closed' }] },
    {
      name: 'failures below the threshold keep it closed; a success resets the count',
      steps: [
        { at: 0, op: 'fail', expect: 'closed' },
        { at: 1, op: 'fail', expect: 'closed' },
        { at: 2, op: 'ok', expect: 'closed' },
        { at: 3, op: 'fail' },
        { at: 4, op: 'fail', expect: 'closed' },
        { at: 5, op: 'acquire', allowed: true, probe: false },
      ],
    },
    {
      name: 'N consecutive failures open it; sends are refused during the cool-off',
      steps: [
        { at: 0, op: 'fail' },
        { at: 1, op: 'fail' },
        { at: 2, op: 'fail', expect: 'open' },
        { at: 500, op: 'acquire', allowed: false, expect: 'open' },
        { at: 1001, op: 'acquire', allowed: false, expect: 'open' },
      ],
    },
    {
      name: 'after the cool-off exactly one probe goes through; its success closes it',
      steps: [
        { at: 0, op: 'fail' },
        { at: 0, op: 'fail' },
        { at: 0, op: 'fail', expect: 'open' },
        { at: 1000, op: 'acquire', allowed: true, probe: true, expect: 'half_open' },
        { at: 1001, op: 'acquire', allowed: false },
        { at: 1002, op: 'okProbe', expect: 'closed' },
        { at: 1003, op: 'acquire', allowed: true, probe: false },
      ],
    },
    {
      name: 'a failed probe re-opens it for another cool-off',
      steps: [
        { at: 0, op: 'fail' },
        { at: 0, op: 'fail' },
        { at: 0, op: 'fail' },
        { at: 1000, op: 'acquire', allowed: true, probe: true },
        { at: 1100, op: 'failProbe', expect: 'open' },
        { at: 2000, op: 'acquire', allowed: false },
        { at: 2100, op: 'acquire', allowed: true, probe: true },
      ],
    },
    {
      name: 'late failures of sends started before it opened do not extend the cool-off',
      steps: [
        { at: 0, op: 'fail' },
        { at: 0, op: 'fail' },
        { at: 0, op: 'fail' },
        { at: 900, op: 'fail', expect: 'open' },
        { at: 1000, op: 'acquire', allowed: true, probe: true },
      ],
    },
  ])('$name', ({ steps }) => {
    const b = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000 });
    for (const s of steps) {
      if (s.op === 'acquire') {
        const p = b.acquire(s.at);
        if (s.allowed !== undefined) expect({ at: s.at, allowed: p.allowed }).toEqual({ at: s.at, allowed: s.allowed });
        if (s.probe !== undefined && p.allowed) expect(p.probe).toBe(s.probe);
      } else if (s.op === 'ok' || s.op === 'okProbe') b.success();
      else b.failure(s.at, s.op === 'failProbe');
      if (s.expect) expect({ at: s.at, state: b.state(s.at) }).toEqual({ at: s.at, state: s.expect });
    }
  });

  it.each([
    { name: 'zero threshold', opts: { failureThreshold: 0, cooldownMs: 1 } },
    { name: 'negative cool-off', opts: { failureThreshold: 1, cooldownMs: -1 } },
  ])('rejects $name', ({ opts }) => {
    expect(() => new CircuitBreaker(opts)).toThrow(RangeError);
  });
});

describe('backoffDelay (base 1000, max 10000)', () => {
  it.each([
    { attemptsMade: 0, delay: 0 },
    { attemptsMade: 1, delay: 1000 },
    { attemptsMade: 2, delay: 2000 },
    { attemptsMade: 3, delay: 4000 },
    { attemptsMade: 4, delay: 8000 },
    { attemptsMade: 5, delay: 10000 },
    { attemptsMade: 500, delay: 10000 },
    { attemptsMade: Number.NaN, delay: 0 },
  ])('after $attemptsMade failed attempts waits $delay ms', ({ attemptsMade, delay }) => {
    expect(backoffDelay(attemptsMade, 1000, 10000)).toBe(delay);
  });
});
