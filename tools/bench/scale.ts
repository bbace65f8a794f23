// ./crowdsafe bench scale — the distributed mode's two hot paths (issue #12), printed, never asserted:
//   1. metric ingest: per-second rows of C cameras through the MetricsSink the pipelines use (MetricsWriter: bounded
//      buffer, multi-row INSERT ... ON CONFLICT (camera_id, time) DO UPDATE from unnest() arrays) into a scratch PostgreSQL database;
//      rows/s over --rows N (default 300,000; target >= 50,000 rows/s), flushes of --batch rows (default 20,000), once
//      with one statement at a time and once with --parallel statements at once (the writer's default, 4); CPU time
//      per row of this process and of the database's backends (/proc, PostgreSQL on this host).
//   2. socket.io delivery: 2 api replicas (separate processes, socket.io with the Redis adapter installed by the
//      product's LiveCluster) and --clients N socket.io clients (default 500) in --client-procs P processes of their
//      own (default 4; not the publisher's event loop; --client-nice N lowers their priority) spread over them, each
//      in every camera's room; per process CPU share and event-loop delay, publish -> replica arrival; a
//      synthetic pipeline publishes metrics_update for --cameras C (default 8) at 1 Hz through the same Redis emitter
//      path for --seconds S (default 20); latency publish -> client receipt, p50/p95/p99 (target p99 <= 100 ms).
// PostgreSQL from PGHOST/PGPORT/PGUSER/PGPASSWORD (default postgres@127.0.0.1:5432), Redis from REDIS_URL
// (default redis://127.0.0.1:6379).
import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, setPriority } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
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
import { LiveCluster } from '@crowdsafe/server-realtime';
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
  /** CPU time per row of this process (the writer's side) and of the database's backends (same host). */
  nodeUsPerRow: number;
  pgUsPerRow: number | null;
  seconds: number;
  stored: number;
  replayAdded: number;
  replayMs: number;
  dropped: number;
  batches: number;
  largestBatch: number;
}

