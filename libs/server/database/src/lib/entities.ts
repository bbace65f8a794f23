import { EntitySchema, type EntitySchemaColumnOptions, type EntitySchemaOptions } from 'typeorm';
import type { SecretBox } from '@crowdsafe/server-core';
import {
  ALERT_STATUSES,
  CAMERA_SOURCE_TYPES,
  CAMERA_STATUSES,
  RISK_LEVELS,
  USER_ROLES,
} from '@crowdsafe/contracts';
import {
  EntityName,
  LOG_CATEGORIES,
  RECIPIENT_CHANNELS,
  RECORDING_STATUSES,
  RECORDING_TRIGGERS,
  type AlertRecipientRecord,
  type AlertRecord,
  type CameraRecord,
  type CrossingEventRecord,
  type DatabaseDialect,
  type MetricRecord,
  type RecordingRecord,
  type SettingRecord,
  type SettingHistoryRecord,
  type MetricMinuteRecord,
  type SystemLogRecord,
  type UserRecord,
} from './records';
import { sealedColumn, sealedJsonFields } from './secret-columns';
import { createReportEntity } from './report.entity';

export interface CreateEntitiesOptions {
  /** Encrypts cameras.source_url, alert_recipients.destination and secret-named JSON fields (source_options, settings values) at rest. */
  secrets?: SecretBox;
}

type Columns<T> = { [P in keyof T]?: EntitySchemaColumnOptions };

/** `CHECK (column IN ('a','b'))` with a stable name (TypeORM compares checks by name only). */
function inCheck(table: string, column: string, values: readonly string[]) {
  return { name: `CHK_${table}_${column}`, expression: `"${column}" IN (${values.map((v) => `'${v}'`).join(', ')})` };
}

const toNumber = { to: (v: unknown) => v, from: (v: unknown) => (v === null || v === undefined ? v : Number(v)) };
const toStringId = { to: (v: unknown) => v, from: (v: unknown) => (v === null || v === undefined ? v : String(v)) };

/**
 * Builds the entity schemas for one dialect. PostgreSQL gets real uuid / jsonb / timestamptz / bigint identity
 * columns; SQLite (embedded) gets varchar(36) / json text / datetime / integer autoincrement, since TypeORM rejects
 * the pg-only types there. Constraint and index names are explicit so migrations stay readable and stable.
 */
