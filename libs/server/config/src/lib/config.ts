import 'reflect-metadata';
import { isIP } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { EnvSchema } from './env.schema';
import { buildNotificationsConfig, type NotificationsConfig } from './notifications.config';
import { buildRecordingsConfig, type RecordingsConfig } from './recordings.config';
import { buildOpsConfig, type OpsConfig } from './ops.config';

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
    /** Scheduled detection: passes/s shared by the process's cameras (0 = each camera <= 2.5 x fps), slice refresh. */
    passBudget: number;
    sliceRefreshS: number;
    batchSize: number;
    workerConcurrency: number;
    maxInFlight: number;
    timeoutMs: number;
    /** ONNX_GRAPH_OPTIMIZATION: 'auto' = measured per model at load (cached), else forced for both models. */
    graphOptimization: 'auto' | 'disabled' | 'basic' | 'extended' | 'all';
  };
  /** Dense crowd counting: the FIDT density model run beside the detector at a low rate (modelPath null = off). */
  dense: { modelPath: string | null; maxSide: number; threads: number; intervalMs: number };
  cameras: {
    enabled: boolean;
    /** Camera lease TTL (distributed mode: one owner per camera across camera processes). */
    leaseTtlMs: number;
    frameQueueSize: number;
    frameMaxAgeMs: number;
    /** CAMERA_METRICS_LATENESS_MS: how long a second waits for frames still in detection. */
    metricsLatenessMs: number;
    defaultFps: number;
    defaultWidth: number;
    mediaDir: string;
    sampleCamera: boolean;
    sampleVideo: string;
    /** Absolute path of the sample camera's layout file, or null. */
    sampleLayout: string | null;
    ffmpegPath: string;
    ffprobePath: string;
    liveJpegQuality: number;
    liveMaxWidth: number;
    /** Realpaths-to-be of the directories file sources must live under: MEDIA_DIR first, then CAMERA_MEDIA_DIRS. */
    mediaDirs: string[];
    /** CAMERA_ALLOWED_NETWORKS, validated CIDRs ('a.b.c.d/n', 'x::/n'; a bare IP = /32 or /128). */
    allowedNetworks: string[];
    stallTimeoutMs: number;
    backoff: { initialMs: number; maxMs: number };
    probeTimeoutMs: number;
    frameSkip: number;
  };
  /** Alert delivery channels, retries and circuit breakers (libs/server/notifications). */
  notifications: NotificationsConfig;
  /** Recordings (libs/server/recordings): segments, pre-roll, clips, retention. */
  recordings: RecordingsConfig;
  /** Logs, /metrics, reports, backups (libs/server/observability, reports, backup). */
  ops: OpsConfig;
  /** Alerts (libs/server/alerts): engine timing, snapshot retention, console links. */
  alerts: {
    publicUrl: string;
    cooldownMs: number;
    allClearMs: number;
    offlineGraceMs: number;
    snapshotsDir: string;
    snapshotMaxPerCamera: number;
    snapshotRetentionDays: number;
  };
  web: { dist: string; corsOrigins: string[] };
  /** Security (libs/server/security): rate limits, trusted proxies, secrets at rest, audit log retention. */
  security: {
    rateLimit: { enabled: boolean; apiPerMinute: number; loginPerMinute: number };
    /** Express `trust proxy` list (IPs, CIDRs, loopback/linklocal/uniquelocal); [] = trust no proxy header. */
    trustedProxies: string[];
    /** Current SECRETS_KEY (base64 32 bytes); null = generate/persist one in DATA_DIR (not allowed in production). */
    secretsKey: string | null;
    /** Earlier keys still accepted for decryption during a rotation. */
    previousSecretsKeys: string[];
    logRetentionDays: number;
  };
  /** Authentication (libs/server/auth, libs/server/users): tokens, sessions, passwords, SSO, proxy headers. */
  auth: AuthConfig;
}

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const name = prefix + e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => (m.startsWith(e.property) ? m : `${name}: ${m}`));
    return [...own, ...flatten(e.children ?? [], `${name}.`)];
  });
}

