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
import { OpsEnvSchema } from './ops.env';

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
export class EnvSchema extends OpsEnvSchema {
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

  /** onnxruntime intra-op threads; 0 = measured at load, up to the role's bound (embedded api: cores - 1, worker: all cores). */
  @Type(() => Number) @IsInt() @Min(0) @Max(256)
  INFERENCE_THREADS = 0;

  /** onnxruntime graph optimisation level of both models; auto = measured at load and cached in DATA_DIR/onnx-tuning. */
  @IsIn(['auto', 'disabled', 'basic', 'extended', 'all'])
  ONNX_GRAPH_OPTIMIZATION: 'auto' | 'disabled' | 'basic' | 'extended' | 'all' = 'auto';

  @Type(() => Number) @IsNumber() @Min(0.01) @Max(1)
  DETECT_CONFIDENCE = 0.5;

  @Type(() => Number) @IsNumber() @Min(0.01) @Max(1)
  NMS_IOU = 0.7;

  @Type(() => Number) @IsInt() @Min(1) @Max(10000)
  MAX_DETECTIONS = 1000;

  /**
   * Scheduled detection: model passes per second shared by all cameras of the process, an override; 0 = follow the
   * detector's measured throughput (x 0.85), each camera <= 2.5 x fps.
   */
  @Type(() => Number) @IsNumber() @Min(0) @Max(10000)
  DETECT_PASS_BUDGET = 0;

  /** Scheduled detection: every slice of a camera is re-examined at least this often (seconds) when the budget allows. */
  @Type(() => Number) @IsNumber() @Min(0.2) @Max(10)
  SLICE_REFRESH_S = 1;

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

  /** Compute cap of the density census: its input's longest side never exceeds this (frames with small, far people are upscaled up to it). */
  @Type(() => Number) @IsInt() @Min(256) @Max(4096)
  FIDT_MAX_SIDE = 1024;

  /** onnxruntime intra-op threads of the density model; 0 = measured at load (same bound as INFERENCE_THREADS). */
  @Type(() => Number) @IsInt() @Min(0) @Max(256)
  FIDT_THREADS = 0;

  /** At most one density-model run (census) per camera per this interval (default 1 Hz). */
  @Type(() => Number) @IsInt() @Min(250) @Max(60000)
  DENSITY_INTERVAL_MS = 1000;

  // ---- cameras ----
  /** Frames waiting for inference per camera; when full the oldest is dropped and counted. */
  @Type(() => Number) @IsInt() @Min(1) @Max(300)
  FRAME_QUEUE_SIZE = 30;

  /** Frames older than this when their turn comes are discarded (keeps the live view live). */
  @Type(() => Number) @IsInt() @Min(100) @Max(60000)
  FRAME_MAX_AGE_MS = 3000;

  /**
   * How long a second stays open for frames still being detected before its metrics row is written and published
   * (frames detected later are left out of it). Raise on a host where inference round trips take longer.
   */
  @Type(() => Number) @IsInt() @Min(250) @Max(30000)
  CAMERA_METRICS_LATENESS_MS = 1500;

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

  /**
   * Floor layout of the sample camera (a camera.json: calibration, zones, capacity, counting lines), relative to the
   * working directory or absolute; '' = none. The default fits the bundled hall video (docs/calibration/README.md).
   */
  @IsString() @MaxLength(1024)
  SAMPLE_CAMERA_LAYOUT = 'docs/calibration/hall.json';

  /** Don't start camera ingestion in this process (e.g. an api replica behind a load balancer). */
  @Transform(toBool) @IsBoolean()
  CAMERAS_ENABLED = true;

  /**
   * Distributed mode (REDIS_URL): each camera is run by one camera process at a time, holding a lease in Redis that
   * it renews every quarter of this; a process that dies loses its cameras to the others after this long (the
   * survivors look again the moment its heartbeat expires). 5 s: a renewal may be late by up to 3.75 s (a stalled
   * event loop) before the camera is lost, and a dead process's cameras are taken 3.75-5 s after the kill.
   */
  @Type(() => Number) @IsInt() @Min(2000) @Max(120000)
  CAMERA_LEASE_TTL_MS = 5000;

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

