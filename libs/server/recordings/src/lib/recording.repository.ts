import { Injectable } from '@nestjs/common';
import { DataSource, In, LessThan, Not, type Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { EntityName, isUuid, type RecordingRecord, type RecordingStatus, type RecordingTrigger } from '@crowdsafe/server-database';

export interface RecordingQuery {
  cameraId?: string;
  trigger?: RecordingTrigger;
  status?: RecordingStatus;
  alertId?: string;
  /** start_time >= from */
  from?: Date;
  /** start_time < to */
  to?: Date;
  limit?: number;
  offset?: number;
}

export const RECORDING_MAX_PAGE = 200;

/** The recordings table (PostgreSQL or SQLite). Malformed ids read as "not found". */
@Injectable()
export class RecordingRepository {
  private readonly repo: Repository<RecordingRecord>;
  private readonly metrics;

  constructor(private readonly dataSource: DataSource) {
    this.repo = dataSource.getRepository<RecordingRecord>(EntityName.Recording);
    this.metrics = dataSource.getRepository(EntityName.Metric);
  }

  async insert(r: Omit<RecordingRecord, 'createdAt' | 'thumbnailPath' | 'peakCount' | 'peakDensity' | 'peakRiskScore' | 'error' | 'endTime' | 'durationS' | 'sizeBytes'> & Partial<RecordingRecord>): Promise<RecordingRecord> {
    await this.repo.insert(r as QueryDeepPartialEntity<RecordingRecord>);
    return this.repo.findOneByOrFail({ id: r.id });
  }

  async update(id: string, patch: Partial<RecordingRecord>): Promise<RecordingRecord | null> {
    if (!isUuid(id)) return null;
    await this.repo.update({ id }, patch as QueryDeepPartialEntity<RecordingRecord>);
    return this.repo.findOneBy({ id });
  }

  findById(id: string): Promise<RecordingRecord | null> {
    return isUuid(id) ? this.repo.findOneBy({ id }) : Promise.resolve(null);
  }

  findByAlert(alertId: string): Promise<RecordingRecord[]> {
    return isUuid(alertId) ? this.repo.find({ where: { alertId }, order: { startTime: 'ASC' } }) : Promise.resolve([]);
  }

  async delete(id: string): Promise<void> {
    if (isUuid(id)) await this.repo.delete({ id });
  }

  async query(q: RecordingQuery = {}): Promise<{ items: RecordingRecord[]; total: number }> {
    const qb = this.repo.createQueryBuilder('r');
    if (q.cameraId) qb.andWhere('r.cameraId = :cameraId', { cameraId: q.cameraId });
    if (q.trigger) qb.andWhere('r.trigger = :trigger', { trigger: q.trigger });
    if (q.status) qb.andWhere('r.status = :status', { status: q.status });
    if (q.alertId) qb.andWhere('r.alertId = :alertId', { alertId: q.alertId });
    if (q.from) qb.andWhere('r.startTime >= :from', { from: q.from });
    if (q.to) qb.andWhere('r.startTime < :to', { to: q.to });
    qb.orderBy('r.startTime', 'DESC').take(Math.min(q.limit ?? 50, RECORDING_MAX_PAGE)).skip(q.offset ?? 0);
    const [items, total] = await qb.getManyAndCount();
    return { items, total };
  }

  /** Rows left 'recording'/'processing' by a previous run of this process (their ffmpeg and timers are gone). */
  unfinished(): Promise<RecordingRecord[]> {
    return this.repo.find({ where: { status: In(['recording', 'processing']) } });
  }

  /** Unprotected finished recordings of a trigger class that started before `before`, oldest first. */
  expired(trigger: RecordingTrigger, before: Date, limit = 500): Promise<RecordingRecord[]> {
    return this.repo.find({ where: { trigger, isProtected: false, status: Not(In(['recording', 'processing'])), startTime: LessThan(before) }, order: { startTime: 'ASC' }, take: limit });
  }

  /** Unprotected finished recordings, oldest first (disk retention). */
  oldestUnprotected(limit: number): Promise<RecordingRecord[]> {
    return this.repo.find({ where: { isProtected: false, status: Not(In(['recording', 'processing'])) }, order: { startTime: 'ASC' }, take: limit });
  }

  /** Peak people count, density and risk score of a camera over [from, to) from the metrics table. */
  async peaks(cameraId: string, from: Date, to: Date): Promise<{ count: number | null; density: number | null; risk: number | null }> {
    const row = (await this.metrics
      .createQueryBuilder('m')
      .select('MAX(m.count)', 'count')
      .addSelect('MAX(m.density)', 'density')
      .addSelect('MAX(m.riskScore)', 'risk')
      .where('m.cameraId = :cameraId', { cameraId })
      .andWhere('m.time >= :from', { from })
      .andWhere('m.time < :to', { to })
      .getRawOne()) as { count: unknown; density: unknown; risk: unknown } | undefined;
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    return { count: num(row?.count), density: num(row?.density), risk: num(row?.risk) };
  }
}
