import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RiskLevel } from '@crowdsafe/contracts';

/** Risk level as a number for a gauge (Grafana maps it back): SAFE 0, CAUTION 1, WARNING 2, CRITICAL 3, unknown -1. */
export const RISK_LEVEL_VALUE: Record<RiskLevel, number> = { SAFE: 0, CAUTION: 1, WARNING: 2, CRITICAL: 3 };

/** Seconds; inference round trips run from ~20 ms (GPU) to seconds (a loaded CPU). */
export const INFERENCE_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2.5, 5, 10];
export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Every series CrowdSafe exports, in one registry per process (never prom-client's global one, so several apps in
 * one test process do not collide). Per-camera series carry `camera_id` only — never track ids or names, so the
 * number of series is bounded by the cameras. Values that already exist as counters elsewhere (frames, restarts)
 * are copied in at scrape time by MetricsCollector.
 */
export class PrometheusMetrics {
  readonly registry = new Registry();

  // ---- per camera ----
  readonly framesDecoded = this.counter('crowdsafe_camera_frames_decoded_total', 'Frames decoded from the camera (ffmpeg) since its runtime started');
  readonly framesProcessed = this.counter('crowdsafe_camera_frames_processed_total', 'Frames that went through detection');
  readonly framesDropped = this.counter('crowdsafe_camera_frames_dropped_total', 'Frames dropped before detection (bounded buffer full or superseded by a newer frame)');
  readonly framesStale = this.counter('crowdsafe_camera_frames_stale_total', 'Frames discarded as older than FRAME_MAX_AGE_MS when their turn came');
  readonly ffmpegRestarts = this.counter('crowdsafe_camera_ffmpeg_restarts_total', 'ffmpeg (re)starts of the camera after a failure or stall');
  readonly fpsIn = this.gauge('crowdsafe_camera_fps_in', 'Frames decoded per second (last 5 s)');
  readonly fpsOut = this.gauge('crowdsafe_camera_fps_out', 'Frames processed per second (last 5 s)');
  readonly up = this.gauge('crowdsafe_camera_up', '1 when the camera is online (frames arriving), else 0');
  readonly running = this.gauge('crowdsafe_camera_running', '1 when the camera runs in this process');
  readonly people = this.gauge('crowdsafe_camera_people', 'People count of the latest stored second (absent when the latest is older than 60 s)');
  readonly density = this.gauge('crowdsafe_camera_density_people_per_m2', 'Mean density of the latest stored second, people/m² (calibrated cameras only)');
  readonly riskLevel = this.gauge('crowdsafe_camera_risk_level', 'Risk level of the latest stored second: 0 SAFE, 1 CAUTION, 2 WARNING, 3 CRITICAL');
  readonly riskScore = this.gauge('crowdsafe_camera_risk_score', 'Risk score 0..1 of the latest stored second');
  readonly openAlerts = this.gauge('crowdsafe_camera_alerts_open', 'Alerts of the camera not yet resolved');
  readonly inferenceLatency = new Histogram({
    name: 'crowdsafe_inference_latency_seconds',
    help: 'Detection round trip of a frame (job dispatch to result, including queueing and the worker) by camera',
    labelNames: ['camera_id'],
    buckets: INFERENCE_BUCKETS,
    registers: [this.registry],
  });

  // ---- per process ----
  readonly inferencePending = new Gauge({ name: 'crowdsafe_inference_pending', help: 'Detection requests waiting for a job slot in this process', registers: [this.registry] });
  readonly inferenceInFlight = new Gauge({ name: 'crowdsafe_inference_in_flight', help: 'Detection jobs in flight from this process', registers: [this.registry] });
  readonly inferenceFailedJobs = new Counter({ name: 'crowdsafe_inference_failed_jobs_total', help: 'Detection jobs that failed', registers: [this.registry] });
  readonly inferenceDroppedRequests = new Counter({ name: 'crowdsafe_inference_dropped_requests_total', help: 'Detection requests dropped because the pending queue was full', registers: [this.registry] });
  readonly socketClients = new Gauge({ name: 'crowdsafe_socket_clients', help: 'socket.io clients connected to /live on this process', registers: [this.registry] });
  readonly alertsOpenTotal = new Gauge({ name: 'crowdsafe_alerts_open', help: 'Alerts not yet resolved, all cameras', registers: [this.registry] });
  readonly httpDuration = new Histogram({
    name: 'crowdsafe_http_request_duration_seconds',
    help: 'HTTP request latency by method, route template and status code',
    labelNames: ['method', 'route', 'status'],
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });

  constructor() {
    // process_* and nodejs_* (CPU, memory, GC, handles, event-loop lag and its percentiles).
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
  }

  private counter(name: string, help: string): Counter<'camera_id'> {
    return new Counter({ name, help, labelNames: ['camera_id'], registers: [this.registry] });
  }

  private gauge(name: string, help: string): Gauge<'camera_id'> {
    return new Gauge({ name, help, labelNames: ['camera_id'], registers: [this.registry] });
  }
}

/** Sets a counter to an absolute value (a copy of a counter kept elsewhere; it may reset when a camera restarts). */
export function setCounter<L extends string>(c: Counter<L>, labels: Partial<Record<L, string>>, value: number): void {
  if (Number.isFinite(value) && value > 0) c.inc(labels, value);
  else c.inc(labels, 0);
}

/**
 * Merges several Prometheus texts (e.g. BullMQ's export of each queue, which repeats HELP/TYPE) into one valid
 * exposition: one HELP/TYPE per family, its samples together.
 */
export function mergePrometheusTexts(texts: readonly string[]): string {
  const families = new Map<string, { meta: string[]; samples: string[] }>();
  const order: string[] = [];
  for (const text of texts) {
    let current = '';
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const meta = /^# (HELP|TYPE) (\S+)/.exec(line);
      const name = meta ? (meta[2] as string) : (/^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0] ?? '');
      if (meta) current = name;
      const key = meta ? name : current && name.startsWith(current) ? current : name;
      let f = families.get(key);
      if (!f) {
        families.set(key, (f = { meta: [], samples: [] }));
        order.push(key);
      }
      if (meta) {
        if (!f.meta.some((m) => m.startsWith(`# ${meta[1]} `))) f.meta.push(line);
      } else f.samples.push(line);
    }
  }
  return order.map((k) => [...(families.get(k)?.meta ?? []), ...(families.get(k)?.samples ?? [])].join('\n')).join('\n') + (order.length ? '\n' : '');
}