/** An IP or IP/prefix: the address and prefix length (a bare IP = /32 or /128), else null. */
function parseCidr(value: string): { addr: string; bits: number } | null {
  const [addr = '', prefix, ...rest] = value.split('/');
  const family = isIP(addr);
  const max = family === 4 ? 32 : 128;
  if (!family || rest.length) return null;
  if (prefix === undefined) return { addr, bits: max };
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= max ? { addr, bits: Number(prefix) } : null;
}

/** One TRUSTED_PROXIES entry: an IP, an IP/prefix, or one of Express' names. */
function isProxySpec(p: string): boolean {
  return ['loopback', 'linklocal', 'uniquelocal'].includes(p) || parseCidr(p) !== null;
}

/** CAMERA_ALLOWED_NETWORKS -> normalised CIDRs; throws ConfigError naming the variable and the bad entries. */
function cameraNetworks(value: string): string[] {
  const out: string[] = [];
  const bad: string[] = [];
  for (const raw of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const c = parseCidr(raw);
    if (!c) bad.push(raw);
    else out.push(`${c.addr}/${c.bits}`);
  }
  if (bad.length) throw new ConfigError([`CAMERA_ALLOWED_NETWORKS: not an IP or CIDR: ${bad.join(', ').slice(0, 200)}`]);
  return out;
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
  const badProxies = e.TRUSTED_PROXIES.split(',').map((p) => p.trim()).filter((p) => p && !isProxySpec(p));
  if (badProxies.length) {
    throw new ConfigError([`TRUSTED_PROXIES: not an IP, CIDR or loopback/linklocal/uniquelocal: ${badProxies.join(', ').slice(0, 200)}`]);
  }
  if (e.NODE_ENV === 'production' && !e.SECRETS_KEY) {
    throw new ConfigError(['SECRETS_KEY is required when NODE_ENV=production (base64 of 32 random bytes: openssl rand -base64 32)']);
  }
  const notifications = buildNotificationsConfig(e);
  if (notifications.problems.length) throw new ConfigError(notifications.problems);
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  const dataDir = abs(e.DATA_DIR);
  const ops = buildOpsConfig(e, dataDir, cwd);
  if (ops.problems.length) throw new ConfigError(ops.problems);
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
      passBudget: e.DETECT_PASS_BUDGET,
      sliceRefreshS: e.SLICE_REFRESH_S,
      batchSize: e.INFERENCE_BATCH_SIZE,
      workerConcurrency: e.WORKER_CONCURRENCY,
      maxInFlight: e.INFERENCE_MAX_IN_FLIGHT,
      timeoutMs: e.INFERENCE_TIMEOUT_MS,
      graphOptimization: e.ONNX_GRAPH_OPTIMIZATION,
    },
    dense: {
      modelPath: e.FIDT_MODEL_PATH.trim() ? abs(e.FIDT_MODEL_PATH.trim()) : null,
      maxSide: e.FIDT_MAX_SIDE,
      threads: e.FIDT_THREADS,
      intervalMs: e.DENSITY_INTERVAL_MS,
    },
    cameras: {
      enabled: e.CAMERAS_ENABLED,
      leaseTtlMs: e.CAMERA_LEASE_TTL_MS,
      frameQueueSize: e.FRAME_QUEUE_SIZE,
      frameMaxAgeMs: e.FRAME_MAX_AGE_MS,
      metricsLatenessMs: e.CAMERA_METRICS_LATENESS_MS,
      defaultFps: e.CAMERA_DEFAULT_FPS,
      defaultWidth: e.CAMERA_DEFAULT_WIDTH,
      mediaDir,
      sampleCamera: e.SAMPLE_CAMERA,
      sampleVideo: isAbsolute(e.SAMPLE_VIDEO) ? e.SAMPLE_VIDEO : join(mediaDir, e.SAMPLE_VIDEO),
      sampleLayout: e.SAMPLE_CAMERA_LAYOUT ? (isAbsolute(e.SAMPLE_CAMERA_LAYOUT) ? e.SAMPLE_CAMERA_LAYOUT : join(cwd, e.SAMPLE_CAMERA_LAYOUT)) : null,
      ffmpegPath: e.FFMPEG_PATH,
      ffprobePath: e.FFPROBE_PATH,
      liveJpegQuality: e.LIVE_JPEG_QUALITY,
      liveMaxWidth: e.LIVE_MAX_WIDTH,
      mediaDirs: [mediaDir, ...e.CAMERA_MEDIA_DIRS.split(',').map((d) => d.trim()).filter(Boolean).map(abs)],
      allowedNetworks: cameraNetworks(e.CAMERA_ALLOWED_NETWORKS),
      stallTimeoutMs: e.CAMERA_STALL_TIMEOUT_MS,
      backoff: { initialMs: e.CAMERA_BACKOFF_INITIAL_MS, maxMs: Math.max(e.CAMERA_BACKOFF_INITIAL_MS, e.CAMERA_BACKOFF_MAX_MS) },
      probeTimeoutMs: e.CAMERA_PROBE_TIMEOUT_MS,
      frameSkip: e.CAMERA_FRAME_SKIP,
    },
    notifications: notifications.config,
    recordings: buildRecordingsConfig(e, dataDir),
    ops: ops.config,
    alerts: {
      publicUrl: e.PUBLIC_URL.replace(/\/+$/, ''),
      cooldownMs: e.ALERT_COOLDOWN_S * 1000,
      allClearMs: e.ALERT_ALL_CLEAR_S * 1000,
      offlineGraceMs: e.ALERT_OFFLINE_GRACE_S * 1000,
      snapshotsDir: join(dataDir, 'snapshots'),
      snapshotMaxPerCamera: e.ALERT_SNAPSHOT_MAX_PER_CAMERA,
      snapshotRetentionDays: e.ALERT_SNAPSHOT_RETENTION_DAYS,
    },
    web: {
      dist: e.WEB_DIST ? abs(e.WEB_DIST) : '',
      corsOrigins: e.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
    },
    security: {
      rateLimit: { enabled: e.RATE_LIMIT_ENABLED, apiPerMinute: e.RATE_LIMIT_API_PER_MIN, loginPerMinute: e.RATE_LIMIT_LOGIN_PER_MIN },
      trustedProxies: e.TRUSTED_PROXIES.split(',').map((s) => s.trim()).filter(Boolean),
      secretsKey: e.SECRETS_KEY || null,
      previousSecretsKeys: e.SECRETS_PREVIOUS_KEYS.split(',').map((s) => s.trim()).filter(Boolean),
      logRetentionDays: e.LOG_RETENTION_DAYS,
    },
    auth: buildAuthConfig(e),
  };
}

