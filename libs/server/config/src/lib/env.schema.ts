import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return value; // left as a string so @IsBoolean reports it
};
const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * Every environment variable CrowdSafe reads, with its type, bounds and default.
 * `.env.example` documents the same list; a unit test keeps the two in step.
 */
export class EnvSchema {
  // ---- process ----
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Type(() => Number) @IsInt() @Min(1) @Max(65535)
  PORT = 3000;

  @IsString() @MinLength(1) @MaxLength(255)
  HOST = '0.0.0.0';

  @IsIn(['debug', 'info', 'warn', 'error'])
  LOG_LEVEL: 'debug' | 'info' | 'warn' | 'error' = 'info';

  /** Directory for the embedded SQLite file, snapshots and other runtime state. */
  @IsString() @MinLength(1) @MaxLength(1024)
  DATA_DIR = 'data';

  // ---- database ----
  /** PostgreSQL URL. Unset = embedded SQLite in DATA_DIR. */
  @Transform(emptyToUndefined) @IsOptional() @IsString() @Matches(/^postgres(ql)?:\/\/.+/, {
    message: 'DATABASE_URL must be a postgres:// or postgresql:// URL',
  })
  DATABASE_URL?: string;

  /** SQLite file (embedded mode). Default: DATA_DIR/crowdsafe.sqlite. */
  @Transform(emptyToUndefined) @IsOptional() @IsString() @MaxLength(1024)
  SQLITE_PATH?: string;

  /** Run pending migrations when the api starts (PostgreSQL). */
  @Transform(toBool) @IsBoolean()
  DB_MIGRATIONS_RUN = true;

  /** Seconds to wait for the database at startup before giving up with an error. */
  @Type(() => Number) @IsInt() @Min(1) @Max(600)
  DB_CONNECT_TIMEOUT_S = 10;

  /** Metrics kept for this many days (Timescale retention policy, or a scheduled delete job). */
  @Type(() => Number) @IsInt() @Min(1) @Max(3650)
  METRICS_RETENTION_DAYS = 30;

  /** Buffered metric rows are written in one batch at least this often. */
  @Type(() => Number) @IsInt() @Min(100) @Max(60000)
  METRICS_FLUSH_INTERVAL_MS = 2000;

  // ---- queue ----
  /** Redis URL. Unset = in-process job dispatcher (embedded mode). */
  @Transform(emptyToUndefined) @IsOptional() @IsString() @Matches(/^rediss?:\/\/.+/, {
    message: 'REDIS_URL must be a redis:// or rediss:// URL',
  })
  REDIS_URL?: string;

  /** Prefix for BullMQ and frame-store keys (lets tests and tenants share one Redis). */
  @IsString() @Matches(/^[A-Za-z0-9:_-]{1,64}$/, { message: 'QUEUE_PREFIX must be 1-64 of A-Z a-z 0-9 : _ -' })
  QUEUE_PREFIX = 'crowdsafe';

  /** How long a frame stays in the frame store (Redis TTL / in-memory age limit). */
  @Type(() => Number) @IsInt() @Min(500) @Max(120000)
  FRAME_STORE_TTL_MS = 10000;

  /** Frames kept per camera in the in-memory store. */
  @Type(() => Number) @IsInt() @Min(2) @Max(300)
  FRAME_STORE_PER_CAMERA = 8;

  // ---- inference ----
  /** YOLOv8/YOLO11 detect export (ONNX). */
  @IsString() @MinLength(1) @MaxLength(1024)
  MODEL_PATH = 'models/yolo11n.onnx';

  @IsIn(['cpu', 'cuda'])
  EXECUTION_PROVIDER: 'cpu' | 'cuda' = 'cpu';

  /** onnxruntime intra-op threads; 0 = automatic (embedded api: cores - 1, worker: all cores). */
  @Type(() => Number) @IsInt() @Min(0) @Max(256)
  INFERENCE_THREADS = 0;

  @Type(() => Number) @IsNumber() @Min(0.01) @Max(1)
  DETECT_CONFIDENCE = 0.5;

  @Type(() => Number) @IsNumber() @Min(0.01) @Max(1)
  NMS_IOU = 0.7;