  // ---- cameras: ingestion resilience, SSRF guard, media dirs (helper C) ----
  /** Extra directories (comma-separated) that `file` camera sources may live under, besides MEDIA_DIR. */
  @IsString() @MaxLength(8192)
  CAMERA_MEDIA_DIRS = '';

  /**
   * Networks (comma-separated IPs/CIDRs) that network camera sources may resolve to although they are private,
   * loopback, link-local or CGNAT (refused by default: SSRF guard). Real camera LANs go here, e.g. 192.168.1.0/24.
   */
  @IsString() @MaxLength(8192)
  CAMERA_ALLOWED_NETWORKS = '';

  /** No decoded frame for this long -> ffmpeg is killed and restarted (watchdog). Also the socket I/O timeout. */
  @Type(() => Number) @IsInt() @Min(500) @Max(300000)
  CAMERA_STALL_TIMEOUT_MS = 10000;

  /** First reconnect delay; doubles per failed attempt (with jitter) up to CAMERA_BACKOFF_MAX_MS. */
  @Type(() => Number) @IsInt() @Min(50) @Max(60000)
  CAMERA_BACKOFF_INITIAL_MS = 500;

  @Type(() => Number) @IsInt() @Min(50) @Max(600000)
  CAMERA_BACKOFF_MAX_MS = 30000;

  /** Limit for probing a source (ffprobe) at each connect and for POST /api/cameras/test. */
  @Type(() => Number) @IsInt() @Min(500) @Max(120000)
  CAMERA_PROBE_TIMEOUT_MS = 10000;

  /** Process every N-th decoded frame (1 = all); a camera's sourceOptions.frameSkip overrides it. */
  @Type(() => Number) @IsInt() @Min(1) @Max(100)
  CAMERA_FRAME_SKIP = 1;

  // ---- notifications (alert delivery: email, SMS, web push, webhooks) ----
  /** Attempts per delivery (1 = no retry); retries back off exponentially. */
  @Type(() => Number) @IsInt() @Min(1) @Max(20)
  NOTIFY_ATTEMPTS = 5;

  /** First retry delay; doubles per attempt up to NOTIFY_BACKOFF_MAX_MS. */
  @Type(() => Number) @IsInt() @Min(10) @Max(600000)
  NOTIFY_BACKOFF_MS = 2000;

  @Type(() => Number) @IsInt() @Min(10) @Max(3600000)
  NOTIFY_BACKOFF_MAX_MS = 60000;

  /** One send (SMTP transaction, Twilio/push/webhook request) is abandoned after this long and retried. */
  @Type(() => Number) @IsInt() @Min(200) @Max(120000)
  NOTIFY_SEND_TIMEOUT_MS = 10000;

  /** Deliveries in flight at once per channel (a slow channel never takes the others' slots). */
  @Type(() => Number) @IsInt() @Min(1) @Max(64)
  NOTIFY_CHANNEL_CONCURRENCY = 4;

  /** Deliveries waiting (incl. retries) before new ones are refused and reported as failed. */
  @Type(() => Number) @IsInt() @Min(10) @Max(1000000)
  NOTIFY_QUEUE_MAX = 5000;

  /** Consecutive failures of a channel that open its circuit breaker (further sends fail fast). */
  @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  NOTIFY_BREAKER_FAILURES = 5;

  /** How long an open breaker waits before one probe send (half-open). */
  @Type(() => Number) @IsInt() @Min(100) @Max(3600000)
  NOTIFY_BREAKER_COOLDOWN_MS = 30000;

