import { Injectable, inject } from '@angular/core';
import type { AlertStatus, AlertView, RiskLevel } from '@crowdsafe/contracts';
import { type Observable, map } from 'rxjs';
import { Api, type AlertCondition, type AlertDto, acknowledgeAlert, getAlert, getAlertSnapshot, listAlerts, resolveAlert } from '../../generated';

export interface AlertsQuery {
  cameraId?: string;
  level?: RiskLevel;
  status?: AlertStatus;
  condition?: string;
  from?: Date | string;
  to?: Date | string;
  /** 1..500 (server bound). */
  limit?: number;
  offset?: number;
}

const iso = (d: Date | string | undefined): string | undefined => (d instanceof Date ? d.toISOString() : d);

/** The generated DTO as the shared contract's view (same fields; metricsSnapshot values are scalars). */
export function toAlertView(dto: AlertDto): AlertView {
  return { ...dto, metricsSnapshot: { ...(dto.metricsSnapshot ?? {}) } as AlertView['metricsSnapshot'] };
}

const blank = <T extends string>(v: T | undefined): T | undefined => (v === undefined || v === '' ? undefined : v);

/**
 * Alerts REST facade over the generated client: GET /api/alerts (newest first), POST /api/alerts/:id/acknowledge|resolve.
 * Errors are `ApiError` (409 with a message when already acknowledged/resolved).
 */
@Injectable({ providedIn: 'root' })
export class AlertsApi {
  private readonly api = inject(Api);

  list(query: AlertsQuery = {}): Observable<AlertView[]> {
    return this.api
      .invoke(listAlerts, {
        cameraId: blank(query.cameraId),
        level: query.level,
        status: query.status,
        condition: blank(query.condition) as AlertCondition | undefined,
        from: iso(query.from),
        to: iso(query.to),
        limit: query.limit === undefined ? undefined : Math.min(500, Math.max(1, Math.round(query.limit))),
        offset: query.offset,
      })
      .pipe(map((page) => page.items.map(toAlertView)));
  }

  /** One alert (404 `ApiError` when unknown). */
  get(id: string): Observable<AlertView> {
    return this.api.invoke(getAlert, { id }).pipe(map(toAlertView));
  }

  /**
   * The annotated JPEG of the triggering frame as a Blob, fetched through HttpClient so the auth interceptor adds
   * the Bearer token (an <img src> could not); show it with URL.createObjectURL and revoke it when done. 404 = none.
   */
  snapshot(id: string): Observable<Blob> {
    return this.api.invoke(getAlertSnapshot, { id });
  }

  acknowledge(id: string, notes?: string): Observable<AlertView> {
    return this.api.invoke(acknowledgeAlert, { id, body: notes ? { notes } : {} }).pipe(map(toAlertView));
  }

  resolve(id: string, notes?: string): Observable<AlertView> {
    return this.api.invoke(resolveAlert, { id, body: notes ? { notes } : {} }).pipe(map(toAlertView));
  }
}
