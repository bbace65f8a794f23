import { StartTrace } from './start-trace';

describe('StartTrace', () => {
  it.each([
    { name: 'nothing marked', marks: [], before: [], want: 'no step yet', offsets: [] },
    {
      name: 'steps in step order, each the first mark',
      marks: [['firstFrame', 1300], ['spawned', 1100], ['spawned', 1900], ['firstSecond', 4000]] as const,
      before: [],
      want: 'spawned +100 ms, firstFrame +300 ms, firstSecond +3000 ms',
      offsets: [{ step: 'spawned', ms: 100 }, { step: 'firstFrame', ms: 300 }, { step: 'firstSecond', ms: 3000 }],
    },
    {
      name: 'with the steps before the runtime',
      marks: [['firstDetection', 1500]] as const,
      before: [{ name: 'record loaded', ms: 12.4 }, { name: 'probe remembered' }],
      want: 'before the runtime: record loaded 12 ms, probe remembered; firstDetection +500 ms',
      offsets: [{ step: 'firstDetection', ms: 500 }],
    },
  ])('$name', ({ marks, before, want, offsets }) => {
    const t = new StartTrace(1000, before);
    for (const [step, at] of marks) t.mark(step, at);
    expect(t.summary()).toBe(want);
    expect(t.offsets()).toEqual(offsets);
  });

  it('mark says whether it marked', () => {
    const t = new StartTrace(0);
    expect(t.has('spawned')).toBe(false);
    expect(t.mark('spawned', 5)).toBe(true);
    expect(t.mark('spawned', 9)).toBe(false);
    expect(t.has('spawned')).toBe(true);
  });
});
