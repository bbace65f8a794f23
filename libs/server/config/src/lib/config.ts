import 'reflect-metadata';
import { isAbsolute, join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { EnvSchema } from './env.schema';

/** A bad configuration value. `message` names every offending variable; main() prints it as one line. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** The validated, typed configuration handed to every module. Built once at boot. */
export interface AppConfig {
  env: EnvSchema['NODE_ENV'];
  port: number;
  host: string;
  logLevel: EnvSchema['LOG_LEVEL'];
  dataDir: string;
  /** True when no DATABASE_URL/REDIS_URL: one process, SQLite, in-process queue. */
  embedded: boolean;
  database:
    | { type: 'postgres'; url: string; migrationsRun: boolean; connectTimeoutS: number }
    | { type: 'sqlite'; path: string; connectTimeoutS: number };
  metrics: { retentionDays: number; flushIntervalMs: number };
  queue: { redisUrl?: string; prefix: string; frameTtlMs: number; framesPerCamera: number };
  inference: {
    modelPath: string;
    executionProvider: 'cpu' | 'cuda';
    threads: number;
    confidence: number;
    iou: number;
    maxDetections: number;
    batchSize: number;
    workerConcurrency: number;
    maxInFlight: number;
    timeoutMs: number;
  };
  /** Dense crowd counting: the FIDT density model run beside the detector at a low rate (modelPath null = off). */
  dense: { modelPath: string | null; maxSide: number; threads: number; intervalMs: number };
  cameras: {
    enabled: boolean;
    frameQueueSize: number;
    frameMaxAgeMs: number;
    defaultFps: number;
    defaultWidth: number;
    mediaDir: string;
    sampleCamera: boolean;
    sampleVideo: string;
    ffmpegPath: string;
    ffprobePath: string;
    liveJpegQuality: number;
    liveMaxWidth: number;
  };
  web: { dist: string; corsOrigins: string[] };
}

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const name = prefix + e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => (m.startsWith(e.property) ? m : `${name}: ${m}`));
    return [...own, ...flatten(e.children ?? [], `${name}.`)];
  });
}

/** Parse and validate an environment. Throws ConfigError naming each bad variable. */
export function parseEnv(env: Record<string, string | undefined>): EnvSchema {
  const known = Object.keys(new EnvSchema());
  const plain: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && (known.includes(k) || k === 'DATABASE_URL' || k === 'REDIS_URL' || k === 'SQLITE_PATH')) plain[k] = v;
  const schema = plainToInstance(EnvSchema, plain, { exposeDefaultValues: true });
  const errors = validateSync(schema, { whitelist: false, forbidUnknownValues: true });
  if (errors.length) throw new ConfigError(flatten(errors));
  return schema;
}

/** Build the typed configuration from an environment (default: process.env), resolving paths against `cwd`. */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): AppConfig {
  const e = parseEnv(env);
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  const dataDir = abs(e.DATA_DIR);
  const mediaDir = abs(e.MEDIA_DIR);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    dataDir,
    embedded: !e.DATABASE_URL && !e.REDIS_URL,
    database: e.DATABASE_URL
      ? { type: 'postgres', url: e.DATABASE_URL, migrationsRun: e.DB_MIGRATIONS_RUN, connectTimeoutS: e.DB_CONNECT_TIMEOUT_S }
      : { type: 'sqlite', path: abs(e.SQLITE_PATH ?? join(e.DATA_DIR, 'crowdsafe.sqlite')), connectTimeoutS: e.DB_CONNECT_TIMEOUT_S },
    metrics: { retentionDays: e.METRICS_RETENTION_DAYS, flushIntervalMs: e.METRICS_FLUSH_INTERVAL_MS },
    queue: { redisUrl: e.REDIS_URL, prefix: e.QUEUE_PREFIX, frameTtlMs: e.FRAME_STORE_TTL_MS, framesPerCamera: e.FRAME_STORE_PER_CAMERA },
    inference: {
      modelPath: abs(e.MODEL_PATH),
      executionProvider: e.EXECUTION_PROVIDER,
      threads: e.INFERENCE_THREADS,
      confidence: e.DETECT_CONFIDENCE,
      iou: e.NMS_IOU,
      maxDetections: e.MAX_DETECTIONS,
      batchSize: e.INFERENCE_BATCH_SIZE,
      workerConcurrency: e.WORKER_CONCURRENCY,
      maxInFlight: e.INFERENCE_MAX_IN_FLIGHT,
      timeoutMs: e.INFERENCE_TIMEOUT_MS,
    },
    dense: {
      modelPath: e.FIDT_MODEL_PATH.trim() ? abs(e.FIDT_MODEL_PATH.trim()) : null,
      maxSide: e.FIDT_MAX_SIDE,
      threads: e.FIDT_THREADS,
      intervalMs: e.DENSITY_INTERVAL_MS,
    },
    cameras: {
      enabled: e.CAMERAS_ENABLED,
      frameQueueSize: e.FRAME_QUEUE_SIZE,
      frameMaxAgeMs: e.FRAME_MAX_AGE_MS,
      defaultFps: e.CAMERA_DEFAULT_FPS,
      defaultWidth: e.CAMERA_DEFAULT_WIDTH,
      mediaDir,
      sampleCamera: e.SAMPLE_CAMERA,
      sampleVideo: isAbsolute(e.SAMPLE_VIDEO) ? e.SAMPLE_VIDEO : join(mediaDir, e.SAMPLE_VIDEO),
      ffmpegPath: e.FFMPEG_PATH,
      ffprobePath: e.FFPROBE_PATH,
      liveJpegQuality: e.LIVE_JPEG_QUALITY,
      liveMaxWidth: e.LIVE_MAX_WIDTH,
    },
    web: {
      dist: e.WEB_DIST ? abs(e.WEB_DIST) : '',
      corsOrigins: e.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
    },
  };
}

/** Nest injection token for AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
