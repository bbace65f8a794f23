import type {
  AlertChannel,
  AlertStatus,
  CameraSourceType,
  CameraStatus,
  LogLevel,
  RiskLevel,
  UserRole,
} from '@crowdsafe/contracts';

/** Which SQL database backs the app: PostgreSQL (server) or SQLite (embedded). */
export type DatabaseDialect = 'postgres' | 'sqlite';

/** A JSON object stored in a jsonb (PostgreSQL) / json text (SQLite) column. */
export type JsonObject = Record<string, unknown>;

/** TypeORM entity names, for `dataSource.getRepository<UserRecord>(EntityName.User)`. */
export const EntityName = {
  User: 'User',
  Camera: 'Camera',
  Metric: 'Metric',
  Alert: 'Alert',
  AlertRecipient: 'AlertRecipient',
  Recording: 'Recording',
  SystemLog: 'SystemLog',
  Setting: 'Setting',
  // settings API
  SettingHistory: 'SettingHistory',
  MetricMinute: 'MetricMinute',
  CrossingEvent: 'CrossingEvent',
} as const;
export type EntityName = (typeof EntityName)[keyof typeof EntityName];

export interface UserRecord {
  id: string;
  username: string;
  email: string | null;
  passwordHash: string | null;
  fullName: string | null;
  role: UserRole;
  isActive: boolean;
  mustChangePassword: boolean;
  failedLoginCount: number;
  lockedUntil: Date | null;
  lastLoginAt: Date | null;
  /** 'local' or the name of an external identity provider. */
  authProvider: string;
  externalId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface CameraRecord {
  id: string;
  name: string;
  location: string | null;
  sourceType: CameraSourceType;
  /** May contain credentials: redact before logging or returning it. */
  sourceUrl: string;
  sourceOptions: JsonObject;
  isActive: boolean;
  status: CameraStatus;
  statusReason: string | null;
  targetFps: number;
  resolutionWidth: number | null;
  resolutionHeight: number | null;
  areaM2: number | null;
  capacity: number | null;
  /** WGS 84 position of the camera (optional, for maps). */
  latitude: number | null;
  longitude: number | null;
  calibrationData: JsonObject | null;
  zones: JsonObject[];
  settings: JsonObject;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * One per-second metric row of one camera. Optional fields default to null / {} when written.
 * Free-form `metadata` (the pipeline writes e.g. { countMin, frames, method }).
 */
export interface MetricRecord {
  cameraId: string;
  /** Start of the second (UTC). Together with cameraId the primary key. */
  time: Date;
  /** People count: mean over the second's processed frames, rounded. */
  count: number;
  /** Highest per-frame count in the second. */
  countMax?: number | null;
  density?: number | null;
  velocity?: number | null;
  surge?: number | null;
  flowIn?: number | null;
  flowOut?: number | null;
  riskScore?: number | null;
  riskLevel?: RiskLevel | null;
  /**
   * Dominant movement direction of the second, degrees clockwise from image up (0 = up, 90 = right), [0, 360);
   * null when people stand still, too few move or movement is chaotic (compass word and coherence in metadata.movement).
   */
  heading?: number | null;
  metadata?: JsonObject;
}

/** A metric row with every optional column explicit (null when absent, {} for metadata). */
export type CompleteMetricRecord = { [K in keyof MetricRecord]-?: Exclude<MetricRecord[K], undefined> };

export function completeMetricRecord(r: MetricRecord): CompleteMetricRecord {
  return {
    cameraId: r.cameraId,
    time: r.time,
    count: r.count,
    countMax: r.countMax ?? null,
    density: r.density ?? null,
    velocity: r.velocity ?? null,
    surge: r.surge ?? null,
    flowIn: r.flowIn ?? null,
    flowOut: r.flowOut ?? null,
    riskScore: r.riskScore ?? null,
    riskLevel: r.riskLevel ?? null,
    heading: r.heading ?? null,
    metadata: r.metadata ?? {},
  };
}

export interface AlertRecord {
  id: string;
  cameraId: string;
  level: RiskLevel;
  condition: string;
  status: AlertStatus;
  message: string;
  metricsSnapshot: JsonObject;
  snapshotPath: string | null;
  channelsNotified: AlertChannel[];
  escalationLevel: number;
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  notes: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Channels an alert recipient can be reached on ('dashboard' is implicit, not a recipient). */
export type RecipientChannel = Exclude<AlertChannel, 'dashboard'>;
export const RECIPIENT_CHANNELS: readonly RecipientChannel[] = ['email', 'sms', 'push', 'webhook'];

export interface AlertRecipientRecord {
  id: string;
  /** null = all cameras. */
  cameraId: string | null;
  name: string;
  channel: RecipientChannel;
  destination: string;
  minLevel: RiskLevel;
  isActive: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type RecordingTrigger = 'manual' | 'alert' | 'schedule' | 'continuous';
export const RECORDING_TRIGGERS: readonly RecordingTrigger[] = ['manual', 'alert', 'schedule', 'continuous'];
/** recording (collecting segments) -> processing (assembling the MP4) -> completed | failed. */
export type RecordingStatus = 'recording' | 'processing' | 'completed' | 'failed';
export const RECORDING_STATUSES: readonly RecordingStatus[] = ['recording', 'processing', 'completed', 'failed'];

export interface RecordingRecord {
  id: string;
  cameraId: string;
  alertId: string | null;
  trigger: RecordingTrigger;
  status: RecordingStatus;
  startTime: Date;
  endTime: Date | null;
  durationS: number | null;
  filePath: string;
  /** bigint in the database, a JS number here (exact below 2^53 bytes). */
  sizeBytes: number | null;
  createdBy: string | null;
  createdAt: Date;
  /** JPEG thumbnail next to the clip (relative to the recordings directory), null until assembled. */
  thumbnailPath: string | null;
  /** Protected recordings are never deleted by age or disk retention. */
  isProtected: boolean;
  /** Peak people count / density (people/m²) / risk score of the camera during the clip (metrics table). */
  peakCount: number | null;
  peakDensity: number | null;
  peakRiskScore: number | null;
  /** Why it failed (status 'failed'). */
  error: string | null;
}

export type LogCategory = 'audit' | 'auth' | 'system' | 'camera' | 'alert';
export const LOG_CATEGORIES: readonly LogCategory[] = ['audit', 'auth', 'system', 'camera', 'alert'];

/** Application log line and audit trail entry (category 'audit': details = { before, after }). */
export interface SystemLogRecord {
  /** bigint identity; a decimal string so it never loses precision. */
  id: string;
  time: Date;
  level: LogLevel;
  category: LogCategory;
  action: string | null;
  message: string;
  userId: string | null;
  ip: string | null;
  resourceType: string | null;
  resourceId: string | null;
  details: JsonObject | null;
}

export interface SettingRecord {
  category: string;
  key: string;
  value: unknown;
  version: number;
  updatedBy: string | null;
  updatedAt: Date;
}

// ---- settings API ----
/**
 * Per-minute rollup of `metrics` (metrics_minute), kept by the metrics writer so week-long analytics read ~10k rows
 * instead of ~600k. Sums and counts (not means) so minutes combine exactly into any coarser bucket.
 */
export interface MetricMinuteRecord {
  cameraId: string;
  /** Minute start, epoch seconds (a multiple of 60). */
  minute: number;
  /** Per-second rows in the minute. */
  samples: number;
  countSum: number;
  /** Highest per-frame count (count_max, else count). */
  countMax: number;
  densitySum: number | null;
  densityN: number;
  densityMax: number | null;
  velocitySum: number | null;
  velocityN: number;
  surgeMax: number | null;
  flowIn: number | null;
  flowOut: number | null;
  riskSum: number | null;
  riskN: number;
  riskMax: number | null;
  /** Highest tracked level as its index in RISK_LEVELS (null: none). */
  riskRank: number | null;
  /** Seconds at each tracked level: SAFE, CAUTION, WARNING, CRITICAL. */
  lvl0: number;
  lvl1: number;
  lvl2: number;
  lvl3: number;
}

/** One past value of a setting (settings_history): every write appends one; bounded per key by the settings service. */
export interface SettingHistoryRecord {
  /** bigint identity; a decimal string so it never loses precision. */
  id: string;
  category: string;
  key: string;
  value: unknown;
  version: number;
  updatedBy: string | null;
  updatedAt: Date;
}

/** One counting-line crossing (`crossing_events`, the spec's person_logs): who crossed which line, which way, when. */
export interface CrossingEventRecord {
  /** bigint identity, as a string. */
  id: string;
  cameraId: string;
  time: Date;
  /** The line's id and name in the camera's settings.analytics.lines at the time. */
  lineId: string;
  lineName: string;
  direction: 'in' | 'out';
  /** The tracker's id of the person (unique per camera run, reused after a restart). */
  trackId: number;
}