/** Nest injection token for AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');

// ---- auth section (owner: libs/server/auth) ----
export type AuthRoleMapping = { adminGroups: string[]; operatorGroups: string[]; viewerGroups: string[]; defaultRole: 'viewer' | 'deny' };

export interface AuthConfig {
  /** null = generate and persist one in DATA_DIR (embedded / development). */
  jwtSecret: string | null;
  accessTokenTtlS: number;
  refreshTokenTtlS: number;
  inactivityTimeoutS: number;
  bcryptCost: number;
  lockout: { threshold: number; baseS: number; maxS: number };
  maxSessions: number;
  sessionsPerUser: number;
  socketCheckIntervalMs: number;
  cookieSecure: 'auto' | 'always' | 'never';
  initialAdmin: { username: string; password: string | null };
  /** null = SSO off. */
  oidc: {
    issuerUrl: string;
    clientId: string;
    clientSecret: string;
    redirectUri: string;
    scopes: string;
    name: string;
    roleClaim: string;
    usernameClaim: string;
  } | null;
  /** Group -> role mapping for OIDC and proxy-header users. */
  roleMapping: AuthRoleMapping;
  /** null = trusted proxy-header mode off. */
  proxy: { trustedCidrs: string[]; userHeader: string; emailHeader: string; groupsHeader: string } | null;
}