  /** SMTP server as a URL (smtp://user:pass@host:587, smtps://... for implicit TLS). Overrides SMTP_HOST & co. */
  @IsString() @MaxLength(2048) @Matches(/^(|smtps?:\/\/.+)$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL = '';

  @IsString() @MaxLength(255) @Matches(/^[A-Za-z0-9.:_\-[\]]*$/, { message: 'SMTP_HOST must be a host name or IP address' })
  SMTP_HOST = '';

  @Type(() => Number) @IsInt() @Min(1) @Max(65535)
  SMTP_PORT = 587;

  /** true = implicit TLS (port 465); false = STARTTLS when the server offers it. */
  @Transform(toBool) @IsBoolean()
  SMTP_SECURE = false;

  @IsString() @MaxLength(512)
  SMTP_USER = '';

  @IsString() @MaxLength(1024)
  SMTP_PASS = '';

  /** Sender of alert mail, e.g. "CrowdSafe <alerts@example.com>". Required when SMTP is configured. */
  @IsString() @MaxLength(512)
  SMTP_FROM = '';

  @IsString() @Matches(/^(|AC[0-9a-fA-F]{32})$/, { message: 'TWILIO_ACCOUNT_SID must look like AC followed by 32 hex digits' })
  TWILIO_ACCOUNT_SID = '';

  @IsString() @MaxLength(256)
  TWILIO_AUTH_TOKEN = '';

  /** Sender number (E.164) or alphanumeric sender id; or set TWILIO_MESSAGING_SERVICE_SID. */
  @IsString() @Matches(/^(|\+[1-9]\d{6,14}|[A-Za-z0-9 ]{1,11})$/, { message: 'TWILIO_FROM must be an E.164 number (+15551234567) or an alphanumeric sender id (<= 11)' })
  TWILIO_FROM = '';

  @IsString() @Matches(/^(|MG[0-9a-fA-F]{32})$/, { message: 'TWILIO_MESSAGING_SERVICE_SID must look like MG followed by 32 hex digits' })
  TWILIO_MESSAGING_SERVICE_SID = '';

  /** Base URL of the Twilio REST API, for testing / a regional edge (default https://api.twilio.com). */
  @IsString() @MaxLength(2048) @Matches(/^(|https?:\/\/[^\s]+)$/, { message: 'TWILIO_API_URL must be an http(s) URL' })
  TWILIO_API_URL = '';

  /** VAPID key pair for web push (npx web-push generate-vapid-keys). Both or neither. */
  @IsString() @Matches(/^(|[A-Za-z0-9_-]{80,100})$/, { message: 'VAPID_PUBLIC_KEY must be a base64url P-256 public key (npx web-push generate-vapid-keys)' })
  VAPID_PUBLIC_KEY = '';

  @IsString() @Matches(/^(|[A-Za-z0-9_-]{40,50})$/, { message: 'VAPID_PRIVATE_KEY must be a base64url P-256 private key (npx web-push generate-vapid-keys)' })
  VAPID_PRIVATE_KEY = '';

  /** Contact for push services: mailto:ops@example.com or an https:// URL. */
  @IsString() @MaxLength(512) @Matches(/^(|mailto:.+|https:\/\/.+)$/, { message: 'VAPID_SUBJECT must be a mailto: or https:// URL' })
  VAPID_SUBJECT = '';

  /** How long a push service keeps an undelivered alert (seconds). */
  @Type(() => Number) @IsInt() @Min(0) @Max(2419200)
  PUSH_TTL_S = 900;

  /** HMAC-SHA256 key for X-CrowdSafe-Signature on webhooks. Webhooks are disabled without it. */
  @IsString() @Matches(/^(|.{16,256})$/, { message: 'WEBHOOK_SECRET must be 16-256 characters (openssl rand -hex 32)' })
  WEBHOOK_SECRET = '';

  // ---- alerts (libs/server/alerts: lifecycle, snapshots, console links) ----
  /** Base URL of the console, for links in notifications (no trailing slash needed). */
  @IsString() @MaxLength(512) @Matches(/^https?:\/\/[^\s]+$/, { message: 'PUBLIC_URL must be an http(s) URL, e.g. https://crowdsafe.example.org' })
  PUBLIC_URL = 'http://localhost:3000';

  /** After an alert resolves, the same camera + condition opens no new alert for this long (unless the level is higher). */
  @Type(() => Number) @IsInt() @Min(0) @Max(86400)
  ALERT_COOLDOWN_S = 60;

  /** A condition clear for this long resolves its alert automatically (all-clear). */
  @Type(() => Number) @IsInt() @Min(0) @Max(3600)
  ALERT_ALL_CLEAR_S = 30;

  /** A camera offline / in error for longer than this raises camera_offline. */
  @Type(() => Number) @IsInt() @Min(0) @Max(3600)
  ALERT_OFFLINE_GRACE_S = 30;

  /** Annotated alert snapshots kept per camera (oldest deleted first). */
  @Type(() => Number) @IsInt() @Min(1) @Max(100000)
  ALERT_SNAPSHOT_MAX_PER_CAMERA = 500;

  /** Alert snapshots older than this are deleted. */
  @Type(() => Number) @IsInt() @Min(1) @Max(3650)
  ALERT_SNAPSHOT_RETENTION_DAYS = 30;

  // ---- recordings (libs/server/recordings) ----
  /** Record: each camera's ffmpeg also writes its stream (copied, not re-encoded) into segments under DATA_DIR/recordings. */
  @Transform(toBool) @IsBoolean()
  RECORDINGS_ENABLED = true;

  /** Target segment length (s); cuts happen at the source's keyframes. */
  @Type(() => Number) @IsInt() @Min(1) @Max(60)
  RECORDING_SEGMENT_S = 10;

  /** Rolling pre-roll buffer kept per camera (s). */
  @Type(() => Number) @IsInt() @Min(10) @Max(3600)
  RECORDING_BUFFER_S = 60;

  /** Keep every segment of every camera (continuous recording), deleted after RECORDING_RETENTION_CONTINUOUS_DAYS. A camera's settings.recording.continuous overrides it. */
  @Transform(toBool) @IsBoolean()
  RECORDING_CONTINUOUS = false;

  /** Alert levels that record a clip automatically (comma-separated; empty = none). */
  @Matches(/^\s*((SAFE|CAUTION|WARNING|CRITICAL)\s*(,\s*(SAFE|CAUTION|WARNING|CRITICAL)\s*)*)?$/, { message: 'RECORDING_ALERT_LEVELS must be a comma-separated list of CAUTION, WARNING, CRITICAL' })
  RECORDING_ALERT_LEVELS = 'WARNING,CRITICAL';

  /** Seconds before an alert's trigger included in its clip. */
  @Type(() => Number) @IsInt() @Min(10) @Max(3600)
  RECORDING_ALERT_PREROLL_S = 15;

  /** Seconds after an alert's trigger included in its clip. */
  @Type(() => Number) @IsInt() @Min(5) @Max(3600)
  RECORDING_ALERT_POSTROLL_S = 30;

  /** Alert clips are protected from age and disk retention. */
  @Transform(toBool) @IsBoolean()
  RECORDING_PROTECT_ALERT_CLIPS = false;

  /** Longest on-demand recording (s); a start without a duration stops itself after it. */
  @Type(() => Number) @IsInt() @Min(10) @Max(86400)
  RECORDING_MAX_DURATION_S = 3600;

  /** Retention by age per trigger class (days). */
  @Type(() => Number) @IsInt() @Min(1) @Max(3650)
  RECORDING_RETENTION_MANUAL_DAYS = 30;

  @Type(() => Number) @IsInt() @Min(1) @Max(3650)
  RECORDING_RETENTION_ALERT_DAYS = 90;

  @Type(() => Number) @IsInt() @Min(1) @Max(3650)
  RECORDING_RETENTION_CONTINUOUS_DAYS = 7;

  /** Minimum free space (MB) on the recordings disk; the effective floor is the larger of this and one hour of the cameras' measured recording bandwidth. */
  @Type(() => Number) @IsInt() @Min(0) @Max(10000000)
  RECORDING_MIN_FREE_MB = 1024;

  /** Live HLS per camera (DATA_DIR/recordings/live/<cameraId>/): the stream copied into short HLS segments for many viewers (copyable codecs only). */
  @Transform(toBool) @IsBoolean()
  LIVE_HLS_ENABLED = true;

  /** Target HLS segment length (s, 0.5 to 10). A copied stream is cut at the source's keyframes, so its latency is at least the camera's GOP; a transcoded one gets a keyframe every segment. */
  @Type(() => Number) @IsNumber() @Min(0.5) @Max(10)
  LIVE_HLS_SEGMENT_S = 1;

  /**
   * Live HLS rendition: `copy` (the camera's stream as it is: no CPU, latency >= its keyframe interval), `transcode`
   * (H.264 libx264 ultrafast/zerolatency, a keyframe every segment, bounded size and rate: low latency for every
   * source, ~a tenth of a core per camera), `auto` (copy when the camera's measured keyframe interval fits the
   * segment length, else transcode). Recordings always copy. The transcode runs only while watched (a separate
   * ffmpeg on the camera's loopback feed, started by the first playlist request, stopped LIVE_HLS_LINGER_S after the
   * last; ~0.5 % of a core per camera with no viewer; the console player waits through the 503 of a cold start).
   * Default `auto`; `copy` where no CPU may go to HLS.
   */
  @IsIn(['copy', 'transcode', 'auto'])
  LIVE_HLS_MODE: 'copy' | 'transcode' | 'auto' = 'auto';

  /** Largest width of the transcoded HLS rendition (px; kept below the source's, aspect preserved). */
  @Type(() => Number) @IsInt() @Min(160) @Max(3840)
  LIVE_HLS_MAX_WIDTH = 960;

  /**
   * Largest height of the transcoded HLS rendition (px; with LIVE_HLS_MAX_WIDTH, whichever bounds first, aspect
   * preserved, never upscaled). Lower it (e.g. 360) on a busy host: the on-demand transcode must keep real time, or
   * its live latency grows until its input queue (~1 s) drops frames.
   */
  @Type(() => Number) @IsInt() @Min(120) @Max(2160)
  LIVE_HLS_MAX_HEIGHT = 540;

  /** Frame rate of the transcoded HLS rendition (0 = the source's). */
  @Type(() => Number) @IsInt() @Min(0) @Max(60)
  LIVE_HLS_FPS = 15;

  /** On-demand HLS transcode: seconds without a playlist/segment request before a camera's transcode is stopped. */
  @Type(() => Number) @IsInt() @Min(1) @Max(3600)
  LIVE_HLS_LINGER_S = 30;

  /** On-demand HLS transcode: how long (ms) the first playlist request waits for the first segment before a 503 with Retry-After. */
  @Type(() => Number) @IsInt() @Min(0) @Max(30000)
  LIVE_HLS_START_WAIT_MS = 4000;

  /** On-demand HLS transcode: at most this many cameras transcode at once (more viewers of other cameras get 503). */
  @Type(() => Number) @IsInt() @Min(1) @Max(256)
  LIVE_HLS_MAX_TRANSCODES = 4;

  /** Disk usage (%) that raises the storage warning in the console. */
  @Type(() => Number) @IsInt() @Min(1) @Max(100)
  RECORDING_DISK_WARN_PERCENT = 80;

  // ---- web ----
  /** Built Angular app served by the api. Empty = don't serve. */
  @IsString() @MaxLength(1024)
  WEB_DIST = 'dist/web/browser';

  /** Comma-separated origins allowed by CORS (the Angular dev server in development). */
  @IsString() @MaxLength(4096)
  CORS_ORIGINS = '';

  // ---- security (rate limits, proxies, secrets at rest, audit log retention) ----
  /** Apply the per-IP rate limits below (turn off only behind a gateway that limits already). */
  @Transform(toBool) @IsBoolean()
  RATE_LIMIT_ENABLED = true;

  /** Requests per minute per client IP to /api (all routes together). */
  @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000)
  RATE_LIMIT_API_PER_MIN = 100;

