import { Injectable, inject } from '@angular/core';
import { type Observable, map } from 'rxjs';
import { Api, getCurrentMetrics, getMetrics } from '../../generated';
import { toMetricPoint } from './mappers';
import type { MetricPoint, MetricsQuery } from './models';

const iso = (d: Date | string | undefined): string | undefined => (d instanceof Date ? d.toISOString() : d);

/** Metrics REST facade (wraps the generated client; errors are `ApiError`). */
@Injectable({ providedIn: 'root' })
export class MetricsApi {
  private readonly api = inject(Api);

  /** Latest stored point; errors with `ApiError` 404 for an unknown camera or before the first point. */
  current(cameraId: string): Observable<MetricPoint> {
    return this.api.invoke(getCurrentMetrics, { cameraId }).pipe(map(toMetricPoint));
  }

  /** History, oldest first. */
  history(cameraId: string, query: MetricsQuery = {}): Observable<MetricPoint[]> {
    return this.api
      .invoke(getMetrics, {
        cameraId,
        start: iso(query.start),
        end: iso(query.end),
        interval: query.intervalS === undefined ? undefined : Math.max(1, Math.round(query.intervalS)),
      })
      .pipe(map((points) => points.map(toMetricPoint)));
  }
}