/** CPU ms so far of each backend of this database (PostgreSQL on this host: /proc), or null when unreadable. */
async function backendCpuMs(ds: DataSource): Promise<Map<number, number> | null> {
  const pids = ((await ds.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database()')) as { pid: number }[]).map((r) => r.pid);
  const out = new Map<number, number>();
  try {
    for (const pid of pids) {
      // Fields 14 and 15 (utime, stime, clock ticks of 10 ms) after the ")" that ends the command name.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      out.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
    }
  } catch {
    return null; // PostgreSQL on another host
  }
  return out;
}

/** Writes `total` rows of `ids` through one MetricsWriter (statements `parallel` at once), then replays 100 seconds. */
async function ingestRun(ds: DataSource, ids: string[], total: number, batch: number, parallel: number): Promise<IngestResult> {
  await ds.query('TRUNCATE "metrics"');
  const sink = new MetricsWriter({ metrics: { flushIntervalMs: 1000 } } as AppConfig, new MetricsRepository(ds), { capacity: batch * 2, parallel });
  const t0 = Date.UTC(2025, 0, 1);
  let n = 0;
  let inFlight: Promise<number> = Promise.resolve(0);
  const pg0 = await backendCpuMs(ds);
  const cpu0 = process.cpuUsage();
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
  const cpu = process.cpuUsage(cpu0);
  const pg1 = await backendCpuMs(ds);
  let pgMs: number | null = null;
  if (pg0 && pg1) pgMs = [...pg1].reduce((sum, [pid, ms]) => sum + ms - (pg0.get(pid) ?? 0), 0);
  const [before] = (await ds.query('SELECT COUNT(*)::int AS n FROM metrics')) as { n: number }[];
  // Replayed: the same rows again must not add any.
  const replayStart = performance.now();
  for (let s = 0; s < 100; s++) for (const cameraId of ids) sink.write({ cameraId, time: new Date(t0 + s * 1000), count: 1 });
  await sink.flush();
  const replayMs = performance.now() - replayStart;
  const [after] = (await ds.query('SELECT COUNT(*)::int AS n FROM metrics')) as { n: number }[];
  const st = sink.stats();
  return { rows: n, nodeUsPerRow: (cpu.user + cpu.system) / n, pgUsPerRow: pgMs === null ? null : (pgMs * 1000) / n, seconds, stored: Number(before?.n), replayAdded: Number(after?.n) - Number(before?.n), replayMs, dropped: st.dropped, batches: st.batches, largestBatch: st.largestBatch };
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
          `CPU per row: writer ${r.nodeUsPerRow.toFixed(1)} µs, PostgreSQL ${r.pgUsPerRow === null ? 'n/a' : r.pgUsPerRow.toFixed(1)} µs; ${r.batches} flushes, largest ${r.largestBatch.toLocaleString('en')} rows; stored ${r.stored.toLocaleString('en')}; a replay of ${(100 * cameras).toLocaleString('en')} rows took ${r.replayMs.toFixed(0)} ms and added ${r.replayAdded}; dropped ${r.dropped}`,
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

/** A process's own load while measured: CPU share of one core and event-loop delay (reset by `start`). */
interface ProcStats {
  cpuPct: number;
  loopP99: number;
  loopMax: number;
}
function procMeter() {
  const h = monitorEventLoopDelay({ resolution: 10 });
  let cpu = process.cpuUsage();
  let t0 = performance.now();
  return {
    start(): void {
      h.reset();
      h.enable();
      cpu = process.cpuUsage();
      t0 = performance.now();
    },
    read(): ProcStats {
      const c = process.cpuUsage(cpu);
      return { cpuPct: ((c.user + c.system) / 1000 / (performance.now() - t0)) * 100, loopP99: h.percentile(99) / 1e6, loopMax: h.max / 1e6 };
    },
  };
}

/**
 * One api replica: a socket.io server with the Redis adapter installed by the product's LiveCluster (as the api
 * does, remote-room refresh every second included); clients join the rooms they ask for. It also records, per
 * metrics_update it relays, publish -> arrival here (Redis hop and this event loop) and the time to write the frame
 * to all its sockets (the adapter encodes the packet once per broadcast, then one write per socket).
 */
async function replica(): Promise<void> {
  Logger.overrideLogger(['error']);
  const key = process.env['BENCH_KEY'] ?? 'bench';
  const http = createServer();
  const server = new Server(http, { transports: ['websocket'] });
  const cluster = new LiveCluster(REDIS_URL, key);
  cluster.attach(server.of(NS));
  server.of(NS).on('connection', (socket) => {
    const rooms = String(socket.handshake.query['rooms'] ?? '').split(',').filter(Boolean);
    for (const r of rooms) void socket.join(r);
  });
  const arrivals: number[] = [];
  const fanouts: number[] = [];
  const adapter = server.of(NS).adapter as unknown as { _encode(p: { data?: unknown[] }, o: unknown): unknown; apply(o: unknown, cb: unknown): void };
  const encode = adapter._encode.bind(adapter);
  adapter._encode = (packet, opts) => {
    const sentAt = (packet.data?.[1] as { sentAt?: number } | undefined)?.sentAt;
    if (typeof sentAt === 'number') arrivals.push(performance.timeOrigin + performance.now() - sentAt);
    return encode(packet, opts);
  };
  const apply = adapter.apply.bind(adapter);
  adapter.apply = (opts, cb) => {
    const t = performance.now();
    apply(opts, cb);
    fanouts.push(performance.now() - t);
  };
  const meter = procMeter();
  process.on('message', (m: { measure?: boolean; report?: boolean }) => {
    if (m.measure) {
      meter.start();
      arrivals.length = 0;
      fanouts.length = 0;
    }
    if (m.report) process.send?.({ replicaStats: { ...meter.read(), arrivals, fanouts } });
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
  const meter = procMeter();
  process.on('message', (m: { measure?: boolean; done?: boolean }) => {
    if (m.measure) meter.start();
    if (!m.done) return;
    const stats = meter.read();
    for (const s of sockets) s.disconnect();
    process.send?.({ latencies, stats }, () => process.exit(0));
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
  const clientNice = arg('client-nice', 0);
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
      // --client-nice N: the client processes at a lower priority, so their wake-ups on every socket write do not
      // preempt the replicas (in production the clients are browsers on other machines).
      if (clientNice > 0 && child.pid !== undefined) setPriority(child.pid, clientNice);
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
    // Every process's own CPU and event-loop delay from here on (separates the clients' load from the replicas').
    for (const c of children) c.send({ measure: true });
    const meter = procMeter();
    meter.start();
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
    const publisherStats = meter.read();
    const replicaReplies = children.slice(0, 2).map((c) => nextMessage<{ replicaStats: ProcStats & { arrivals: number[]; fanouts: number[] } }>(c, 'replicaStats'));
    for (const c of children.slice(0, 2)) c.send({ report: true });
    const replicaStats = (await Promise.all(replicaReplies)).map((r) => r.replicaStats);
    const latencies: number[] = [];
    const clientStats: ProcStats[] = [];
    const replies = clientProcs.map((c) => nextMessage<{ latencies: number[]; stats: ProcStats }>(c, 'latencies'));
    for (const c of clientProcs) c.send({ done: true });
    for (const r of await Promise.all(replies)) {
      for (const v of r.latencies) latencies.push(v);
      clientStats.push(r.stats);
    }
    const expected = sent * clients;
    console.log(`\nsocket.io delivery across 2 api replicas (Redis adapter), ${clients} clients in ${procs} client processes${clientNice > 0 ? ` (nice ${clientNice})` : ''}, ${cameras} cameras at 1 Hz, ${seconds} s`);
    console.log(`  delivered ${latencies.length.toLocaleString('en')} of ${expected.toLocaleString('en')} metrics_update (${((100 * latencies.length) / expected).toFixed(2)} %)`);
    console.log(`  latency publish -> client: p50 ${pct(latencies, 50).toFixed(1)} ms, p95 ${pct(latencies, 95).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms (target p99 <= 100 ms)`);
    const arrivals = replicaStats.flatMap((r) => r.arrivals);
    const fanouts = replicaStats.flatMap((r) => r.fanouts);
    console.log(`  publish -> arrival at the replica (Redis hop + replica event loop): p50 ${pct(arrivals, 50).toFixed(1)} ms, p99 ${pct(arrivals, 99).toFixed(1)} ms, max ${Math.max(...arrivals).toFixed(1)} ms; writing one update to a replica's sockets: p50 ${pct(fanouts, 50).toFixed(2)} ms, p99 ${pct(fanouts, 99).toFixed(2)} ms`);
    const show = (name: string, st: ProcStats[]) =>
      `${name} CPU ${st.map((x) => `${x.cpuPct.toFixed(0)} %`).join(', ')}; event-loop delay p99 ${st.map((x) => x.loopP99.toFixed(0)).join(', ')} ms, max ${st.map((x) => x.loopMax.toFixed(0)).join(', ')} ms`;
    console.log(`  ${show('replicas', replicaStats)}`);
    console.log(`  ${show('client processes', clientStats)}`);
    console.log(`  ${show('publisher', [publisherStats])}`);
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
