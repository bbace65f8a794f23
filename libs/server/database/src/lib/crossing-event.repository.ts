import { Injectable } from '@nestjs/common';
import { DataSource, type Repository, type SelectQueryBuilder } from 'typeorm';
import { isUuid } from './errors';
import { EntityName, type CrossingEventRecord } from './records';

export type CrossingEventInput = Omit<CrossingEventRecord, 'id'>;

export interface CrossingEventQuery {
  cameraId?: string;
  lineId?: string;
  direction?: 'in' | 'out';
  trackId?: number;
  from?: Date;
  to?: Date;
  limit?: number;
  offset?: number;
}

/** Largest page of GET /api/crossings; the CSV export pages through with this size. */
export const CROSSING_EVENTS_MAX_PAGE = 5000;
/** Rows per INSERT (keeps the statement's parameters well below PostgreSQL's 65535 and SQLite's 32766). */
const INSERT_CHUNK = 500;

/** The crossing_events table: batched inserts, filtered pages (oldest first), retention deletes. */
@Injectable()
export class CrossingEventRepository {
  private readonly repo: Repository<CrossingEventRecord>;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository<CrossingEventRecord>(EntityName.CrossingEvent);
  }

  async insertMany(rows: readonly CrossingEventInput[]): Promise<number> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await this.repo.insert(
        rows.slice(i, i + INSERT_CHUNK).map((r) => ({
          cameraId: r.cameraId,
          time: r.time,
          lineId: r.lineId.slice(0, 64),
          lineName: r.lineName.slice(0, 128),
          direction: r.direction,
          trackId: r.trackId,
        })),
      );
    }
    return rows.length;
  }

  private where(q: CrossingEventQuery): SelectQueryBuilder<CrossingEventRecord> | null {
    if (q.cameraId !== undefined && !isUuid(q.cameraId)) return null;
    const qb = this.repo.createQueryBuilder('c');
    if (q.cameraId !== undefined) qb.andWhere('c.cameraId = :cameraId', { cameraId: q.cameraId });
    if (q.lineId !== undefined) qb.andWhere('c.lineId = :lineId', { lineId: q.lineId });
    if (q.direction !== undefined) qb.andWhere('c.direction = :direction', { direction: q.direction });
    if (q.trackId !== undefined) qb.andWhere('c.trackId = :trackId', { trackId: q.trackId });
    if (q.from !== undefined) qb.andWhere('c.time >= :from', { from: q.from });
    if (q.to !== undefined) qb.andWhere('c.time < :to', { to: q.to });
    return qb;
  }

  /** One page, oldest first (time, then id), and the total matching. */
  async find(q: CrossingEventQuery): Promise<{ items: CrossingEventRecord[]; total: number }> {
    const qb = this.where(q);
    if (!qb) return { items: [], total: 0 };
    const limit = Math.min(Math.max(1, q.limit ?? 100), CROSSING_EVENTS_MAX_PAGE);
    const [items, total] = await qb
      .orderBy('c.time', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .take(limit)
      .skip(Math.max(0, q.offset ?? 0))
      .getManyAndCount();
    return { items, total };
  }

  /** Deletes rows older than `before`; returns how many. */
  async deleteOlderThan(before: Date): Promise<number> {
    const r = await this.repo.createQueryBuilder().delete().where('"time" < :before', { before }).execute();
    return r.affected ?? 0;
  }
}
