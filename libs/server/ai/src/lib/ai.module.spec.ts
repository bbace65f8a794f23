import { intraOpThreads } from './ai.module';

describe('intraOpThreads', () => {
  it.each([
    { name: 'explicit value wins (embedded)', configured: 3, role: 'embedded' as const, cores: 8, expected: 3 },
    { name: 'explicit value wins (worker)', configured: 2, role: 'worker' as const, cores: 8, expected: 2 },
    { name: 'auto, worker: onnxruntime default', configured: 0, role: 'worker' as const, cores: 8, expected: 0 },
    { name: 'auto, embedded on 2 cores: leave one for ffmpeg', configured: 0, role: 'embedded' as const, cores: 2, expected: 1 },
    { name: 'auto, embedded on 1 core: still 1', configured: 0, role: 'embedded' as const, cores: 1, expected: 1 },
    { name: 'auto, embedded on 8 cores', configured: 0, role: 'embedded' as const, cores: 8, expected: 7 },
  ])('$name', ({ configured, role, cores, expected }) => {
    expect(intraOpThreads(configured, role, cores)).toBe(expected);
  });
});
