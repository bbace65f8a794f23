import { REPORT_FORMATS, REPORT_TYPES, type ReportFormat, type ReportType } from '@crowdsafe/server-database';

/** A custom range may span at most this long. */
export const MAX_RANGE_MS = 366 * 86_400_000;
/** Minutes around an alert's trigger that an incident report covers (before / after). */
export const INCIDENT_WINDOW_MS = { before: 30 * 60_000, after: 30 * 60_000 };
/** Cameras in one report (one sheet each in Excel). */
export const MAX_REPORT_CAMERAS = 64;

export interface ReportRequest {
  type: string;
  format: string;
  cameraIds?: string[];
  from?: string;
  to?: string;
  alertId?: string;
}

export interface ResolvedReportParams {
  type: ReportType;
  format: ReportFormat;
  /** Empty = every camera (resolved when the report runs). */
  cameraIds: string[];
  from: Date;
  to: Date;
  alertId: string | null;
}

/** Start of the local day of `d` in the server's time zone. */
const dayStart = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate());

/**
 * Validates a report request and resolves its range (pure; `now` injected). Returns every problem, each naming its
 * field, or the resolved parameters. daily: `from` (default yesterday) → its whole local day; weekly: the 7 days
 * starting at `from` (default the last 7 whole days); custom: from/to required, from < to, ≤ 366 days; incident:
 * alertId required, the range comes from the alert when the report runs.
 */
export function resolveReportParams(req: ReportRequest, now: Date): { ok: true; params: ResolvedReportParams } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  if (!(REPORT_TYPES as readonly string[]).includes(req.type)) problems.push(`type must be one of ${REPORT_TYPES.join(', ')} (got ${JSON.stringify(String(req.type).slice(0, 40))})`);
  if (!(REPORT_FORMATS as readonly string[]).includes(req.format)) problems.push(`format must be one of ${REPORT_FORMATS.join(', ')} (got ${JSON.stringify(String(req.format).slice(0, 40))})`);
  const date = (field: 'from' | 'to'): Date | null => {
    const v = req[field];
    if (v === undefined) return null;
    const d = new Date(v);
    if (typeof v !== 'string' || Number.isNaN(d.getTime())) {
      problems.push(`${field} must be an ISO 8601 date-time`);
      return null;
    }
    return d;
  };
  let from = date('from');
  let to = date('to');
  const ids = req.cameraIds ?? [];
  if (ids.length > MAX_REPORT_CAMERAS) problems.push(`cameraIds: at most ${MAX_REPORT_CAMERAS} cameras`);
  if (req.type === 'incident') {
    if (!req.alertId) problems.push('alertId is required for an incident report');
    from = from ?? new Date(0);
    to = to ?? new Date(0);
  } else if (req.alertId) problems.push('alertId is only used by incident reports');
  if (req.type === 'daily') {
    const day = dayStart(from ?? new Date(now.getTime() - 86_400_000));
    from = day;
    to = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1);
  } else if (req.type === 'weekly') {
    const start = dayStart(from ?? new Date(now.getTime() - 7 * 86_400_000));
    from = start;
    to = new Date(start.getFullYear(), start.getMonth(), start.getDate() + 7);
  } else if (req.type === 'custom') {
    if (!req.from) problems.push('from is required for a custom report');
    if (!req.to) problems.push('to is required for a custom report');
  }
  if (req.type !== 'incident' && from && to) {
    if (from.getTime() >= to.getTime()) problems.push(`from (${from.toISOString()}) must be before to (${to.toISOString()})`);
    else if (to.getTime() - from.getTime() > MAX_RANGE_MS) problems.push('the range (from..to) must not exceed 366 days');
    if (from.getTime() > now.getTime()) problems.push(`from (${from.toISOString()}) is in the future`);
  }
  if (problems.length || !from || !to) return { ok: false, problems: problems.length ? problems : ['from/to could not be resolved'] };
  return { ok: true, params: { type: req.type as ReportType, format: req.format as ReportFormat, cameraIds: [...new Set(ids)], from, to, alertId: req.alertId ?? null } };
}
