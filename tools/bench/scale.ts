// ./crowdsafe bench scale — the distributed mode's two hot paths (issue #12), printed, never asserted:
//   1. metric ingest: per-second rows of C cameras through the MetricsSink the pipelines use (MetricsWriter: bounded
//      buffer, multi-row INSERT ... ON CONFLICT (camera_id, time) DO UPDATE from unnest() arrays) into a scratch PostgreSQL database;
//      rows/s over --rows N (default 300,000; target >= 50,000 rows/s), flushes of --batch rows (default 20,000), once
//      with one statement at a time and once with --parallel statements at once (the writer's default, 4).
//   2. socket.io delivery: 2 api replicas (separate processes, socket.io with the Redis adapter as LiveCluster sets
//      it up) and --clients N socket.io clients (default 500) in --client-procs P processes of their own (default 4;
//      not the publisher's event loop) spread over them, each in every camera's room; a
//      synthetic pipeline publishes metrics_update for --cameras C (default 8) at 1 Hz through the same Redis emitter
//      path for --seconds S (default 20); latency publish -> client receipt, p50/p95/p99 (target p99 <= 100 ms).
// PostgreSQL from PGHOST/PGPORT/PGUSER/PGPASSWORD (default postgres@127.0.0.1:5432), Redis from REDIS_URL
// (default redis://127.0.0.1:6379).
import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { Logger } from '@nestjs/common';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { createAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { ALL_MIGRATIONS } from '@crowdsafe/migrations';
import type { AppConfig } from '@crowdsafe/server-config';
import { createEntities, createScratchDatabase, METRICS_UNNEST_PARALLEL, MetricsRepository } from '@crowdsafe/server-database';
import { MetricsWriter } from '@crowdsafe/server-metrics';
import { camerasBench } from './scale-cameras';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const pct = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const NS = '/live';

interface IngestResult {
  rows: number;
  seconds: number;
  stored: number;
  replayAdded: number;
  replayMs: number;
  dropped: number;
  batches: number;
  largestBatch: number;
}

/** Writes `total` rows of `ids` through one MetricsWriter (statements `parallel` at once), then replays 100 seconds. */
async function ingestRun(ds: DataSource, ids: string[], total: number, batch: number, parallel: number): Promise<IngestResult> {
  await ds.query('TRUNCATE "metrics"');
  const sink = new MetricsWriter({ metrics: { flushIntervalMs: 1000 } } as AppConfig, new MetricsRepository(ds), { capacity: batch * 2, parallel });
  const t0 = Date.UTC(2025, 0, 1);
  let n = 0;
  let inFlight: Promise<number> = Promise.resolve(0);
  const started = performance.now();
  for (let s = 0; n < total; s++) {
    for (const cameraId of ids) {
      sink.write({ cameraId, time: new Date(t0 + s * 1000), count: (s * 7) % 150, countMax: (s * 7) % 150 + 3, density: 1.2, velocity: 0.8, riskScore: 20, riskLevel: 'SAFE', metadata: { frames: 5 } });
      n++;
    }
    // As the pipelines run it: rows keep coming while the previous batch is being written (one flush in flight).
    if (n % batch < ids.length) {
      await inFlight;
      inFlight = sink.flush();
    }
  }
  await inFlight;
  await sink.flush();
  const seconds = (performance.now() - started) / 1000;
  const [before] = (await ds.query('SELECT COUNT(*)::int AS n FROM metrics')) as { n: number }[];
  // Replayed: the same rows again must not add any.
  const replayStart = performance.now();
  for (let s = 0; s < 100; s++) for (const cameraId of ids) sink.write({ cameraId, time: new Date(t0 + s * 1000), count: 1 });
  await sink.flush();
  const replayMs = performance.now() - replayStart;
  const [after] = (await ds.query('SELECT COUNT(*)::int AS n FROM metrics')) as { n: number }[];
  const st = sink.stats();
  return { rows: n, seconds, stored: Number(before?.n), replayAdded: Number(after?.n) - Number(before?.n), replayMs, dropped: st.dropped, batches: st.batches, largestBatch: st.largestBatch };
}

async function ingestBench(): Promise<void> {
  const total = arg('rows', 300_000);
  const cameras = arg('ingest-cameras', 100);
  const batch = arg('batch', 20_000);
  const parallel = arg('parallel', METRICS_UNNEST_PARALLEL);
  const auth = process.env['PGPASSWORD'] ? `${process.env['PGUSER'] ?? 'postgres'}:${encodeURIComponent(process.env['PGPASSWORD'])}` : (process.env['PGUSER'] ?? 'postgres');
  const adminUrl = `postgres://${auth}@${process.env['PGHOST'] ?? '127.0.0.1'}:${process.env['PGPORT'] ?? '5432'}/postgres`;
  const scratch = await createScratchDatabase(adminUrl, 'cs_bench_scale');
  const ds = new DataSource({ type: 'postgres', url: scratch.url, entities: createEntities('postgres'), migrations: ALL_MIGRATIONS, migrationsTableName: 'migrations', uuidExtension: 'pgcrypto', installExtensions: false });
  try {
    await ds.initialize();
    await ds.runMigrations();
    const ids = ((await ds.query(`INSERT INTO "cameras" ("name", "source_type", "source_url") SELECT 'Bench ' || g, 'file', '/a.mp4' FROM generate_series(1, $1::int) g RETURNING "id"`, [cameras])) as { id: string }[]).map((r) => r.id);
    console.log(`\nMetric ingest into PostgreSQL through the MetricsSink (MetricsWriter: INSERT ... SELECT FROM unnest(...) ON CONFLICT DO UPDATE), ${cameras} cameras, flushes of ${batch.toLocaleString('en')} rows, one flush in flight; load average ${loadavg()[0].toFixed(1)}`);
    // The same run, one statement at a time (as before) and then `parallel` at once (the writer's default now).
    const variants = parallel === 1 ? [1] : [1, parallel];
    const results = new Map<number, IngestResult>();
    for (const p of variants) {
      const r = await ingestRun(ds, ids, total, batch, p);
      results.set(p, r);
      console.log(
        `  ${p === 1 ? 'one statement at a time' : `${p} statements at once  `}: ${r.rows.toLocaleString('en')} rows in ${r.seconds.toFixed(2)} s: ${Math.round(r.rows / r.seconds).toLocaleString('en')} rows/s (target >= 50,000); ` +
          `${r.batches} flushes, largest ${r.largestBatch.toLocaleString('en')} rows; stored ${r.stored.toLocaleString('en')}; a replay of ${(100 * cameras).toLocaleString('en')} rows took ${r.replayMs.toFixed(0)} ms and added ${r.replayAdded}; dropped ${r.dropped}`,
      );
    }
    const one = results.get(1);
    const many = results.get(parallel);
    if (one && many && parallel !== 1) console.log(`  ${parallel} at once / one at a time: ${(one.seconds / many.seconds).toFixed(2)}x rows/s (load average now ${loadavg()[0].toFixed(1)})`);
  } finally {
    await ds.destroy().catch(() => undefined);
    await scratch.drop();
  }
}

/** One api replica: a socket.io server with the Redis adapter (as LiveCluster attaches it); clients join the rooms they ask for. */
async function replica(): Promise<void> {
  const key = process.env['BENCH_KEY'] ?? 'bench';
  const pub = new Redis(REDIS_URL);
  const sub = pub.duplicate();
  const http = createServer();
  const server = new Server(http, { transports: ['websocket'] });
  server.adapter(createAdapter(pub, sub, { key }));
  server.of(NS).on('connection', (socket) => {
    const rooms = String(socket.handshake.query['rooms'] ?? '').split(',').filter(Boolean);
    for (const r of rooms) void socket.join(r);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const port = (http.address() as { port: number }).port;
  process.send?.({ port });
}

/**
 * One client process: connects its share of the clients (alternating over the replicas' ports), each in every
 * camera's room; tells the parent when all are connected, records publish -> receipt latency of each
 * metrics_update, and sends the latencies back when asked.
 */
async function clientProcess(): Promise<void> {
  const ports = String(process.env['BENCH_PORTS']).split(',').map(Number);
  const count = Number(process.env['BENCH_CLIENTS']);
  const first = Number(process.env['BENCH_FIRST'] ?? 0);
  const rooms = String(process.env['BENCH_ROOMS']);
  const sockets: Socket[] = [];
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const s = connect(`http://127.0.0.1:${ports[(first + i) % ports.length]}${NS}`, { transports: ['websocket'], reconnection: false, query: { rooms } });
    s.on('metrics_update', (e: { sentAt: number }) => latencies.push(performance.timeOrigin + performance.now() - e.sentAt));
    sockets.push(s);
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 50));
  }
  await Promise.all(sockets.map((s) => (s.connected ? Promise.resolve() : new Promise<void>((res, rej) => (s.once('connect', () => res()), s.once('connect_error', rej))))));
  process.send?.({ ready: true });
  process.on('message', (m: { done?: boolean }) => {
    if (!m.done) return;
    for (const s of sockets) s.disconnect();
    process.send?.({ latencies }, () => process.exit(0));
  });
}

