import { Injectable, inject } from '@angular/core';
import { type Observable, map } from 'rxjs';
import {
  Api,
  type AlertStatisticsDto,
  type BusyHoursDto,
  type CompareResultDto,
  type MetricsSummaryDto,
  type SpatialHeatmapDto,
  alertStatistics,
  compareCameras,
  getBusyHours,
  getMetricsSummary,
  getSpatialHeatmap,
} from '../../generated';

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

const iso = (d: Date | string): string => (d instanceof Date ? d.toISOString() : d);

export function toSummary(dto: MetricsSummaryDto): MetricsSummary {
  const timeAtLevel: Record<string, number> = {};
  for (const [k, v] of Object.entries(dto.secondsAtLevel ?? {})) if (typeof v === 'number' && Number.isFinite(v)) timeAtLevel[k] = v;
  return {
    avgCount: dto.countAvg ?? null,
    peakCount: dto.countPeak ?? null,
    peakDensity: dto.densityPeak ?? null,
    peakDensityAt: dto.densityPeakAt ?? null,
    avgRisk: dto.riskScoreAvg ?? null,
    uptimePct: dto.uptimePercent,
    flowIn: dto.flowIn ?? null,
    flowOut: dto.flowOut ?? null,
    timeAtLevel,
  };
}

export function toCompare(dto: CompareResultDto): CompareSeries[] {
  return dto.series.map((s) => ({
    cameraId: s.cameraId,
    points: s.values.map((value, i) => ({ time: dto.times[i] ?? String(i), value: value ?? null })),
  }));
}

export function toBusyHours(dto: BusyHoursDto): BusyHours {
  const grid: (number | null)[][] = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => null));
  for (const c of dto.cells) {
    if (c.weekday >= 0 && c.weekday < 7 && c.hour >= 0 && c.hour < 24) grid[c.weekday][c.hour] = c.avg ?? null;
  }
  return { grid, metric: dto.metric };
}

export function toSpatial(dto: SpatialHeatmapDto): SpatialHeatmap | null {
  if (!dto.cols || !dto.rows || dto.values.length < dto.cols * dto.rows) return null;
  const max = Math.max(1e-9, dto.max, ...dto.values);
  return { width: dto.cols, height: dto.rows, cells: dto.values.map((v) => (Number.isFinite(v) ? v / max : 0)), updatedAt: null };
}

export function toAlertStatistics(dto: AlertStatisticsDto): AlertStatistics {
  const ms = (v: number | null | undefined): number | null => (typeof v === 'number' ? v / 1000 : null);
  return {
    total: dto.total,
    byLevel: { ...dto.byLevel },
    meanResponseS: ms(dto.responseTime?.meanMs),
    medianResponseS: ms(dto.responseTime?.medianMs),
  };
}

/** Analytics REST facade over the generated client: summaries, camera comparison, heatmaps, alert statistics. */
@Injectable({ providedIn: 'root' })
export class AnalyticsApi {
  private readonly api = inject(Api);

  summary(cameraId: string, from: Date | string, to: Date | string): Observable<MetricsSummary> {
    return this.api.invoke(getMetricsSummary, { cameraId, from: iso(from), to: iso(to) }).pipe(map(toSummary));
  }

  compare(cameraIds: string[], metric: CompareMetric, from: Date | string, to: Date | string, intervalS?: number): Observable<CompareSeries[]> {
    return this.api
      .invoke(compareCameras, {
        cameraIds,
        metric,
        from: iso(from),
        to: iso(to),
        interval: intervalS ? Math.max(1, Math.round(intervalS)) : undefined,
      })
      .pipe(map(toCompare));
  }

  busyHours(cameraId: string, metric: 'count' | 'density', from: Date | string, to: Date | string): Observable<BusyHours> {
    return this.api.invoke(getBusyHours, { cameraId, metric, from: iso(from), to: iso(to) }).pipe(map(toBusyHours));
  }

  spatial(cameraId: string): Observable<SpatialHeatmap | null> {
    return this.api.invoke(getSpatialHeatmap, { cameraId, format: 'json' }).pipe(map(toSpatial));
  }

  alertStatistics(from: Date | string, to: Date | string): Observable<AlertStatistics> {
    return this.api.invoke(alertStatistics, { from: iso(from), to: iso(to) }).pipe(map(toAlertStatistics));
  }
}
