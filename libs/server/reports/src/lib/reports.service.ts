import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger, Optional, ServiceUnavailableException, BadRequestException, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ReportProgressEvent } from '@crowdsafe/contracts';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { ReportRepository, type ReportRecord } from '@crowdsafe/server-database';
import { LiveEventsPublisher } from '@crowdsafe/server-core';
import { SettingsService } from '@crowdsafe/server-settings';
import { renderPdf } from './pdf-report';
import { ReportDataLoader, ReportInputError, reportTitle } from './report-data';
import { type ReportRequest, resolveReportParams, type ResolvedReportParams } from './report-params';
import { ReportQueue } from './report-queue';
import { renderXlsx } from './xlsx-report';

const MIME = { pdf: 'application/pdf', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 500);

/**
 * Report jobs: validates a request (400 naming the field; unknown cameras / alert), records it in `reports`, queues
 * it (ReportQueue), and when it runs loads the data, renders the PDF or workbook and writes
 * DATA_DIR/reports/<id>.<format>, publishing progress (`report_progress` on the socket, and the row).
 */
@Injectable()
export class ReportsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Reports');
  private readonly loader: ReportDataLoader;
  private readonly waiters = new Map<string, ((r: ReportRecord) => void)[]>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reports: ReportRepository,
    private readonly queue: ReportQueue,
    dataSource: DataSource,
    @Optional() @Inject(SettingsService) private readonly settings: SettingsService | null = null,
    @Optional() @Inject(LiveEventsPublisher) private readonly live: LiveEventsPublisher | null = null,
  ) {
    this.loader = new ReportDataLoader(dataSource);
  }

  get dir(): string {
    return this.config.ops.reports.dir;
  }

  async onApplicationBootstrap(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    if (!this.config.queue.redisUrl) {
      // The in-process queue did not survive the restart: whatever was queued or running is not coming back.
      for (const r of await this.reports.byStatus(['queued', 'running'])) await this.reports.update(r.id, { status: 'failed', error: 'interrupted by a restart of the api', finishedAt: new Date() });
    }
    await this.queue.start((id) => this.run(id));
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue.close();
  }

  /** Validates and queues a report. Throws 400 with every problem, 503 when the queue is full. */
  async create(req: ReportRequest, userId: string | null): Promise<ReportRecord> {
    const r = resolveReportParams(req, new Date());
    if (!r.ok) throw new BadRequestException(r.problems);
    const refs = await this.loader.checkReferences(r.params);
    if (refs.length) throw new BadRequestException(refs);
    return this.enqueue(r.params, userId);
  }

  async enqueue(p: ResolvedReportParams, userId: string | null): Promise<ReportRecord> {
    const row = await this.reports.insert({
      type: p.type,
      format: p.format,
      title: reportTitle(p),
      params: { cameraIds: p.cameraIds, from: p.from.toISOString(), to: p.to.toISOString(), alertId: p.alertId },
      createdBy: userId,
    });
    if (!(await this.queue.enqueue(row.id))) {
      await this.reports.update(row.id, { status: 'failed', error: 'report queue full', finishedAt: new Date() });
      throw new ServiceUnavailableException('Too many reports are waiting; try again in a minute');
    }
    this.publish({ id: row.id, status: 'queued', progress: 0 });
    return row;
  }

  get(id: string): Promise<ReportRecord | null> {
    return this.reports.get(id);
  }

  list(limit: number, offset: number): Promise<{ items: ReportRecord[]; total: number }> {
    return this.reports.list(limit, offset);
  }

  /** The finished file of a report (path, download name, content type), or null. */
  async file(id: string): Promise<{ path: string; name: string; type: string } | null> {
    const r = await this.reports.get(id);
    if (!r || r.status !== 'done' || !r.fileName) return null;
    const path = join(this.dir, r.fileName);
    if (!(await stat(path).catch(() => null))) return null;
    const safe = r.title.replace(/[^A-Za-z0-9 ._-]+/g, '').replace(/\s+/g, '-').slice(0, 100) || 'report';
    return { path, name: `${safe}.${r.format}`, type: MIME[r.format] };
  }

  /** Resolves once the report is done or failed (the scheduled daily mail, the bench). */
  waitFor(id: string, timeoutMs: number): Promise<ReportRecord> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`report ${id} not finished after ${timeoutMs} ms`)), timeoutMs);
      const list = this.waiters.get(id) ?? [];
      list.push((r) => (clearTimeout(timer), resolve(r)));
      this.waiters.set(id, list);
      void this.reports.get(id).then((r) => {
        if (r && (r.status === 'done' || r.status === 'failed')) this.settle(r);
      });
    });
  }

  private settle(r: ReportRecord): void {
    const list = this.waiters.get(r.id);
    this.waiters.delete(r.id);
    for (const f of list ?? []) f(r);
  }

  /** Runs one report job (called by the queue). Never throws: failures are recorded on the row. */
  async run(id: string): Promise<void> {
    const row = await this.reports.get(id);
    if (!row || row.status !== 'queued') return;
    const params: ResolvedReportParams = {
      type: row.type,
      format: row.format,
      cameraIds: (row.params['cameraIds'] as string[] | undefined) ?? [],
      from: new Date(String(row.params['from'])),
      to: new Date(String(row.params['to'])),
      alertId: (row.params['alertId'] as string | null | undefined) ?? null,
    };
    let last = -1;
    const progress = async (p: number) => {
      const pct = Math.max(0, Math.min(99, Math.round(p)));
      if (pct < last + 5 && pct !== 99) return; // at most ~20 updates per report
      last = pct;
      this.publish({ id, status: 'running', progress: pct });
      await this.reports.update(id, { progress: pct }).catch(() => undefined);
    };
    const t0 = performance.now();
    try {
      await this.reports.update(id, { status: 'running', startedAt: new Date(), progress: 1 });
      this.publish({ id, status: 'running', progress: 1 });
      const data = await this.loader.load(params, (f) => void progress(2 + 58 * f));
      await progress(60);
      const site = this.siteName();
      const buf = params.format === 'pdf' ? await renderPdf(data, site) : await renderXlsx(data);
      await progress(95);
      const fileName = `${id}.${params.format}`;
      const tmp = join(this.dir, `.${fileName}.tmp`);
      await mkdir(this.dir, { recursive: true });
      await writeFile(tmp, buf);
      await rename(tmp, join(this.dir, fileName));
      await this.reports.update(id, { status: 'done', progress: 100, fileName, sizeBytes: buf.length, finishedAt: new Date(), title: data.title.slice(0, 200) });
      this.publish({ id, status: 'done', progress: 100 });
      this.logger.log(`report ${id} (${params.type} ${params.format}) done in ${((performance.now() - t0) / 1000).toFixed(1)} s, ${buf.length} bytes`);
    } catch (err) {
      const msg = err instanceof ReportInputError ? err.message : `report generation failed: ${errorText(err)}`;
      this.logger.warn(`report ${id}: ${msg}`);
      await this.reports.update(id, { status: 'failed', error: msg, finishedAt: new Date() }).catch(() => undefined);
      this.publish({ id, status: 'failed', progress: last < 0 ? 0 : last, error: msg });
    } finally {
      const done = await this.reports.get(id).catch(() => null);
      if (done) this.settle(done);
    }
  }

  /** Deletes reports (rows and files) older than REPORT_RETENTION_DAYS. */
  async retention(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.config.ops.reports.retentionDays * 86_400_000);
    const old = await this.reports.olderThan(before);
    for (const r of old) {
      if (r.fileName) await rm(join(this.dir, r.fileName), { force: true });
      await this.reports.delete(r.id);
    }
    return old.length;
  }

  private siteName(): string {
    try {
      return String(this.settings?.get('general', 'siteName') ?? 'CrowdSafe');
    } catch {
      return 'CrowdSafe';
    }
  }

  private publish(e: ReportProgressEvent): void {
    // No publisher in this process (tests, tools): progress is only stored.
    this.live?.publishReportProgress(e);
  }
}
