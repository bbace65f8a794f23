import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { type Observable, map } from 'rxjs';

export type CompareMetric = 'count' | 'density' | 'velocity' | 'risk_score';

export interface MetricsSummary {
  avgCount: number | null;
  peakCount: number | null;
  peakDensity: number | null;
  peakDensityAt: string | null;
  avgRisk: number | null;
  uptimePct: number | null;
  flowIn: number | null;
  flowOut: number | null;
  timeAtLevel: Record<string, number>;
}

export interface CompareSeries {
  cameraId: string;
  points: { time: string; value: number | null }[];
}

export interface BusyHours {
  /** grid[weekday 0=Mon..6=Sun][hour 0..23]: average, null without data. */
  grid: (number | null)[][];
  metric: string;
}

export interface SpatialHeatmap {
  width: number;
  height: number;
  /** Row-major cells, 0..1 normalised. */
  cells: number[];
  updatedAt: string | null;
}

export interface AlertStatistics {
  total: number;
  byLevel: Record<string, number>;
  meanResponseS: number | null;
  medianResponseS: number | null;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const pick = (r: Json, ...keys: string[]): number | null => {
  for (const k of keys) {
    const v = num(r[k]);
    if (v !== null) return v;
  }
  return null;
};
const iso = (d: Date | string): string => (d instanceof Date ? d.toISOString() : d);

export function toSummary(raw: unknown): MetricsSummary {
  const r = obj(raw);
  const count = obj(r['count']);
  const density = obj(r['density']);
  const risk = obj(r['risk']);
  const flow = obj(r['flow']);
  const tal = obj(r['timeAtLevel'] ?? risk['timeAtLevel']);
  return {
    avgCount: pick(r, 'avgCount', 'averageCount') ?? pick(count, 'avg', 'average', 'mean'),
    peakCount: pick(r, 'peakCount', 'maxCount') ?? pick(count, 'peak', 'max'),
    peakDensity: pick(r, 'peakDensity', 'maxDensity') ?? pick(density, 'peak', 'max'),
    peakDensityAt: (typeof r['peakDensityAt'] === 'string' ? r['peakDensityAt'] : typeof density['peakAt'] === 'string' ? density['peakAt'] : null) as string | null,
    avgRisk: pick(r, 'avgRisk', 'averageRisk', 'avgRiskScore') ?? pick(risk, 'avg', 'average', 'mean'),
    uptimePct: pick(r, 'uptimePct', 'uptimePercent', 'uptime'),
    flowIn: pick(r, 'flowIn', 'flowInTotal') ?? pick(flow, 'in'),
    flowOut: pick(r, 'flowOut', 'flowOutTotal') ?? pick(flow, 'out'),
    timeAtLevel: Object.fromEntries(Object.entries(tal).filter(([, v]) => num(v) !== null)) as Record<string, number>,
  };
}

export function toCompare(raw: unknown): CompareSeries[] {
  const r = obj(raw);
  const series = Array.isArray(raw) ? raw : Array.isArray(r['series']) ? (r['series'] as unknown[]) : [];
  const times = Array.isArray(r['times']) ? (r['times'] as string[]) : null;
  return series.map((s) => {
    const so = obj(s);
    const pts = Array.isArray(so['points']) ? (so['points'] as unknown[]) : Array.isArray(so['values']) ? (so['values'] as unknown[]) : [];
    return {
      cameraId: String(so['cameraId'] ?? ''),
      points: pts.map((p, i) => {
        if (typeof p === 'number' || p === null) return { time: times?.[i] ?? String(i), value: p as number | null };
        const po = obj(p);
        return { time: String(po['time'] ?? po['t'] ?? times?.[i] ?? i), value: num(po['value'] ?? po['v']) };
      }),
    };
  });
}

export function toBusyHours(raw: unknown, metric: string): BusyHours {
  const r = obj(raw);
  const grid: (number | null)[][] = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => null));
  const g = r['grid'] ?? r['matrix'];
  if (Array.isArray(g)) {
    g.slice(0, 7).forEach((row, d) => {
      if (Array.isArray(row)) row.slice(0, 24).forEach((v, h) => (grid[d][h] = num(v)));
    });
  } else {
    const cells = Array.isArray(raw) ? raw : Array.isArray(r['cells']) ? (r['cells'] as unknown[]) : [];
    for (const c of cells) {
      const co = obj(c);
      const d = num(co['weekday'] ?? co['dow']);
      const h = num(co['hour']);
      if (d !== null && h !== null && d >= 0 && d < 7 && h >= 0 && h < 24) grid[d][h] = num(co['value'] ?? co['avg'] ?? co['average']);
    }
  }
  return { grid, metric };
}