function buildAuthConfig(e: EnvSchema): AuthConfig {
  const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);
  const problems: string[] = [];
  const distributed = !!e.DATABASE_URL || !!e.REDIS_URL;
  if (e.NODE_ENV === 'production' && distributed && !e.JWT_SECRET) {
    problems.push('JWT_SECRET is required when NODE_ENV=production with DATABASE_URL/REDIS_URL (all api replicas share it; at least 32 characters)');
  }
  if (e.NODE_ENV === 'production' && e.AUTH_BCRYPT_COST < 10) problems.push('AUTH_BCRYPT_COST must be at least 10 when NODE_ENV=production');
  if (e.AUTH_LOCKOUT_MAX_S < e.AUTH_LOCKOUT_BASE_S) problems.push('AUTH_LOCKOUT_MAX_S must be >= AUTH_LOCKOUT_BASE_S');
  if (e.AUTH_REFRESH_TOKEN_TTL_S < e.AUTH_ACCESS_TOKEN_TTL_S) problems.push('AUTH_REFRESH_TOKEN_TTL_S must be >= AUTH_ACCESS_TOKEN_TTL_S');
  const oidcOn = !!e.OIDC_ISSUER_URL;
  if (oidcOn) {
    if (!e.OIDC_CLIENT_ID) problems.push('OIDC_CLIENT_ID is required when OIDC_ISSUER_URL is set');
    if (!e.OIDC_REDIRECT_URI) problems.push('OIDC_REDIRECT_URI is required when OIDC_ISSUER_URL is set (the /api/auth/oidc/callback URL registered at the IdP)');
  }
  const cidrs = list(e.AUTH_PROXY_TRUSTED_CIDRS);
  if (e.AUTH_PROXY_ENABLED && !cidrs.length) problems.push('AUTH_PROXY_TRUSTED_CIDRS is required when AUTH_PROXY_ENABLED=true');
  for (const c of cidrs) if (!parseCidr(c)) problems.push(`AUTH_PROXY_TRUSTED_CIDRS: not an IP or CIDR: ${c.slice(0, 64)}`);
  if (problems.length) throw new ConfigError(problems);
  return {
    jwtSecret: e.JWT_SECRET || null,
    accessTokenTtlS: e.AUTH_ACCESS_TOKEN_TTL_S,
    refreshTokenTtlS: e.AUTH_REFRESH_TOKEN_TTL_S,
    inactivityTimeoutS: e.AUTH_INACTIVITY_TIMEOUT_S,
    bcryptCost: e.AUTH_BCRYPT_COST,
    lockout: { threshold: e.AUTH_LOCKOUT_THRESHOLD, baseS: e.AUTH_LOCKOUT_BASE_S, maxS: e.AUTH_LOCKOUT_MAX_S },
    maxSessions: e.AUTH_MAX_SESSIONS,
    sessionsPerUser: e.AUTH_SESSIONS_PER_USER,
    socketCheckIntervalMs: e.AUTH_SOCKET_CHECK_INTERVAL_MS,
    cookieSecure: e.AUTH_COOKIE_SECURE,
    initialAdmin: { username: e.INITIAL_ADMIN_USERNAME, password: e.INITIAL_ADMIN_PASSWORD || null },
    oidc: oidcOn
      ? {
          issuerUrl: e.OIDC_ISSUER_URL,
          clientId: e.OIDC_CLIENT_ID,
          clientSecret: e.OIDC_CLIENT_SECRET,
          redirectUri: e.OIDC_REDIRECT_URI,
          scopes: e.OIDC_SCOPES,
          name: e.OIDC_NAME,
          roleClaim: e.OIDC_ROLE_CLAIM,
          usernameClaim: e.OIDC_USERNAME_CLAIM,
        }
      : null,
    roleMapping: {
      adminGroups: list(e.OIDC_ADMIN_GROUPS),
      operatorGroups: list(e.OIDC_OPERATOR_GROUPS),
      viewerGroups: list(e.OIDC_VIEWER_GROUPS),
      defaultRole: e.OIDC_DEFAULT_ROLE,
    },
    proxy: e.AUTH_PROXY_ENABLED
      ? { trustedCidrs: cidrs, userHeader: e.AUTH_PROXY_USER_HEADER.toLowerCase(), emailHeader: e.AUTH_PROXY_EMAIL_HEADER.toLowerCase(), groupsHeader: e.AUTH_PROXY_GROUPS_HEADER.toLowerCase() }
      : null,
  };
}
