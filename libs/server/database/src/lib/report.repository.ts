import { Injectable } from '@nestjs/common';
import { DataSource, In, LessThan, type Repository } from 'typeorm';
import { isUuid } from './errors';
import { REPORT_ENTITY, type ReportRecord, type ReportStatus } from './report.entity';

export type NewReport = Pick<ReportRecord, 'type' | 'format' | 'title' | 'params'> & { createdBy?: string | null };
export type ReportPatch = Partial<Pick<ReportRecord, 'title' | 'status' | 'progress' | 'fileName' | 'sizeBytes' | 'error' | 'startedAt' | 'finishedAt'>>;

export const REPORT_MAX_PAGE = 200;

/** The reports table: history, status and progress of report jobs. Newest first. */
@Injectable()
export class ReportRepository {
  private readonly repo: Repository<ReportRecord>;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository<ReportRecord>(REPORT_ENTITY);
  }

  async insert(r: NewReport): Promise<ReportRecord> {
    const row = this.repo.create({ ...r, status: 'queued', progress: 0, createdBy: r.createdBy && isUuid(r.createdBy) ? r.createdBy : null });
    return this.repo.save(row);
  }

  async get(id: string): Promise<ReportRecord | null> {
    if (!isUuid(id)) return null;
    return this.repo.findOne({ where: { id } });
  }

  async update(id: string, patch: ReportPatch): Promise<void> {
    await this.repo.update({ id }, patch);
  }

  async list(limit = 50, offset = 0): Promise<{ items: ReportRecord[]; total: number }> {
    const [items, total] = await this.repo.findAndCount({ order: { createdAt: 'DESC' }, take: Math.min(REPORT_MAX_PAGE, Math.max(1, limit)), skip: Math.max(0, offset) });
    return { items, total };
  }

  /** Reports left queued/running by a process that stopped (embedded queue lost), to be failed at boot. */
  async byStatus(statuses: ReportStatus[]): Promise<ReportRecord[]> {
    return this.repo.find({ where: { status: In(statuses) }, take: 1000 });
  }

  async olderThan(before: Date): Promise<ReportRecord[]> {
    return this.repo.find({ where: { createdAt: LessThan(before) }, take: 1000 });
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }
}
