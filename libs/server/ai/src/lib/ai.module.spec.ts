import type { AppConfig } from '@crowdsafe/server-config';
import { intraOpThreads, sessionTuningOf } from './ai.module';

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

describe('sessionTuningOf', () => {
  const cfg = (graphOptimization: AppConfig['inference']['graphOptimization']) => ({ dataDir: '/srv/data', inference: { graphOptimization } }) as AppConfig;
  it.each([
    { name: 'auto, embedded on 2 cores: threads 1..1 measured', c: cfg('auto'), role: 'embedded' as const, threads: 0, cores: 2, forced: {}, maxThreads: 1 },
    { name: 'auto, worker on 8 cores: threads 1..8 measured', c: cfg('auto'), role: 'worker' as const, threads: 0, cores: 8, forced: {}, maxThreads: 8 },
    { name: 'level forced by ONNX_GRAPH_OPTIMIZATION', c: cfg('basic'), role: 'worker' as const, threads: 0, cores: 4, forced: { level: 'basic' }, maxThreads: 4 },
    { name: 'threads forced by the thread setting', c: cfg('auto'), role: 'embedded' as const, threads: 3, cores: 8, forced: { threads: 3 }, maxThreads: 7 },
    { name: 'both forced', c: cfg('all'), role: 'worker' as const, threads: 2, cores: 2, forced: { level: 'all', threads: 2 }, maxThreads: 2 },
  ])('$name', ({ c, role, threads, cores, forced, maxThreads }) => {
    expect(sessionTuningOf(c, role, threads, cores)).toEqual({ cacheDir: '/srv/data/onnx-tuning', forced, maxThreads });
  });
});
