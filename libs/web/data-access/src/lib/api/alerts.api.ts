import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { AlertStatus, AlertView, RiskLevel } from '@crowdsafe/contracts';
import { type Observable, map } from 'rxjs';

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

/**
 * Alerts REST facade: GET /api/alerts (newest first), POST /api/alerts/:id/acknowledge|resolve, snapshot URL.
 * Errors are `ApiError` (409 with a message when already acknowledged/resolved).
 * Written against the alerts contract with HttpClient while the endpoints are landing in the committed spec.
 */
@Injectable({ providedIn: 'root' })
export class AlertsApi {
  private readonly http = inject(HttpClient);

  list(query: AlertsQuery = {}): Observable<AlertView[]> {
    let params = new HttpParams();
    const set = (k: string, v: string | number | undefined) => {
      if (v !== undefined && v !== '') params = params.set(k, String(v));
    };
    set('cameraId', query.cameraId);
    set('level', query.level);
    set('status', query.status);
    set('condition', query.condition);
    set('from', iso(query.from));
    set('to', iso(query.to));
    set('limit', query.limit === undefined ? undefined : Math.min(500, Math.max(1, Math.round(query.limit))));
    set('offset', query.offset);
    return this.http
      .get<AlertView[] | { items?: AlertView[] }>('/api/alerts', { params })
      .pipe(map((body) => (Array.isArray(body) ? body : (body?.items ?? []))));
  }

  acknowledge(id: string, notes?: string): Observable<AlertView> {
    return this.http.post<AlertView>(`/api/alerts/${encodeURIComponent(id)}/acknowledge`, notes ? { notes } : {});
  }

  resolve(id: string, notes?: string): Observable<AlertView> {
    return this.http.post<AlertView>(`/api/alerts/${encodeURIComponent(id)}/resolve`, notes ? { notes } : {});
  }
}