export function createEntities(dialect: DatabaseDialect, opts: CreateEntitiesOptions = {}): EntitySchema[] {
  // ---- security: secrets at rest; `opts.secrets` absent = schema tools only (values pass through) ----
  const sealed = sealedColumn(opts.secrets);
  const sealedJson = sealedJsonFields(opts.secrets);
  const pg = dialect === 'postgres';
  const uuid = (o: Partial<EntitySchemaColumnOptions> = {}): EntitySchemaColumnOptions =>
    pg ? { type: 'uuid', ...o } : { type: 'varchar', length: 36, ...o };
  const json = pg ? 'jsonb' : 'json';
  // PostgreSQL compares json defaults deeply; SQLite needs the literal SQL text.
  const jsonDefault = (v: object) => (pg ? v : () => `'${JSON.stringify(v)}'`);
  const ts = (o: Partial<EntitySchemaColumnOptions> = {}): EntitySchemaColumnOptions => ({
    type: pg ? 'timestamptz' : 'datetime',
    ...o,
  });
  const id = (table: string): EntitySchemaColumnOptions => ({
    ...uuid(),
    primary: true,
    generated: 'uuid',
    primaryKeyConstraintName: `PK_${table}`,
  });
  const fkUser = (table: string, column: string): EntitySchemaColumnOptions =>
    uuid({
      name: column,
      nullable: true,
      foreignKey: { target: EntityName.User, name: `FK_${table}_${column}`, onDelete: 'SET NULL' },
    });
  const fkCamera = (table: string, nullable = false): EntitySchemaColumnOptions =>
    uuid({
      name: 'camera_id',
      nullable,
      foreignKey: { target: EntityName.Camera, name: `FK_${table}_camera_id`, onDelete: 'CASCADE' },
    });
  const createdAt = (): EntitySchemaColumnOptions => ts({ name: 'created_at', createDate: true });
  const updatedAt = (): EntitySchemaColumnOptions => ts({ name: 'updated_at', updateDate: true });

  function schema<T>(o: EntitySchemaOptions<T> & { columns: Columns<T> }): EntitySchema<T> {
    return new EntitySchema<T>(o);
  }

  const users = schema<UserRecord>({
    name: EntityName.User,
    tableName: 'users',
    columns: {
      id: id('users'),
      username: { type: 'varchar', length: 64 },
      email: { type: 'varchar', length: 255, nullable: true },
      passwordHash: { type: 'varchar', length: 255, name: 'password_hash', nullable: true },
      fullName: { type: 'varchar', length: 128, name: 'full_name', nullable: true },
      role: { type: 'varchar', length: 16, default: 'viewer' },
      isActive: { type: 'boolean', name: 'is_active', default: true },
      mustChangePassword: { type: 'boolean', name: 'must_change_password', default: false },
      failedLoginCount: { type: 'int', name: 'failed_login_count', default: 0 },
      lockedUntil: ts({ name: 'locked_until', nullable: true }),
      lastLoginAt: ts({ name: 'last_login_at', nullable: true }),
      authProvider: { type: 'varchar', length: 32, name: 'auth_provider', default: 'local' },
      externalId: { type: 'varchar', length: 255, name: 'external_id', nullable: true },
      createdAt: createdAt(),
      updatedAt: updatedAt(),
    },
    uniques: [
      { name: 'UQ_users_username', columns: ['username'] },
      { name: 'UQ_users_email', columns: ['email'] },
    ],
    checks: [inCheck('users', 'role', USER_ROLES)],
  });

  const cameras = schema<CameraRecord>({
    name: EntityName.Camera,
    tableName: 'cameras',
    columns: {
      id: id('cameras'),
      name: { type: 'varchar', length: 128 },
      location: { type: 'varchar', length: 255, nullable: true },
      sourceType: { type: 'varchar', length: 16, name: 'source_type' },
      sourceUrl: { type: 'text', name: 'source_url', transformer: sealed },
      sourceOptions: { type: json, name: 'source_options', default: jsonDefault({}), transformer: sealedJson },
      isActive: { type: 'boolean', name: 'is_active', default: true },
      status: { type: 'varchar', length: 16, default: 'offline' },
      statusReason: { type: 'text', name: 'status_reason', nullable: true },
      targetFps: { type: 'real', name: 'target_fps', default: 5 },
      resolutionWidth: { type: 'int', name: 'resolution_width', nullable: true },
      resolutionHeight: { type: 'int', name: 'resolution_height', nullable: true },
      areaM2: { type: 'real', name: 'area_m2', nullable: true },
      capacity: { type: 'int', nullable: true },
      latitude: { type: 'double precision', nullable: true },
      longitude: { type: 'double precision', nullable: true },
      calibrationData: { type: json, name: 'calibration_data', nullable: true },
      zones: { type: json, default: jsonDefault([]) },
      settings: { type: json, default: jsonDefault({}) },
      createdBy: fkUser('cameras', 'created_by'),
      createdAt: createdAt(),
      updatedAt: updatedAt(),
    },
    uniques: [{ name: 'UQ_cameras_name', columns: ['name'] }],
    checks: [
      inCheck('cameras', 'source_type', CAMERA_SOURCE_TYPES),
      inCheck('cameras', 'status', CAMERA_STATUSES),
    ],
  });

  const metrics = schema<MetricRecord>({
    name: EntityName.Metric,
    tableName: 'metrics',
    columns: {
      // Column order = primary key order: (camera_id, time).
      cameraId: { ...fkCamera('metrics'), primary: true, primaryKeyConstraintName: 'PK_metrics' },
      time: ts({ primary: true, primaryKeyConstraintName: 'PK_metrics' }),
      count: { type: 'int' },
      countMax: { type: 'int', name: 'count_max', nullable: true },
      density: { type: 'real', nullable: true },
      velocity: { type: 'real', nullable: true },
      surge: { type: 'real', nullable: true },
      flowIn: { type: 'int', name: 'flow_in', nullable: true },
      flowOut: { type: 'int', name: 'flow_out', nullable: true },
      riskScore: { type: 'real', name: 'risk_score', nullable: true },
      riskLevel: { type: 'varchar', length: 16, name: 'risk_level', nullable: true },
      heading: { type: 'real', nullable: true },
      metadata: { type: json, default: jsonDefault({}) },
    },
    // No second index: the primary key (camera_id, time) serves "latest" (scanned backwards) and ranges; the
    // (camera_id, time DESC) index of an earlier migration is dropped by MetricsDropRedundantIndex1795242135901.
    checks: [inCheck('metrics', 'risk_level', RISK_LEVELS)],
  });

  const alerts = schema<AlertRecord>({
    name: EntityName.Alert,
    tableName: 'alerts',
    columns: {
      id: id('alerts'),
      cameraId: fkCamera('alerts'),
      level: { type: 'varchar', length: 16 },
      condition: { type: 'varchar', length: 32 },
      status: { type: 'varchar', length: 16, default: 'open' },
      message: { type: 'text' },
      metricsSnapshot: { type: json, name: 'metrics_snapshot' },
      snapshotPath: { type: 'text', name: 'snapshot_path', nullable: true },
      channelsNotified: { type: json, name: 'channels_notified', default: jsonDefault([]) },
      escalationLevel: { type: 'int', name: 'escalation_level', default: 0 },
      acknowledgedBy: fkUser('alerts', 'acknowledged_by'),
      acknowledgedAt: ts({ name: 'acknowledged_at', nullable: true }),
      resolvedBy: fkUser('alerts', 'resolved_by'),
      resolvedAt: ts({ name: 'resolved_at', nullable: true }),
      notes: { type: 'text', nullable: true },
      createdAt: createdAt(),
      updatedAt: updatedAt(),
    },
    indices: [
      { name: 'IDX_alerts_camera_created', columns: ['cameraId', 'createdAt'] },
      { name: 'IDX_alerts_status_level', columns: ['status', 'level'] },
      // At most one non-resolved alert per camera and condition (the alert engine updates it instead).
      {
        name: 'UQ_alerts_active_condition',
        columns: ['cameraId', 'condition'],
        unique: true,
        where: `"status" <> 'resolved'`,
      },
    ],
    checks: [inCheck('alerts', 'level', RISK_LEVELS), inCheck('alerts', 'status', ALERT_STATUSES)],
  });

  const alertRecipients = schema<AlertRecipientRecord>({
    name: EntityName.AlertRecipient,
    tableName: 'alert_recipients',
    columns: {
      id: id('alert_recipients'),
      cameraId: fkCamera('alert_recipients', true),
      name: { type: 'varchar', length: 128 },
      channel: { type: 'varchar', length: 16 },
      // text: a push subscription (JSON with endpoint URL and keys) can exceed 512 characters (A1 migration ...446).
      destination: { type: 'text', transformer: sealed },
      minLevel: { type: 'varchar', length: 16, name: 'min_level', default: 'WARNING' },
      isActive: { type: 'boolean', name: 'is_active', default: true },
      createdAt: createdAt(),
      updatedAt: updatedAt(),
    },
    indices: [{ name: 'IDX_alert_recipients_camera_channel', columns: ['cameraId', 'channel'] }],
    checks: [
      inCheck('alert_recipients', 'channel', RECIPIENT_CHANNELS),
      inCheck('alert_recipients', 'min_level', RISK_LEVELS),
    ],
  });

  const recordings = schema<RecordingRecord>({
    name: EntityName.Recording,
    tableName: 'recordings',
    columns: {
      id: id('recordings'),
      cameraId: fkCamera('recordings'),
      alertId: uuid({
        name: 'alert_id',
        nullable: true,
        foreignKey: { target: EntityName.Alert, name: 'FK_recordings_alert_id', onDelete: 'SET NULL' },
      }),
      trigger: { type: 'varchar', length: 16 },
      status: { type: 'varchar', length: 16 },
      startTime: ts({ name: 'start_time' }),
      endTime: ts({ name: 'end_time', nullable: true }),
      durationS: { type: 'real', name: 'duration_s', nullable: true },
      filePath: { type: 'text', name: 'file_path' },
      sizeBytes: { type: 'bigint', name: 'size_bytes', nullable: true, transformer: toNumber },
      createdBy: fkUser('recordings', 'created_by'),
      createdAt: createdAt(),
      thumbnailPath: { type: 'text', name: 'thumbnail_path', nullable: true },
      isProtected: { type: 'boolean', name: 'is_protected', default: false },
      peakCount: { type: 'real', name: 'peak_count', nullable: true },
      peakDensity: { type: 'real', name: 'peak_density', nullable: true },
      peakRiskScore: { type: 'real', name: 'peak_risk_score', nullable: true },
      error: { type: 'text', nullable: true },
    },
    indices: [{ name: 'IDX_recordings_camera_start', columns: ['cameraId', 'startTime'] }, { name: 'IDX_recordings_alert', columns: ['alertId'] }],
    checks: [
      inCheck('recordings', 'trigger', RECORDING_TRIGGERS),
      inCheck('recordings', 'status', RECORDING_STATUSES),
    ],
  });

  const systemLogs = schema<SystemLogRecord>({
    name: EntityName.SystemLog,
    tableName: 'system_logs',
    columns: {
      id: pg
        ? // EntitySchema's typings lack 'identity', TypeORM's PostgreSQL driver supports it.
          { type: 'bigint', primary: true, generated: 'identity' as 'increment', transformer: toStringId, primaryKeyConstraintName: 'PK_system_logs' }
        : { type: 'integer', primary: true, generated: 'increment', transformer: toStringId, primaryKeyConstraintName: 'PK_system_logs' },
      time: ts({ createDate: true }),
      level: { type: 'varchar', length: 8 },
      category: { type: 'varchar', length: 32 },
      action: { type: 'varchar', length: 64, nullable: true },
      message: { type: 'text' },
      userId: fkUser('system_logs', 'user_id'),
      ip: { type: 'varchar', length: 64, nullable: true },
      resourceType: { type: 'varchar', length: 32, name: 'resource_type', nullable: true },
      resourceId: { type: 'varchar', length: 64, name: 'resource_id', nullable: true },
      details: { type: json, nullable: true },
    },
    indices: [
      { name: 'IDX_system_logs_time', columns: ['time'] },
      { name: 'IDX_system_logs_category_time', columns: ['category', 'time'] },
      { name: 'IDX_system_logs_user_time', columns: ['userId', 'time'] },
    ],
    checks: [
      inCheck('system_logs', 'level', ['debug', 'info', 'warn', 'error']),
      inCheck('system_logs', 'category', LOG_CATEGORIES),
    ],
  });

  const settings = schema<SettingRecord>({
    name: EntityName.Setting,
    tableName: 'settings',
    columns: {
      category: { type: 'varchar', length: 32, primary: true, primaryKeyConstraintName: 'PK_settings' },
      key: { type: 'varchar', length: 64, primary: true, primaryKeyConstraintName: 'PK_settings' },
      value: { type: json, transformer: sealedJson },
      version: { type: 'int', default: 1 },
      updatedBy: fkUser('settings', 'updated_by'),
      updatedAt: updatedAt(),
    },
  });

  // ---- settings API: past values of every setting, newest version last ----
  const settingsHistory = schema<SettingHistoryRecord>({
    name: EntityName.SettingHistory,
    tableName: 'settings_history',
    columns: {
      id: pg
        ? { type: 'bigint', primary: true, generated: 'identity' as 'increment', transformer: toStringId, primaryKeyConstraintName: 'PK_settings_history' }
        : { type: 'integer', primary: true, generated: 'increment', transformer: toStringId, primaryKeyConstraintName: 'PK_settings_history' },
      category: { type: 'varchar', length: 32 },
      key: { type: 'varchar', length: 64 },
      value: { type: json, transformer: sealedJson },
      version: { type: 'int' },
      updatedBy: fkUser('settings_history', 'updated_by'),
      updatedAt: ts({ name: 'updated_at' }),
    },
    indices: [{ name: 'IDX_settings_history_key_version', columns: ['category', 'key', 'version'] }],
  });

  // ---- analytics: per-minute rollup of metrics (libs/server/metrics MetricsRollup keeps it) ----
  const dbl = pg ? 'double precision' : 'real';
  const metricsMinute = schema<MetricMinuteRecord>({
    name: EntityName.MetricMinute,
    tableName: 'metrics_minute',
    columns: {
      cameraId: { ...fkCamera('metrics_minute'), primary: true, primaryKeyConstraintName: 'PK_metrics_minute' },
      minute: { type: 'bigint', primary: true, transformer: toNumber, primaryKeyConstraintName: 'PK_metrics_minute' },
      samples: { type: 'int' },
      countSum: { type: 'bigint', name: 'count_sum', transformer: toNumber },
      countMax: { type: 'int', name: 'count_max' },
      densitySum: { type: dbl, name: 'density_sum', nullable: true },
      densityN: { type: 'int', name: 'density_n', default: 0 },
      densityMax: { type: 'real', name: 'density_max', nullable: true },
      velocitySum: { type: dbl, name: 'velocity_sum', nullable: true },
      velocityN: { type: 'int', name: 'velocity_n', default: 0 },
      surgeMax: { type: 'real', name: 'surge_max', nullable: true },
      flowIn: { type: 'int', name: 'flow_in', nullable: true },
      flowOut: { type: 'int', name: 'flow_out', nullable: true },
      riskSum: { type: dbl, name: 'risk_sum', nullable: true },
      riskN: { type: 'int', name: 'risk_n', default: 0 },
      riskMax: { type: 'real', name: 'risk_max', nullable: true },
      riskRank: { type: 'smallint', name: 'risk_rank', nullable: true },
      lvl0: { type: 'int', name: 'lvl_safe', default: 0 },
      lvl1: { type: 'int', name: 'lvl_caution', default: 0 },
      lvl2: { type: 'int', name: 'lvl_warning', default: 0 },
      lvl3: { type: 'int', name: 'lvl_critical', default: 0 },
    },
  });

  // Counting-line crossings (the spec's person_logs): one row per crossing, pruned by the crossings retention job.
  const crossingEvents = schema<CrossingEventRecord>({
    name: EntityName.CrossingEvent,
    tableName: 'crossing_events',
    columns: {
      id: pg
        ? { type: 'bigint', primary: true, generated: 'identity' as 'increment', transformer: toStringId, primaryKeyConstraintName: 'PK_crossing_events' }
        : { type: 'integer', primary: true, generated: 'increment', transformer: toStringId, primaryKeyConstraintName: 'PK_crossing_events' },
      cameraId: fkCamera('crossing_events'),
      time: ts(),
      lineId: { type: 'varchar', length: 64, name: 'line_id' },
      lineName: { type: 'varchar', length: 128, name: 'line_name' },
      direction: { type: 'varchar', length: 3 },
      trackId: { type: 'int', name: 'track_id' },
    },
    indices: [
      { name: 'IDX_crossing_events_camera_time', columns: ['cameraId', 'time'] },
      { name: 'IDX_crossing_events_time', columns: ['time'] },
    ],
    checks: [inCheck('crossing_events', 'direction', ['in', 'out'])],
  });

  return [users, cameras, metrics, alerts, alertRecipients, recordings, systemLogs, settings, settingsHistory, metricsMinute, crossingEvents, createReportEntity(dialect)] as EntitySchema[];
}