const forkBench = (args: string[], env: Record<string, string>) =>
  fork(__filename, args, { execArgv: ['-r', './tools/ts-register.js'], env: { ...process.env, ...env }, stdio: 'inherit' });
const nextMessage = <T>(child: ChildProcess, has: keyof T) =>
  new Promise<T>((res, rej) => {
    const on = (m: T) => {
      if (m && typeof m === 'object' && has in m) {
        child.off('message', on);
        res(m);
      }
    };
    child.on('message', on);
    child.once('exit', (code) => rej(new Error(`bench child exited (${code}) before sending ${String(has)}`)));
  });

async function deliveryBench(): Promise<void> {
  const clients = arg('clients', 500);
  const cameras = arg('cameras', 8);
  const seconds = arg('seconds', 20);
  const procs = arg('client-procs', 4);
  if (!(procs >= 1 && procs <= clients)) throw new RangeError(`--client-procs must be between 1 and --clients (${clients}), got ${procs}`);
  const key = `cs-bench-scale-${randomUUID().slice(0, 8)}:socket.io`;
  const children: ChildProcess[] = [];
  const ports: number[] = [];
  const loads: number[] = [loadavg()[0]];
  try {
    for (let i = 0; i < 2; i++) {
      const child = forkBench(['--replica'], { BENCH_KEY: key });
      children.push(child);
      ports.push((await nextMessage<{ port: number }>(child, 'port')).port);
    }
    const cameraIds = Array.from({ length: cameras }, () => randomUUID());
    const rooms = cameraIds.map((id) => `camera:${id}`).join(',');
    // The clients in `procs` processes of their own (not the publisher's event loop), split evenly over the replicas.
    const clientProcs: ChildProcess[] = [];
    for (let p = 0, first = 0; p < procs; p++) {
      const n = Math.floor(clients / procs) + (p < clients % procs ? 1 : 0);
      const child = forkBench(['--clients-proc'], { BENCH_PORTS: ports.join(','), BENCH_CLIENTS: String(n), BENCH_FIRST: String(first), BENCH_ROOMS: rooms });
      first += n;
      children.push(child);
      clientProcs.push(child);
    }
    await Promise.all(clientProcs.map((c) => nextMessage<{ ready: boolean }>(c, 'ready')));
    await new Promise((r) => setTimeout(r, 1000)); // rooms joined everywhere
    // The synthetic pipeline: a socket.io server with no clients emitting to the rooms through the Redis adapter.
    const pub = new Redis(REDIS_URL);
    const sub = pub.duplicate();
    const publisher = new Server();
    publisher.adapter(createAdapter(pub, sub, { key }));
    const ns = publisher.of(NS);
    await new Promise((r) => setTimeout(r, 500));
    let sent = 0;
    const start = performance.now();
    for (let s = 0; s < seconds; s++) {
      // Each camera publishes once a second, spread over the second as real cameras are.
      for (let c = 0; c < cameras; c++) {
        const due = start + s * 1000 + (c * 1000) / cameras;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        ns.to(`camera:${cameraIds[c]}`).emit('metrics_update', { cameraId: cameraIds[c], count: s, sentAt: performance.timeOrigin + performance.now() });
        sent++;
      }
      if (s % 5 === 4) loads.push(loadavg()[0]);
    }
    await new Promise((r) => setTimeout(r, 2000));
    const latencies: number[] = [];
    const replies = clientProcs.map((c) => nextMessage<{ latencies: number[] }>(c, 'latencies'));
    for (const c of clientProcs) c.send({ done: true });
    for (const r of await Promise.all(replies)) for (const v of r.latencies) latencies.push(v);
    const expected = sent * clients;
    console.log(`\nsocket.io delivery across 2 api replicas (Redis adapter), ${clients} clients in ${procs} client processes, ${cameras} cameras at 1 Hz, ${seconds} s`);
    console.log(`  delivered ${latencies.length.toLocaleString('en')} of ${expected.toLocaleString('en')} metrics_update (${((100 * latencies.length) / expected).toFixed(2)} %)`);
    console.log(`  latency publish -> client: p50 ${pct(latencies, 50).toFixed(1)} ms, p95 ${pct(latencies, 95).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms (target p99 <= 100 ms)`);
    console.log(`  host load average (1 min) during the run: ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} on ${cpus().length} cores`);
    publisher.close();
    pub.disconnect();
    sub.disconnect();
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  }
}

export async function scaleBench(): Promise<void> {
  Logger.overrideLogger(['error']);
  if (process.argv.includes('--only-cameras')) return camerasBench(); // tools/bench/scale-cameras.ts
  if (!process.argv.includes('--only-delivery')) await ingestBench();
  if (!process.argv.includes('--only-ingest')) await deliveryBench();
  if (!process.argv.includes('--only-ingest') && !process.argv.includes('--only-delivery')) await camerasBench();
}

if (process.argv.includes('--replica')) void replica();
if (process.argv.includes('--clients-proc')) void clientProcess();