export function toSpatial(raw: unknown): SpatialHeatmap | null {
  const r = obj(raw);
  const width = num(r['width'] ?? r['cols']);
  const height = num(r['height'] ?? r['rows']);
  const cells = Array.isArray(r['cells']) ? r['cells'] : Array.isArray(r['grid']) ? (r['grid'] as unknown[]).flat() : null;
  if (width === null || height === null || !cells) return null;
  const vals = (cells as unknown[]).map((v) => num(v) ?? 0);
  const max = Math.max(1e-9, ...vals);
  return {
    width,
    height,
    cells: vals.map((v) => v / max),
    updatedAt: typeof r['updatedAt'] === 'string' ? r['updatedAt'] : typeof r['time'] === 'string' ? r['time'] : null,
  };
}

export function toAlertStatistics(raw: unknown): AlertStatistics {
  const r = obj(raw);
  const byLevel = Object.fromEntries(Object.entries(obj(r['byLevel'])).filter(([, v]) => num(v) !== null)) as Record<string, number>;
  const total = pick(r, 'total') ?? Object.values(byLevel).reduce((a, b) => a + b, 0);
  const resp = obj(r['responseTime']);
  const ms = (v: number | null): number | null => (v === null ? null : v / 1000);
  return {
    total,
    byLevel,
    meanResponseS: pick(r, 'meanResponseS') ?? pick(resp, 'meanS') ?? ms(pick(resp, 'meanMs')),
    medianResponseS: pick(r, 'medianResponseS') ?? pick(resp, 'medianS') ?? ms(pick(resp, 'medianMs')),
  };
}

/** Analytics REST facade: summaries, camera comparison, heatmaps, alert statistics. */
@Injectable({ providedIn: 'root' })
export class AnalyticsApi {
  private readonly http = inject(HttpClient);

  summary(cameraId: string, from: Date | string, to: Date | string): Observable<MetricsSummary> {
    return this.http
      .get<unknown>(`/api/metrics/${encodeURIComponent(cameraId)}/summary`, { params: { from: iso(from), to: iso(to) } })
      .pipe(map(toSummary));
  }

  compare(cameraIds: string[], metric: CompareMetric, from: Date | string, to: Date | string, intervalS?: number): Observable<CompareSeries[]> {
    const params: Record<string, string> = { cameraIds: cameraIds.join(','), metric, from: iso(from), to: iso(to) };
    if (intervalS) params['interval'] = String(Math.max(1, Math.round(intervalS)));
    return this.http.get<unknown>('/api/analytics/compare', { params }).pipe(map(toCompare));
  }

  busyHours(cameraId: string, metric: 'count' | 'density', from: Date | string, to: Date | string): Observable<BusyHours> {
    return this.http
      .get<unknown>(`/api/analytics/heatmap/${encodeURIComponent(cameraId)}`, {
        params: { type: 'busy-hours', metric, from: iso(from), to: iso(to) },
      })
      .pipe(map((r) => toBusyHours(r, metric)));
  }

  spatial(cameraId: string): Observable<SpatialHeatmap | null> {
    return this.http
      .get<unknown>(`/api/analytics/heatmap/${encodeURIComponent(cameraId)}`, { params: { type: 'spatial', format: 'json' } })
      .pipe(map(toSpatial));
  }

  alertStatistics(from: Date | string, to: Date | string): Observable<AlertStatistics> {
    return this.http.get<unknown>('/api/alerts/statistics', { params: { from: iso(from), to: iso(to) } }).pipe(map(toAlertStatistics));
  }
}
