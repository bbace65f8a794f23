import type { MetricRecord } from './records';

/**
 * Pure helpers of the PostgreSQL metric upsert (MetricsRepository.insertMany): deduplication and the unnest() array
 * parameters built as PostgreSQL array literals in one pass (no per-element escaping by the driver, no intermediate
 * row objects: ./crowdsafe bench scale).
 */

/**
 * One row per (camera, second), the last one given winning; grouped by camera (cameras in first-seen order, seconds
 * in first-seen order within a camera), so contiguous chunks of the result touch few cameras each.
 */
export function dedupeMetricRows(rows: readonly MetricRecord[]): MetricRecord[] {
  const byCamera = new Map<string, Map<number, MetricRecord>>();
  for (const r of rows) {
    let seconds = byCamera.get(r.cameraId);
    if (!seconds) byCamera.set(r.cameraId, (seconds = new Map()));
    seconds.set(r.time.getTime(), r);
  }
  const out: MetricRecord[] = [];
  for (const seconds of byCamera.values()) for (const r of seconds.values()) out.push(r);
  return out;
}

/** Columns of the unnest() upsert, in parameter order ($1..$13). */
export const METRIC_UNNEST_COLUMNS = [
  'camera_id', 't_ms', 'count', 'count_max', 'density', 'velocity', 'surge', 'flow_in', 'flow_out', 'risk_score', 'risk_level', 'heading', 'metadata',
] as const;

const num = (v: number | null | undefined): string => (v === null || v === undefined ? 'NULL' : String(v));
/** A quoted array element: backslash and double quote escaped (PostgreSQL array input syntax). */
const quoted = (s: string): string => `"${s.replace(/[\\"]/g, '\\$&')}"`;

/**
 * The 13 unnest() parameters of `rows` as PostgreSQL array literals ('{a,b,NULL}'). Rows must be valid
 * (metricRecordProblem): camera ids are uuids and risk levels known words, so neither needs quoting; metadata is
 * JSON, quoted and escaped; numbers are written as JavaScript prints them (NaN and Infinity as PostgreSQL reads them).
 */
export function metricUnnestArrays(rows: readonly MetricRecord[]): string[] {
  const cols: string[][] = METRIC_UNNEST_COLUMNS.map(() => new Array<string>(rows.length));
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    cols[0][i] = r.cameraId;
    cols[1][i] = String(r.time.getTime());
    cols[2][i] = String(r.count);
    cols[3][i] = num(r.countMax);
    cols[4][i] = num(r.density);
    cols[5][i] = num(r.velocity);
    cols[6][i] = num(r.surge);
    cols[7][i] = num(r.flowIn);
    cols[8][i] = num(r.flowOut);
    cols[9][i] = num(r.riskScore);
    cols[10][i] = r.riskLevel ?? 'NULL';
    cols[11][i] = num(r.heading);
    cols[12][i] = quoted(JSON.stringify(r.metadata ?? {}));
  }
  return cols.map((c) => `{${c.join(',')}}`);
}
