import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { Inject, Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { concat, defer, filter, map, type Observable, of, Subject } from 'rxjs';
import { DataSource } from 'typeorm';
import { DEFAULT_RISK_SETTINGS } from '@crowdsafe/risk';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import {
  EntityName,
  isUuid,
  SystemLogRepository,
  type SettingHistoryRecord,
  type SettingRecord,
} from '@crowdsafe/server-database';
import {
  buildSettingsRegistry,
  definitionOf,
  isCategory,
  issueMessages,
  SETTINGS_CATEGORIES,
  validateSetting,
  type SettingDefinition,
  type SettingIssue,
  type SettingKey,
  type SettingsCategory,
  type SettingsContext,
  type SettingsRegistry,
  type SettingsValues,
} from './registry';

/** Past versions kept per key in settings_history (older ones are pruned on write). */
export const SETTINGS_HISTORY_PER_KEY = 100;
/** Default log retention shown in `system.logRetentionDays` until it is set. */
export const DEFAULT_LOG_RETENTION_DAYS = 90;
/** With PostgreSQL (several api replicas), how often a replica re-reads the settings table for changes made elsewhere. */
export const SETTINGS_REFRESH_MS = 5000;

/** Unknown category or key (404). */
export class UnknownSettingError extends Error {
  constructor(
    readonly category: string,
    readonly key?: string,
  ) {
    super(
      key === undefined || !isCategory(category)
        ? `Unknown settings category "${category}" (one of ${SETTINGS_CATEGORIES.join(', ')})`
        : `Unknown setting "${category}.${key}"`,
    );
    this.name = 'UnknownSettingError';
  }
}

/** A value failed validation (400); nothing was saved. `issues` name each field. */
export class InvalidSettingError extends Error {
  constructor(readonly issues: SettingIssue[]) {
    super(`Invalid setting: ${issueMessages(issues).join('; ')}`);
    this.name = 'InvalidSettingError';
  }
}

/** A setting as the API shows it. */
export interface SettingView {
  category: SettingsCategory;
  key: string;
  value: unknown;
  default: unknown;
  /** 0 = never written (the default applies); every write adds 1. */
  version: number;
  updatedBy: string | null;
  updatedAt: Date | null;
  readOnly: boolean;
  description: string;
}

export interface SettingChange<C extends SettingsCategory = SettingsCategory, K extends SettingKey<C> = SettingKey<C>> {
  category: C;
  key: K;
  value: SettingsValues[C][K];
  previous: SettingsValues[C][K];
  version: number;
  updatedBy: string | null;
  updatedAt: Date;
}

interface Stored {
  value: unknown;
  version: number;
  updatedBy: string | null;
  updatedAt: Date | null;
}

/** Who made a change (for updated_by and the audit log). */
export interface SettingActor {
  userId?: string | null;
  username?: string | null;
  ip?: string | null;
}

export function settingsContextOf(config: AppConfig): SettingsContext {
  return {
    alertCooldownS: config.alerts.cooldownMs / 1000,
    alertAllClearS: config.alerts.allClearMs / 1000,
    defaultTargetFps: config.cameras.defaultFps,
    defaultWidth: config.cameras.defaultWidth,
    metricsRetentionDays: config.metrics.retentionDays,
    logRetentionDays: config.security?.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
    model: {
      path: basename(config.inference.modelPath),
      executionProvider: config.inference.executionProvider,
      threads: config.inference.threads,
      densityModel: config.dense.modelPath ? basename(config.dense.modelPath) : null,
    },
    device: {
      mode: config.embedded ? 'embedded' : 'distributed',
      executionProvider: config.inference.executionProvider,
      cpuCores: availableParallelism(),
      inferenceBatchSize: config.inference.batchSize,
      inferenceMaxInFlight: config.inference.maxInFlight,
    },
  };
}

const keyOf = (category: string, key: string) => `${category}\u0000${key}`;

/**
 * The settings store: typed reads from an in-memory copy (loaded at module init, so camera runtimes started at
 * bootstrap see the stored values), validated writes (version + 1, updated_by, a settings_history row, an audit
 * log entry; nothing is saved when validation fails) and a change stream. With PostgreSQL the copy is refreshed
 * every SETTINGS_REFRESH_MS so a change made through another api replica reaches this one's cameras too.
 */
@Injectable()
export class SettingsService implements OnModuleInit, OnModuleDestroy {
  readonly registry: SettingsRegistry;
  private readonly logger = new Logger('Settings');
  private readonly stored = new Map<string, Stored>();
  private readonly subject = new Subject<SettingChange>();
  /** Every accepted change (this process's writes and, on PostgreSQL, other replicas' seen by refresh()). */
  readonly changes$: Observable<SettingChange> = this.subject.asObservable();
  private writes: Promise<unknown> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private readonly pg: boolean;
  /** Stored rows that failed validation, by key: the version already warned about. */
  private readonly invalidWarned = new Map<string, number>();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly dataSource: DataSource,
    @Optional() @Inject(SystemLogRepository) private readonly logs: SystemLogRepository | null = null,
  ) {
    this.registry = buildSettingsRegistry(settingsContextOf(config), DEFAULT_RISK_SETTINGS);
    this.pg = dataSource.options.type === 'postgres';
  }

  async onModuleInit(): Promise<void> {
    await this.refresh(false);
    if (this.pg) {
      this.timer = setInterval(() => {
        this.refresh(true).catch((err: unknown) => this.logger.warn(`could not refresh settings: ${String(err)}`));
      }, SETTINGS_REFRESH_MS);
      this.timer.unref();
    }
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.subject.complete();
  }

  /** The current value of a setting (the default until one is saved). */
  get<C extends SettingsCategory, K extends SettingKey<C>>(category: C, key: K): SettingsValues[C][K] {
    const d = this.definition(category, key);
    const s = d.readOnly ? undefined : this.stored.get(keyOf(category, key));
    return structuredClone(s ? s.value : d.default) as SettingsValues[C][K];
  }

  /** The current value, then every change of it. */
  watch<C extends SettingsCategory, K extends SettingKey<C>>(category: C, key: K): Observable<SettingsValues[C][K]> {
    return defer(() =>
      concat(
        of(this.get(category, key)),
        this.changes$.pipe(
          filter((c) => c.category === category && c.key === key),
          map((c) => c.value as SettingsValues[C][K]),
        ),
      ),
    );
  }

  /** One setting with its metadata. Throws UnknownSettingError. */
  view(category: string, key: string): SettingView {
    const d = this.definition(category, key);
    const s = d.readOnly ? undefined : this.stored.get(keyOf(category, key));
    return {
      category: d.category,
      key: d.key,
      value: structuredClone(s ? s.value : d.default),
      default: structuredClone(d.default),
      version: s?.version ?? 0,
      updatedBy: s?.updatedBy ?? null,
      updatedAt: s?.updatedAt ?? null,
      readOnly: d.readOnly,
      description: d.description,
    };
  }

  /** Every setting of a category. Throws UnknownSettingError. */
  category(category: string): SettingView[] {
    if (!isCategory(category)) throw new UnknownSettingError(category);
    return Object.keys(this.registry[category]).map((k) => this.view(category, k));
  }

  /** Validates and saves a value; resolves with the new view. Throws UnknownSettingError / InvalidSettingError. */
  set(category: string, key: string, value: unknown, actor: SettingActor = {}): Promise<SettingView> {
    const d = this.definition(category, key);
    const v = validateSetting(this.registry, category, key, value);
    if (!v.ok) return Promise.reject(new InvalidSettingError(v.issues));
    // One write at a time in this process (SQLite shares one connection; versions must not interleave).
    const run = this.writes.then(() => this.write(d, v.value, actor));
    this.writes = run.catch(() => undefined);
    return run;
  }

  /** Past versions of a setting, newest first (at most SETTINGS_HISTORY_PER_KEY are kept). */
  async history(category: string, key: string, page: { limit?: number; offset?: number } = {}): Promise<{ items: SettingHistoryRecord[]; total: number }> {
    this.definition(category, key);
    const limit = Math.min(Math.max(Math.trunc(page.limit ?? 20), 1), SETTINGS_HISTORY_PER_KEY);
    const offset = Math.max(Math.trunc(page.offset ?? 0), 0);
    const [items, total] = await this.dataSource
      .getRepository<SettingHistoryRecord>(EntityName.SettingHistory)
      .createQueryBuilder('h')
      .where('h.category = :category AND h.key = :key', { category, key })
      .orderBy('h.version', 'DESC')
      .take(limit)
      .skip(offset)
      .getManyAndCount();
    return { items, total };
  }

  /**
   * Re-reads the settings table. Values that fail today's validation (edited by hand, or written by an older
   * release) are ignored with a warning: the default applies. With `emit`, changed versions go to changes$.
   */
  async refresh(emit = true): Promise<void> {
    const rows = await this.dataSource.getRepository<SettingRecord>(EntityName.Setting).find();
    for (const row of rows) {
      const d = definitionOf(this.registry, row.category, row.key);
      if (!d || d.readOnly) continue;
      const k = keyOf(row.category, row.key);
      const cur = this.stored.get(k);
      if (cur && cur.version >= row.version) continue;
      const v = d.validate(row.value);
      if (!v.ok) {
        if (this.invalidWarned.get(k) !== row.version) this.logger.warn(`stored setting ${row.category}.${row.key} is invalid, using the default: ${issueMessages(v.issues).join('; ')}`);
        this.invalidWarned.set(k, row.version);
        continue;
      }
      const previous = cur ? cur.value : d.default;
      this.stored.set(k, { value: v.value, version: row.version, updatedBy: row.updatedBy, updatedAt: row.updatedAt });
      if (emit) this.emit(d, v.value, previous, row.version, row.updatedBy, row.updatedAt);
    }
  }

  private definition(category: string, key: string): SettingDefinition {
    const d = definitionOf(this.registry, category, key);
    if (!d) throw new UnknownSettingError(category, key);
    return d;
  }

  private async write(d: SettingDefinition, value: unknown, actor: SettingActor): Promise<SettingView> {
    const updatedBy = actor.userId && isUuid(actor.userId) ? actor.userId : null;
    const k = keyOf(d.category, d.key);
    const previous = this.stored.get(k)?.value ?? d.default;
    const updatedAt = new Date();
    let version = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        version = await this.dataSource.transaction(async (m) => {
          const repo = m.getRepository<SettingRecord>(EntityName.Setting);
          const qb = repo.createQueryBuilder('s').where('s.category = :category AND s.key = :key', { category: d.category, key: d.key });
          if (this.pg) qb.setLock('pessimistic_write');
          const row = await qb.getOne();
          const next = (row?.version ?? 0) + 1;
          if (row) {
            await repo.update({ category: d.category, key: d.key }, { value: value as object, version: next, updatedBy, updatedAt });
          } else {
            await repo.insert({ category: d.category, key: d.key, value: value as object, version: next, updatedBy, updatedAt });
          }
          const hist = m.getRepository<SettingHistoryRecord>(EntityName.SettingHistory);
          await hist.insert({ category: d.category, key: d.key, value: value as object, version: next, updatedBy, updatedAt });
          if (next > SETTINGS_HISTORY_PER_KEY) {
            await hist
              .createQueryBuilder()
              .delete()
              .where('category = :category AND key = :key AND version <= :v', { category: d.category, key: d.key, v: next - SETTINGS_HISTORY_PER_KEY })
              .execute();
          }
          return next;
        });
        break;
      } catch (err) {
        // Two replicas inserting the first version at once: the loser retries as an update.
        if (attempt === 0 && isUniqueViolation(err)) continue;
        throw err;
      }
    }
    this.stored.set(k, { value, version, updatedBy, updatedAt });
    this.emit(d, value, previous, version, updatedBy, updatedAt);
    await this.logs
      ?.write({
        category: 'audit',
        action: 'settings.update',
        message: `setting ${d.category}.${d.key} changed to version ${version}${actor.username ? ` by ${actor.username}` : ''}`,
        userId: updatedBy,
        ip: actor.ip ?? null,
        resourceType: 'setting',
        resourceId: `${d.category}.${d.key}`,
        details: { before: previous as object, after: value as object, version },
      })
      .catch((err: unknown) => this.logger.warn(`could not write the audit log of ${d.category}.${d.key}: ${String(err)}`));
    return this.view(d.category, d.key);
  }

  private emit(d: SettingDefinition, value: unknown, previous: unknown, version: number, updatedBy: string | null, updatedAt: Date): void {
    try {
      this.subject.next({ category: d.category, key: d.key, value: structuredClone(value), previous: structuredClone(previous), version, updatedBy, updatedAt } as SettingChange);
    } catch (err) {
      // A subscriber's failure must not fail the write that already happened.
      this.logger.error(`a settings subscriber failed on ${d.category}.${d.key}: ${String(err)}`);
    }
  }
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
