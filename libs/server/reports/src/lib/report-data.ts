import { readFile } from 'node:fs/promises';
import type { DataSource } from 'typeorm';
import { AlertRepository, type AlertRecord, CameraRepository, type MetricBucket, SystemLogRepository } from '@crowdsafe/server-database';
import { AnalyticsRepository, type MetricsSummary } from '@crowdsafe/server-metrics';
import { INCIDENT_WINDOW_MS, type ResolvedReportParams } from './report-params';

/** Alerts listed in one report (the rest are counted). */
export const REPORT_MAX_ALERTS = 500;
/** Bucket of the incident report's metrics around the trigger. */
export const INCIDENT_BUCKET_S = 10;

export interface CameraReportData {
  id: string;
  name: string;
  location: string | null;
  /** Per-minute buckets over the range, oldest first (minutes without data omitted). */
  minutes: MetricBucket[];
  summary: MetricsSummary;
  alerts: number;
}

export interface TimelineEntry {
  at: Date;
  event: string;
  detail: string;
}

export interface IncidentData {
  alert: AlertRecord;
  cameraName: string;
  /** Metrics in INCIDENT_BUCKET_S buckets from 30 min before to 30 min after the trigger. */
  around: MetricBucket[];
  timeline: TimelineEntry[];
  /** The annotated JPEG of the triggering frame, when one was saved. */
  snapshot: Buffer | null;
  /** Link to the clip once recordings exist; null now (recordings are not built). */
  clipUrl: string | null;
}

export interface ReportData {
  title: string;
  params: ResolvedReportParams;
  generatedAt: Date;
  cameras: CameraReportData[];
  alerts: AlertRecord[];
  alertsTotal: number;
  incident: IncidentData | null;
}

export class ReportInputError extends Error {}

