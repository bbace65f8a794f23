import type { MetricRecord } from '@crowdsafe/server-database';
import type { MetricsSink } from '@crowdsafe/server-metrics';
import type { AlertEventSink } from '@crowdsafe/server-core';
import { alertSinkFor, FencedAlertSink } from './fenced-alert-sink';
import { FencedMetricsSink, metricsSinkFor } from './fenced-metrics-sink';

const CAM = '11111111-1111-4111-8111-111111111111';
const row = (s: number): MetricRecord => ({ cameraId: CAM, time: new Date(s * 1000), count: 1 });

function memorySink(): MetricsSink & { rows: MetricRecord[] } {
  const rows: MetricRecord[] = [];
  return { rows, write: (r) => (rows.push(r), true), flush: async () => rows.length };
}

describe('FencedMetricsSink', () => {
  it('passes rows through while the token it started with is held', async () => {
    const inner = memorySink();
    const sink = new FencedMetricsSink(inner, CAM, 7, () => 7);
    expect(sink.write(row(1))).toBe(true);
    await expect(sink.flush()).resolves.toBe(1);
    expect(inner.rows).toHaveLength(1);
  });

  it('refuses (and counts) rows once the lease is lost or re-taken with another token; warns once', () => {
    const inner = memorySink();
    let held: number | undefined = 7;
    const warn = jest.fn();
    const sink = new FencedMetricsSink(inner, CAM, 7, () => held, warn);
    sink.write(row(1));
    held = undefined;
    expect(sink.write(row(2))).toBe(false);
    held = 9; // taken back later under a newer token: this runtime is stale all the same
    expect(sink.write(row(3))).toBe(false);
    expect(inner.rows.map((r) => r.time.getTime())).toEqual([1000]);
    expect(sink.refused).toBe(2);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('refuses rows of another camera', () => {
    const sink = new FencedMetricsSink(memorySink(), CAM, 1, () => 1);
    expect(sink.write({ ...row(1), cameraId: '22222222-2222-4222-8222-222222222222' })).toBe(false);
  });

  it('metricsSinkFor: no leases (embedded) is the writer itself; leased without a token writes nothing', () => {
    const inner = memorySink();
    expect(metricsSinkFor(inner, CAM, null)).toBe(inner);
    const unleased = metricsSinkFor(inner, CAM, () => undefined);
    expect(unleased.write(row(1))).toBe(false);
    const leased = metricsSinkFor(inner, CAM, () => 3);
    expect(leased.write(row(1))).toBe(true);
  });
});

describe('FencedAlertSink', () => {
  const event = { type: 'opened' } as unknown as Parameters<AlertEventSink['handle']>[0];
  it('passes alert events while the token is held, refuses them after', async () => {
    const handled: unknown[] = [];
    const inner = { handle: async (e: unknown) => void handled.push(e) } as AlertEventSink;
    let held: number | undefined = 4;
    const sink = new FencedAlertSink(inner, CAM, 4, () => held);
    await sink.handle(event);
    held = 5;
    await sink.handle(event);
    expect(handled).toHaveLength(1);
    expect(sink.refused).toBe(1);
    expect(alertSinkFor(inner, CAM, null)).toBe(inner);
  });
});
