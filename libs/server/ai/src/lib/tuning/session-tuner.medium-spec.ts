import '../../testing/ort-jest-realm.test-util';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FidtCounter } from '../dense/fidt-counter';
import { sharedDataDir } from '../../testing/video-frames.test-util';
import { chooseSessionOptions, ortVersion } from './session-tuner';
import type { TuningCacheEntry } from './session-tuning';

// The load-time tuner on the real FIDT model: measures, writes its cache, reuses it, re-measures when a key field changes.
jest.setTimeout(180000);

const FIDT = join(sharedDataDir(process.env.CROWDSAFE_SHARED_DATA), 'models', 'fidt_light_B.onnx');

describe('session tuner on the real FIDT model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-tuning-'));
  const bytes = readFileSync(FIDT);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const model = { bytes, sha256, inputName: 'input', inputDims: [1, 3, 240, 320] };
  const cfg = { cacheDir: dir, forced: {}, maxThreads: 2, runs: 2 };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('measures every candidate once, writes the cache, then reuses it; a changed key field re-measures', async () => {
    const first = await chooseSessionOptions(model, cfg);
    expect(first.source).toBe('measured');
    expect(first.cacheMiss).toBe('no entry');
    expect(first.timings.map((t) => `${t.candidate.level}/${t.candidate.threads}`).sort()).toEqual(
      ['all/1', 'all/2', 'basic/1', 'basic/2', 'disabled/1', 'disabled/2', 'extended/1', 'extended/2'],
    );
    const files = readdirSync(dir);
    expect(files).toEqual([`${sha256.slice(0, 16)}-1x3x240x320-t2.json`]);
    const entry = JSON.parse(readFileSync(join(dir, files[0]), 'utf8')) as TuningCacheEntry;
    expect(entry.key).toMatchObject({ modelSha256: sha256, ortVersion: ortVersion(), inputDims: [1, 3, 240, 320], maxThreads: 2 });
    expect(entry.choice).toEqual(first.choice);

    const again = await chooseSessionOptions(model, cfg);
    expect(again.source).toBe('cache');
    expect(again.choice).toEqual(first.choice);
    expect(again.tuningMs).toBeLessThan(first.tuningMs);

    // The cache says another onnxruntime: invalid, measured again and rewritten.
    writeFileSync(join(dir, files[0]), JSON.stringify({ ...entry, key: { ...entry.key, ortVersion: '0.0.1' } }));
    const stale = await chooseSessionOptions(model, cfg);
    expect(stale.source).toBe('measured');
    expect(stale.cacheMiss).toBe(`onnxruntime 0.0.1 -> ${ortVersion()}`);
    expect((JSON.parse(readFileSync(join(dir, files[0]), 'utf8')) as TuningCacheEntry).key.ortVersion).toBe(ortVersion());

    // A corrupt file only costs a measurement.
    writeFileSync(join(dir, files[0]), '{not json');
    await expect(chooseSessionOptions(model, cfg)).resolves.toMatchObject({ source: 'measured', cacheMiss: 'unreadable entry' });

    // Both dimensions forced: nothing measured, nothing written.
    const forcedDir = join(dir, 'forced');
    await expect(chooseSessionOptions(model, { ...cfg, cacheDir: forcedDir, forced: { level: 'basic', threads: 1 } })).resolves.toMatchObject({ source: 'forced', choice: { level: 'basic', threads: 1 }, timings: [] });
    expect(existsSync(forcedDir)).toBe(false);
  });

  it('FidtCounter.load tunes at load, then starts from the cache, and counts with the chosen session', async () => {
    const cacheDir = join(dir, 'fidt');
    const tuning = { cacheDir, forced: {}, maxThreads: 1, runs: 1, frame: { width: 320, height: 240 } };
    const a = await FidtCounter.load({ modelPath: FIDT, threads: 0, maxSide: 320, tuning });
    const b = await FidtCounter.load({ modelPath: FIDT, threads: 0, maxSide: 320, tuning });
    try {
      expect(a.info.session).toMatchObject({ source: 'measured', threads: 1 });
      expect(b.info.session).toMatchObject({ source: 'cache', level: a.info.session.level, threads: 1 });
      expect(b.info.session.summary).toMatch(/^density model 320x240: graphOptimizationLevel '\w+', 1 intra-op thread \(.*cached choice/);
      const r = await b.count({ width: 320, height: 240, data: new Uint8Array(320 * 240 * 3) });
      expect(r.estimate.count).toBe(0);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