export function reportTitle(p: Pick<ResolvedReportParams, 'type' | 'from' | 'to'>): string {
  const d = (x: Date) => `${x.getFullYear()}-${String(x.getMonth() + 1).padStart(2, '0')}-${String(x.getDate()).padStart(2, '0')}`;
  switch (p.type) {
    case 'daily':
      return `Daily summary ${d(p.from)}`;
    case 'weekly':
      return `Weekly analytics ${d(p.from)} to ${d(new Date(p.to.getTime() - 1))}`;
    case 'incident':
      return 'Incident report';
    default:
      return `Report ${p.from.toISOString().slice(0, 16).replace('T', ' ')} to ${p.to.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  }
}

/**
 * Reads what a report shows, through the existing repositories: per-minute buckets and the summary of each camera
 * from the metrics_minute rollup (AnalyticsRepository), alerts in the range, and for an incident the alert, its
 * delivery log (system_logs), 10-s metrics around the trigger and the snapshot file.
 */
export class ReportDataLoader {
  private readonly analytics: AnalyticsRepository;
  private readonly cameras: CameraRepository;
  private readonly alerts: AlertRepository;
  private readonly logs: SystemLogRepository;

  constructor(dataSource: DataSource) {
    this.analytics = new AnalyticsRepository(dataSource);
    this.cameras = new CameraRepository(dataSource);
    this.alerts = new AlertRepository(dataSource);
    this.logs = new SystemLogRepository(dataSource);
  }

  /** Problems with the referenced cameras / alert (400 at creation), [] when all exist. */
  async checkReferences(p: ResolvedReportParams): Promise<string[]> {
    const problems: string[] = [];
    const all = await this.cameras.list();
    const known = new Set(all.map((c) => c.id));
    const unknown = p.cameraIds.filter((id) => !known.has(id));
    if (unknown.length) problems.push(`cameraIds: unknown camera(s) ${unknown.slice(0, 5).join(', ')}`);
    if (p.alertId && !(await this.alerts.findById(p.alertId))) problems.push(`alertId: unknown alert ${p.alertId}`);
    return problems;
  }

  async load(p: ResolvedReportParams, progress: (fraction: number) => void): Promise<ReportData> {
    if (p.type === 'incident') return this.loadIncident(p, progress);
    const all = await this.cameras.list();
    const chosen = p.cameraIds.length ? all.filter((c) => p.cameraIds.includes(c.id)) : all;
    if (p.cameraIds.length && chosen.length !== p.cameraIds.length) throw new ReportInputError('a camera of this report was deleted');
    const alertPage = await this.alerts.query({ from: p.from, to: p.to, limit: REPORT_MAX_ALERTS });
    const ids = new Set(chosen.map((c) => c.id));
    const alerts = alertPage.items.filter((a) => ids.has(a.cameraId));
    const cameras: CameraReportData[] = [];
    for (const [i, c] of chosen.entries()) {
      const [minutes, summary] = [await this.analytics.buckets(c.id, p.from, p.to, 60), await this.analytics.summary(c.id, p.from, p.to)];
      cameras.push({ id: c.id, name: c.name, location: c.location, minutes, summary, alerts: alerts.filter((a) => a.cameraId === c.id).length });
      progress((i + 1) / Math.max(1, chosen.length));
    }
    return { title: reportTitle(p), params: p, generatedAt: new Date(), cameras, alerts, alertsTotal: p.cameraIds.length ? alerts.length : alertPage.total, incident: null };
  }

  private async loadIncident(p: ResolvedReportParams, progress: (fraction: number) => void): Promise<ReportData> {
    const alert = p.alertId ? await this.alerts.findById(p.alertId) : null;
    if (!alert) throw new ReportInputError(`alert ${p.alertId} not found`);
    const camera = await this.cameras.findById(alert.cameraId);
    const at = new Date(alert.createdAt);
    const from = new Date(at.getTime() - INCIDENT_WINDOW_MS.before);
    const to = new Date(at.getTime() + INCIDENT_WINDOW_MS.after);
    const around = await this.analytics.buckets(alert.cameraId, from, to, INCIDENT_BUCKET_S);
    progress(0.4);
    const summary = await this.analytics.summary(alert.cameraId, from, to);
    const minutes = await this.analytics.buckets(alert.cameraId, from, to, 60);
    progress(0.7);
    const deliveries = await this.logs.query({ resourceId: alert.id, limit: 200 });
    const timeline: TimelineEntry[] = [{ at, event: `opened (${alert.level})`, detail: alert.message }];
    if (alert.escalationLevel > 0) timeline.push({ at: new Date(alert.updatedAt), event: 'escalated', detail: `escalation level ${alert.escalationLevel}` });
    if (alert.acknowledgedAt) timeline.push({ at: new Date(alert.acknowledgedAt), event: 'acknowledged', detail: alert.acknowledgedBy ? `by user ${alert.acknowledgedBy}` : 'by the system' });
    if (alert.resolvedAt) timeline.push({ at: new Date(alert.resolvedAt), event: alert.status === 'resolved' ? 'resolved' : alert.status, detail: alert.notes ?? '' });
    for (const l of deliveries.items) timeline.push({ at: new Date(l.time), event: l.action ?? l.category, detail: l.message.slice(0, 300) });
    timeline.sort((a, b) => a.at.getTime() - b.at.getTime());
    let snapshot: Buffer | null = null;
    if (alert.snapshotPath) snapshot = await readFile(alert.snapshotPath).catch(() => null);
    progress(1);
    const name = camera?.name ?? alert.cameraId;
    const params = { ...p, from, to, cameraIds: [alert.cameraId] };
    return {
      title: `Incident report: ${alert.level} ${alert.condition} at ${name}`,
      params,
      generatedAt: new Date(),
      cameras: [{ id: alert.cameraId, name, location: camera?.location ?? null, minutes, summary, alerts: 1 }],
      alerts: [alert],
      alertsTotal: 1,
      incident: { alert, cameraName: name, around, timeline, snapshot, clipUrl: null },
    };
  }
}
