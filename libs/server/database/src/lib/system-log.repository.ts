import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { LogLevel } from '@crowdsafe/contracts';
import { isUuid } from './errors';
import { EntityName, type JsonObject, type LogCategory, type SystemLogRecord } from './records';

export interface SystemLogEntry {
  level?: LogLevel;
  category: LogCategory;
  /** Short machine name, e.g. 'camera.update', 'auth.login_failed', 'alert.delivery'. <= 64 chars. */
  action?: string | null;
  message: string;
  userId?: string | null;
  ip?: string | null;
  resourceType?: string | null;
  resourceId?: string | null;
  /** Never put secrets here (audit entries: { before, after } with secrets redacted). */
  details?: JsonObject | null;
  time?: Date;
}

export interface SystemLogQuery {
  level?: LogLevel;
  category?: LogCategory;
  action?: string;
  userId?: string;
  resourceType?: string;
  resourceId?: string;
  from?: Date;
  to?: Date;
  /** Case-insensitive substring of the message. */
  search?: string;
  limit?: number;
  offset?: number;
}

export const SYSTEM_LOG_MAX_PAGE = 1000;

const clip = (s: string | null | undefined, n: number): string | null => (s === null || s === undefined ? null : s.length > n ? s.slice(0, n) : s);

/** The system_logs table: application events and the audit trail (category 'audit'). Newest first. */
@Injectable()
export class SystemLogRepository {
  private readonly repo: Repository<SystemLogRecord>;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository<SystemLogRecord>(EntityName.SystemLog);
  }

  async write(entry: SystemLogEntry): Promise<void> {
    await this.repo.insert({
      time: entry.time ?? new Date(),
      level: entry.level ?? 'info',
      category: entry.category,
      action: clip(entry.action, 64),
      message: entry.message,
      userId: entry.userId && isUuid(entry.userId) ? entry.userId : null,
      ip: clip(entry.ip, 64),
      resourceType: clip(entry.resourceType, 32),
      resourceId: clip(entry.resourceId, 64),
      details: entry.details ?? null,
    } as QueryDeepPartialEntity<SystemLogRecord>);
  }

  async query(q: SystemLogQuery = {}): Promise<{ items: SystemLogRecord[]; total: number }> {
    const qb = this.repo.createQueryBuilder('l');
    if (q.level) qb.andWhere('l.level = :level', { level: q.level });
    if (q.category) qb.andWhere('l.category = :category', { category: q.category });
    if (q.action) qb.andWhere('l.action = :action', { action: q.action });
    if (q.userId) {
      if (!isUuid(q.userId)) return { items: [], total: 0 };
      qb.andWhere('l.userId = :userId', { userId: q.userId });
    }
    if (q.resourceType) qb.andWhere('l.resourceType = :resourceType', { resourceType: q.resourceType });
    if (q.resourceId) qb.andWhere('l.resourceId = :resourceId', { resourceId: q.resourceId });
    if (q.from) qb.andWhere('l.time >= :from', { from: q.from });
    if (q.to) qb.andWhere('l.time < :to', { to: q.to });
    if (q.search) {
      const like = `%${q.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(new Brackets((w) => w.where("LOWER(l.message) LIKE :like ESCAPE '\\'", { like })));
    }
    const limit = Math.min(Math.max(Math.trunc(q.limit ?? 100), 1), SYSTEM_LOG_MAX_PAGE);
    const offset = Math.max(Math.trunc(q.offset ?? 0), 0);
    const [items, total] = await qb.orderBy('l.time', 'DESC').addOrderBy('l.id', 'DESC').take(limit).skip(offset).getManyAndCount();
    return { items, total };
  }

  /** Deletes entries older than `before`; returns how many. */
  async deleteOlderThan(before: Date): Promise<number> {
    const r = await this.repo.createQueryBuilder().delete().where('time < :before', { before }).execute();
    return r.affected ?? 0;
  }
}