  /** Login attempts (POST /api/auth/login) per minute per client IP. */
  @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000)
  RATE_LIMIT_LOGIN_PER_MIN = 5;

  /** Comma-separated reverse proxies whose X-Forwarded-For is trusted: IPs, CIDRs or loopback/linklocal/uniquelocal. */
  @IsString() @MaxLength(4096) @Matches(/^[0-9A-Za-z.:/,\s]*$/, {
    message: 'TRUSTED_PROXIES must be a comma-separated list of IPs, CIDRs or loopback/linklocal/uniquelocal',
  })
  TRUSTED_PROXIES = '';

  /** Key for secrets at rest (AES-256-GCM): base64 of 32 random bytes. Required in production; otherwise generated in DATA_DIR. */
  @IsString() @Matches(/^(|[A-Za-z0-9+/]{43}=)$/, { message: 'SECRETS_KEY must be base64 of exactly 32 bytes (openssl rand -base64 32)' })
  SECRETS_KEY = '';

  /** Comma-separated earlier SECRETS_KEY values, still accepted for reading during a key rotation. */
  @IsString() @MaxLength(4096) @Matches(/^(|[A-Za-z0-9+/]{43}=(\s*,\s*[A-Za-z0-9+/]{43}=)*)$/, {
    message: 'SECRETS_PREVIOUS_KEYS must be a comma-separated list of base64 32-byte keys',
  })
  SECRETS_PREVIOUS_KEYS = '';

  /** system_logs entries (audit trail included) are deleted after this many days. */
  @Type(() => Number) @IsInt() @Min(1) @Max(3650)
  LOG_RETENTION_DAYS = 90;

  // ---- auth (libs/server/auth, libs/server/users): tokens, sessions, passwords, OIDC, trusted proxy headers ----
  /** HS256 key for access tokens (>= 32 chars). Required in production with DATABASE_URL/REDIS_URL; else generated in DATA_DIR. */
  @IsString() @Matches(/^(|.{32,512})$/, { message: 'JWT_SECRET must be 32-512 characters (openssl rand -base64 48)' })
  JWT_SECRET = '';

  /** Access token lifetime in seconds (the server-side inactivity timeout still applies). */
  @Type(() => Number) @IsInt() @Min(60) @Max(604800)
  AUTH_ACCESS_TOKEN_TTL_S = 86400;

  /** Refresh token (session) lifetime in seconds; every refresh rotates the token and restarts it. */
  @Type(() => Number) @IsInt() @Min(300) @Max(7776000)
  AUTH_REFRESH_TOKEN_TTL_S = 604800;

  /** A session with no authenticated request for this many seconds is ended server-side. */
  @Type(() => Number) @IsInt() @Min(1) @Max(604800)
  AUTH_INACTIVITY_TIMEOUT_S = 1800;

  /** bcrypt cost for password hashes (at least 10 when NODE_ENV=production). */
  @Type(() => Number) @IsInt() @Min(4) @Max(15)
  AUTH_BCRYPT_COST = 12;

  /** Failed logins in a row before an account is locked. */
  @Type(() => Number) @IsInt() @Min(1) @Max(100)
  AUTH_LOCKOUT_THRESHOLD = 5;

  /** First lockout in seconds; doubles with every further failure up to AUTH_LOCKOUT_MAX_S. */
  @Type(() => Number) @IsInt() @Min(1) @Max(86400)
  AUTH_LOCKOUT_BASE_S = 60;

  @Type(() => Number) @IsInt() @Min(1) @Max(604800)
  AUTH_LOCKOUT_MAX_S = 3600;

  /** Sessions kept by the in-process store (embedded mode; oldest evicted first). */
  @Type(() => Number) @IsInt() @Min(10) @Max(1_000_000)
  AUTH_MAX_SESSIONS = 10000;

  /** Concurrent sessions per user; the oldest is revoked beyond this. */
  @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  AUTH_SESSIONS_PER_USER = 20;

  /** How often live sockets are checked for a revoked/expired session (and then disconnected). */
  @Type(() => Number) @IsInt() @Min(100) @Max(300000)
  AUTH_SOCKET_CHECK_INTERVAL_MS = 15000;

  /** Refresh cookie Secure flag: auto = when the request is https (or https behind a trusted TLS proxy). */
  @IsIn(['auto', 'always', 'never'])
  AUTH_COOKIE_SECURE: 'auto' | 'always' | 'never' = 'auto';

  /** Username of the admin created on first start (empty users table). */
  @IsString() @Matches(/^[A-Za-z0-9._@-]{1,64}$/, { message: 'INITIAL_ADMIN_USERNAME must be 1-64 of A-Z a-z 0-9 . _ @ -' })
  INITIAL_ADMIN_USERNAME = 'admin';

  /** Password of that admin. Empty = a one-time password is generated and printed once (must be changed at login). */
  @IsString() @MaxLength(256)
  INITIAL_ADMIN_PASSWORD = '';

  /** OpenID Connect issuer (discovery URL base). Empty = SSO off. */
  @IsString() @MaxLength(1024) @Matches(/^(|https?:\/\/.+)$/, { message: 'OIDC_ISSUER_URL must be an http(s) URL' })
  OIDC_ISSUER_URL = '';

  @IsString() @MaxLength(255)
  OIDC_CLIENT_ID = '';

  @IsString() @MaxLength(1024)
  OIDC_CLIENT_SECRET = '';

  /** The api's callback as registered at the IdP, e.g. https://crowdsafe.example.org/api/auth/oidc/callback. */
  @IsString() @MaxLength(1024) @Matches(/^(|https?:\/\/.+)$/, { message: 'OIDC_REDIRECT_URI must be an http(s) URL' })
  OIDC_REDIRECT_URI = '';

  @IsString() @MinLength(1) @MaxLength(1024)
  OIDC_SCOPES = 'openid profile email';

  /** Label of the SSO button. */
  @IsString() @MinLength(1) @MaxLength(64)
  OIDC_NAME = 'Single sign-on';

  /** Claim holding the user's groups/roles (ID token or userinfo; dotted path allowed, e.g. realm_access.roles). */
  @IsString() @MinLength(1) @MaxLength(128)
  OIDC_ROLE_CLAIM = 'groups';

  /** Claim used as the CrowdSafe username (falls back to email, then sub). */
  @IsString() @MinLength(1) @MaxLength(128)
  OIDC_USERNAME_CLAIM = 'preferred_username';

  /** Comma-separated groups mapped to admin / operator / viewer (also used for AUTH_PROXY_GROUPS_HEADER). */
  @IsString() @MaxLength(4096)
  OIDC_ADMIN_GROUPS = '';

  @IsString() @MaxLength(4096)
  OIDC_OPERATOR_GROUPS = '';

  @IsString() @MaxLength(4096)
  OIDC_VIEWER_GROUPS = '';

  /** Role for an SSO/proxy user in none of the groups: viewer, or deny (refuse the login). */
  @IsIn(['viewer', 'deny'])
  OIDC_DEFAULT_ROLE: 'viewer' | 'deny' = 'deny';

  /** Trusted reverse-proxy authentication: take the user from headers set by the proxy (oauth2-proxy, Authelia...). */
  @Transform(toBool) @IsBoolean()
  AUTH_PROXY_ENABLED = false;

  /** Comma-separated CIDRs/IPs of the proxies allowed to set those headers (direct peer address). */
  @IsString() @MaxLength(4096) @Matches(/^[0-9A-Fa-f.:/,\s]*$/, { message: 'AUTH_PROXY_TRUSTED_CIDRS must be a comma-separated list of IPs or CIDRs' })
  AUTH_PROXY_TRUSTED_CIDRS = '';

  @IsString() @Matches(/^[A-Za-z0-9-]{1,64}$/, { message: 'AUTH_PROXY_USER_HEADER must be a header name' })
  AUTH_PROXY_USER_HEADER = 'x-forwarded-user';

  @IsString() @Matches(/^[A-Za-z0-9-]{1,64}$/, { message: 'AUTH_PROXY_EMAIL_HEADER must be a header name' })
  AUTH_PROXY_EMAIL_HEADER = 'x-forwarded-email';

  @IsString() @Matches(/^[A-Za-z0-9-]{1,64}$/, { message: 'AUTH_PROXY_GROUPS_HEADER must be a header name' })
  AUTH_PROXY_GROUPS_HEADER = 'x-forwarded-groups';
}
