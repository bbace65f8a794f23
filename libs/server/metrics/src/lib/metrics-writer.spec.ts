import { Logger } from '@nestjs/common';
import type { AppConfig } from '@crowdsafe/server-config';
import type { MetricRecord, MetricsRepository } from '@crowdsafe/server-database';
import { MetricsWriter } from './metrics-writer';

const CAM_A = '11111111-1111-4111-8111-111111111111';
const CAM_B = '22222222-2222-4222-8222-222222222222';
const row = (i: number, cameraId = CAM_A): MetricRecord => ({ cameraId, time: new Date(Date.UTC(2025, 0, 1, 0, 0, i)), count: i });
const config = { metrics: { flushIntervalMs: 1000, retentionDays: 30 } } as AppConfig;

/** An in-memory stand-in for MetricsRepository.insertMany (no I/O): scripted failures, records each batch. */
function fakeRepository(fail: (rows: readonly MetricRecord[]) => unknown = () => undefined) {
  const batches: MetricRecord[][] = [];
  const repo = {
    insertMany: async (rows: readonly MetricRecord[]) => {
      const error = fail(rows);
      if (error) throw error;
      batches.push([...rows]);
      return rows.length;
    },
  };
  return { repo: repo as unknown as MetricsRepository, batches };
}

describe('MetricsWriter', () => {
  beforeAll(() => Logger.overrideLogger(['error']));

  it.each([
    { name: 'nothing enqueued -> nothing written', enqueued: 0, capacity: 10, written: 0, dropped: 0, firstTime: null },
    { name: 'rows go out in one batch', enqueued: 5, capacity: 10, written: 5, dropped: 0, firstTime: 0 },
    { name: 'overflow drops the oldest and counts them', enqueued: 7, capacity: 4, written: 4, dropped: 3, firstTime: 3 },
  ])('$name', async ({ enqueued, capacity, written, dropped, firstTime }) => {
    const { repo, batches } = fakeRepository();
    const writer = new MetricsWriter(config, repo, { capacity });
    for (let i = 0; i < enqueued; i++) writer.enqueue(row(i));
    await expect(writer.flush()).resolves.toBe(written);
    expect(batches).toHaveLength(written ? 1 : 0);
    expect(batches[0]?.[0]?.time.getUTCSeconds() ?? null).toBe(firstTime);
    expect(writer.stats()).toMatchObject({ buffered: 0, written, dropped });
  });

  it.each([
    { name: 'a uuid-less camera id', bad: { ...row(1), cameraId: 'cam-1' } },
    { name: 'a fractional count', bad: { ...row(1), count: 1.5 } },
    { name: 'an invalid date', bad: { ...row(1), time: new Date(NaN) } },
  ])('refuses $name at enqueue', async ({ bad }) => {
    const { repo } = fakeRepository();
    const writer = new MetricsWriter(config, repo);
    expect(writer.enqueue(bad)).toBe(false);
    await expect(writer.flush()).resolves.toBe(0);
    expect(writer.stats()).toMatchObject({ rejected: 1, buffered: 0 });
  });

  it('a failed flush keeps the rows (in order, within the bound) for the next try', async () => {
    let down = true;
    const { repo, batches } = fakeRepository(() => (down ? new Error('connection refused') : undefined));
    const writer = new MetricsWriter(config, repo, { capacity: 5 });
    for (let i = 0; i < 3; i++) writer.enqueue(row(i));
    await expect(writer.flush()).resolves.toBe(0);
    expect(writer.stats()).toMatchObject({ buffered: 3, failedFlushes: 1, lastError: 'connection refused' });
    for (let i = 3; i < 7; i++) writer.enqueue(row(i));
    down = false;
    await expect(writer.flush()).resolves.toBe(5);
    expect(batches[0]?.map((r) => r.count)).toEqual([2, 3, 4, 5, 6]);
    expect(writer.stats()).toMatchObject({ buffered: 0, dropped: 2, written: 5, lastError: null });
  });

  it('rows of a deleted camera are discarded, the others written', async () => {
    const fkError = Object.assign(new Error('violates foreign key constraint'), { code: '23503' });
    const { repo, batches } = fakeRepository((rows) => (rows.some((r) => r.cameraId === CAM_B) ? fkError : undefined));
    const writer = new MetricsWriter(config, repo);
    writer.enqueue(row(1, CAM_A));
    writer.enqueue(row(2, CAM_B));
    writer.enqueue(row(3, CAM_A));
    await expect(writer.flush()).resolves.toBe(2);
    expect(batches.map((b) => b.map((r) => r.count))).toEqual([[1, 3]]);
    expect(writer.stats()).toMatchObject({ buffered: 0, written: 2, orphaned: 1 });
  });

  it('concurrent flushes share one batch', async () => {
    const { repo, batches } = fakeRepository();
    const writer = new MetricsWriter(config, repo);
    writer.enqueue(row(1));
    const [a, b] = await Promise.all([writer.flush(), writer.flush()]);
    expect([a, b]).toEqual([1, 1]);
    expect(batches).toHaveLength(1);
  });
});
