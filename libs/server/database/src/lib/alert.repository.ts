import { Injectable } from '@nestjs/common';
import { DataSource, In, Not, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { AlertChannel, AlertStatus, RiskLevel } from '@crowdsafe/contracts';
import { DuplicateError, isUniqueViolation, isUuid } from './errors';
import { EntityName, type AlertRecord, type JsonObject } from './records';

export interface NewAlert {
  /** The engine's id (a uuid), so that events and rows share it. */
  id: string;
  cameraId: string;
  level: RiskLevel;
  condition: string;
  status: AlertStatus;
  message: string;
  metricsSnapshot: JsonObject;
  channelsNotified?: AlertChannel[];
  escalationLevel?: number;
  createdAt: Date;
  updatedAt?: Date;
}

export type AlertPatch = Partial<
  Pick<
    AlertRecord,
    | 'level'
    | 'status'
    | 'message'
    | 'metricsSnapshot'
    | 'snapshotPath'
    | 'channelsNotified'
    | 'escalationLevel'
    | 'acknowledgedBy'
    | 'acknowledgedAt'
    | 'resolvedBy'
    | 'resolvedAt'
    | 'notes'
    | 'updatedAt'
  >
>;

export interface AlertQuery {
  cameraId?: string;
  level?: RiskLevel;
  status?: AlertStatus;
  condition?: string;
  /** created_at >= from */
  from?: Date;
  /** created_at < to */
  to?: Date;
  limit?: number;
  offset?: number;
}

export interface AlertStatistics {
  total: number;
  byLevel: Record<string, number>;
  byStatus: Record<string, number>;
  byCondition: Record<string, number>;
  byCamera: Record<string, number>;
  /** Trigger (created_at) to acknowledgement, over the acknowledged alerts of the range. */
  responseTime: { count: number; meanMs: number | null; medianMs: number | null };
}

export const ALERT_MAX_PAGE = 500;
/** Most acknowledged alerts the response-time statistics read (newest first). */
export const ALERT_STATS_MAX_SAMPLES = 100_000;

/** The alerts table. Unknown or malformed ids read as "not found". Newest first. */
@Injectable()
export class AlertRepository {
  private readonly repo: Repository<AlertRecord>;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository<AlertRecord>(EntityName.Alert);
  }

  /** Inserts an alert; DuplicateError when the camera already has a non-resolved alert for the condition. */
  async insert(a: NewAlert): Promise<AlertRecord> {
    try {
      await this.repo.insert({ ...a, updatedAt: a.updatedAt ?? a.createdAt, channelsNotified: a.channelsNotified ?? [], escalationLevel: a.escalationLevel ?? 0 } as QueryDeepPartialEntity<AlertRecord>);
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateError('active alert', 'camera and condition', `${a.cameraId}/${a.condition}`);
      throw e;
    }
    return this.repo.findOneByOrFail({ id: a.id });
  }

  /** Applies `patch`; null when the alert doesn't exist. */
  async update(id: string, patch: AlertPatch): Promise<AlertRecord | null> {
    if (!isUuid(id)) return null;
    const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    if (Object.keys(changes).length) {
      const r = await this.repo.update({ id }, changes as QueryDeepPartialEntity<AlertRecord>);
      if (r.affected === 0) return null;
    }
    return this.repo.findOneBy({ id });
  }

  findById(id: string): Promise<AlertRecord | null> {
    return isUuid(id) ? this.repo.findOneBy({ id }) : Promise.resolve(null);
  }

  /** Non-resolved alerts, optionally of one camera / condition. */
  findActive(cameraId?: string, condition?: string): Promise<AlertRecord[]> {
    if (cameraId !== undefined && !isUuid(cameraId)) return Promise.resolve([]);
    return this.repo.find({
      where: { status: Not('resolved' as AlertStatus), ...(cameraId ? { cameraId } : {}), ...(condition ? { condition } : {}) },
      order: { createdAt: 'ASC' },
    });
  }

  /**
   * Resolves non-resolved alerts (all, or one camera [+ condition]) as the system, appending `note`; returns them
   * as they are now. Used at boot (alerts left open by a previous run) and when a stale row blocks a new alert.
   */
  async resolveActive(at: Date, note: string, cameraId?: string, condition?: string): Promise<AlertRecord[]> {
    const active = await this.findActive(cameraId, condition);
    const out: AlertRecord[] = [];
    for (const a of active) {
      const notes = a.notes ? `${a.notes}\n${note}` : note;
      const r = await this.repo.update({ id: a.id, status: In(['open', 'acknowledged']) }, { status: 'resolved', resolvedAt: at, resolvedBy: null, notes, updatedAt: at });
      if (r.affected) out.push({ ...a, status: 'resolved', resolvedAt: at, resolvedBy: null, notes, updatedAt: at });
    }
    return out;
  }

  /**
   * Compare-and-set transition for alerts whose camera has no running engine: applies `patch` only while the row's
   * status is one of `from`; null when it was not (someone else changed it first).
   */
  async transition(id: string, from: AlertStatus[], patch: AlertPatch): Promise<AlertRecord | null> {
    if (!isUuid(id)) return null;
    const r = await this.repo.update({ id, status: In(from) }, patch as QueryDeepPartialEntity<AlertRecord>);
    if (!r.affected) return null;
    return this.repo.findOneBy({ id });
  }

  async query(q: AlertQuery = {}): Promise<{ items: AlertRecord[]; total: number }> {
    const qb = this.repo.createQueryBuilder('a');
    if (q.cameraId !== undefined) {
      if (!isUuid(q.cameraId)) return { items: [], total: 0 };
      qb.andWhere('a.cameraId = :cameraId', { cameraId: q.cameraId });
    }
    if (q.level) qb.andWhere('a.level = :level', { level: q.level });
    if (q.status) qb.andWhere('a.status = :status', { status: q.status });
    if (q.condition) qb.andWhere('a.condition = :condition', { condition: q.condition });
    if (q.from) qb.andWhere('a.createdAt >= :from', { from: q.from });
    if (q.to) qb.andWhere('a.createdAt < :to', { to: q.to });
    const limit = Math.min(Math.max(Math.trunc(q.limit ?? 100), 1), ALERT_MAX_PAGE);
    const offset = Math.max(Math.trunc(q.offset ?? 0), 0);
    const [items, total] = await qb.orderBy('a.createdAt', 'DESC').addOrderBy('a.id', 'DESC').take(limit).skip(offset).getManyAndCount();
    return { items, total };
  }

  async statistics(from?: Date, to?: Date): Promise<AlertStatistics> {
    const base = () => {
      const qb = this.repo.createQueryBuilder('a');
      if (from) qb.andWhere('a.createdAt >= :from', { from });
      if (to) qb.andWhere('a.createdAt < :to', { to });
      return qb;
    };
    const group = async (column: 'level' | 'status' | 'condition' | 'cameraId'): Promise<Record<string, number>> => {
      const rows = await base().select(`a.${column}`, 'k').addSelect('COUNT(*)', 'n').groupBy(`a.${column}`).orderBy('k', 'ASC').getRawMany<{ k: string; n: string | number }>();
      return Object.fromEntries(rows.map((r) => [String(r.k), Number(r.n)]));
    };
    const [byLevel, byStatus, byCondition, byCamera] = [await group('level'), await group('status'), await group('condition'), await group('cameraId')];
    const acked = await base()
      .andWhere('a.acknowledgedAt IS NOT NULL')
      .select(['a.createdAt', 'a.acknowledgedAt'])
      .orderBy('a.createdAt', 'DESC')
      .take(ALERT_STATS_MAX_SAMPLES)
      .getMany();
    const times = acked
      .map((a) => (a.acknowledgedAt as Date).getTime() - a.createdAt.getTime())
      .filter((v) => Number.isFinite(v) && v >= 0)
      .sort((x, y) => x - y);
    const n = times.length;
    const mean = n ? Math.round(times.reduce((s, v) => s + v, 0) / n) : null;
    const median = n ? Math.round(n % 2 ? (times[(n - 1) / 2] as number) : ((times[n / 2 - 1] as number) + (times[n / 2] as number)) / 2) : null;
    return {
      total: Object.values(byStatus).reduce((s, v) => s + v, 0),
      byLevel,
      byStatus,
      byCondition,
      byCamera,
      responseTime: { count: n, meanMs: mean, medianMs: median },
    };
  }
}