  @Type(() => Number) @IsInt() @Min(1) @Max(10000)
  MAX_DETECTIONS = 1000;

  /** Maximum frames in one inference job (frames of several cameras are batched together). */
  @Type(() => Number) @IsInt() @Min(1) @Max(64)
  INFERENCE_BATCH_SIZE = 4;

  /** Jobs one worker process runs at once. */
  @Type(() => Number) @IsInt() @Min(1) @Max(64)
  WORKER_CONCURRENCY = 1;

  /** Inference jobs the api keeps in flight at once (embedded: 1 is right for a CPU; with workers: workers x concurrency). */
  @Type(() => Number) @IsInt() @Min(1) @Max(256)
  INFERENCE_MAX_IN_FLIGHT = 1;

  /** A job not finished in this time is abandoned (frames counted as dropped). */
  @Type(() => Number) @IsInt() @Min(100) @Max(300000)
  INFERENCE_TIMEOUT_MS = 15000;

  // ---- dense crowd counting (FIDT density model) ----
  /** FIDT head-counting export (models/fidt_light_B.onnx). Empty = dense model off (tracked count only). */
  @IsString() @MaxLength(1024)
  FIDT_MODEL_PATH = '';

  /** Frames are resized so their longest side is at most this before the density model (never upscaled). */
  @Type(() => Number) @IsInt() @Min(256) @Max(4096)
  FIDT_MAX_SIDE = 1024;

  /** onnxruntime intra-op threads of the density model; 0 = onnxruntime's default. */
  @Type(() => Number) @IsInt() @Min(0) @Max(256)
  FIDT_THREADS = 1;

  /** At most one density-model run per camera per this interval. */
  @Type(() => Number) @IsInt() @Min(250) @Max(60000)
  DENSITY_INTERVAL_MS = 2000;

  // ---- cameras ----
  /** Frames waiting for inference per camera; when full the oldest is dropped and counted. */
  @Type(() => Number) @IsInt() @Min(1) @Max(300)
  FRAME_QUEUE_SIZE = 30;

  /** Frames older than this when their turn comes are discarded (keeps the live view live). */
  @Type(() => Number) @IsInt() @Min(100) @Max(60000)
  FRAME_MAX_AGE_MS = 3000;

  @Type(() => Number) @IsNumber() @Min(0.1) @Max(60)
  CAMERA_DEFAULT_FPS = 5;

  /** Decoded frames are downscaled to at most this width (aspect kept). */
  @Type(() => Number) @IsInt() @Min(160) @Max(7680)
  CAMERA_DEFAULT_WIDTH = 1280;

  /** Directory that `file` camera sources must live under. */
  @IsString() @MinLength(1) @MaxLength(1024)
  MEDIA_DIR = 'media';

  /** Create and run the bundled sample camera when no camera exists (embedded quickstart). */
  @Transform(toBool) @IsBoolean()
  SAMPLE_CAMERA = true;

  /** Video for the sample camera, relative to MEDIA_DIR or absolute. */
  @IsString() @MinLength(1) @MaxLength(1024)
  SAMPLE_VIDEO = 'sample.mp4';

  /** Don't start camera ingestion in this process (e.g. an api replica behind a load balancer). */
  @Transform(toBool) @IsBoolean()
  CAMERAS_ENABLED = true;

  @IsString() @MinLength(1) @MaxLength(1024)
  FFMPEG_PATH = 'ffmpeg';

  @IsString() @MinLength(1) @MaxLength(1024)
  FFPROBE_PATH = 'ffprobe';

  /** JPEG quality of live frames sent to viewers. */
  @Type(() => Number) @IsInt() @Min(10) @Max(100)
  LIVE_JPEG_QUALITY = 70;

  /** Live frames are downscaled to at most this width. */
  @Type(() => Number) @IsInt() @Min(160) @Max(3840)
  LIVE_MAX_WIDTH = 960;

  // ---- web ----
  /** Built Angular app served by the api. Empty = don't serve. */
  @IsString() @MaxLength(1024)
  WEB_DIST = 'dist/web/browser';

  /** Comma-separated origins allowed by CORS (the Angular dev server in development). */
  @IsString() @MaxLength(4096)
  CORS_ORIGINS = '';
}
