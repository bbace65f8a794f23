import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { type Observable, map, retry, throwError, timer } from 'rxjs';
import { ApiError } from './api-error';
import {
  Api,
  type RecordingDto,
  type RecordingStartedDto,
  type RecordingStorageDto,
  type RecordingTicketDto,
  type RecordingTrigger,
  createLiveHlsTicket,
  createRecordingTicket,
  liveHlsStats,
  type LiveHlsCameraStatsDto,
  type LiveHlsTicketDto,
  deleteRecording,
  listRecordings,
  recordingStorage,
  startRecording,
  stopRecording,
  updateRecording,
} from '../../generated';

export type Recording = RecordingDto;
export type RecordingTicket = RecordingTicketDto;
export type RecordingStorage = RecordingStorageDto;

export interface RecordingsQuery {
  cameraId?: string;
  trigger?: RecordingTrigger;
  alertId?: string;
  from?: Date | string;
  to?: Date | string;
  /** 1..200 (server bound). */
  limit?: number;
  offset?: number;
}

const iso = (d: Date | string | undefined): string | undefined => (d instanceof Date ? d.toISOString() : d || undefined);
const blank = <T extends string>(v: T | undefined): T | undefined => (v === undefined || v === '' ? undefined : v);

/**
 * Recordings REST facade (spec 8.5): list, start/stop, protect, delete, and tickets for the media URLs (a <video> or a
 * download link cannot send the Bearer token). Errors are `ApiError` (409 with the reason when a camera cannot record).
 */
@Injectable({ providedIn: 'root' })
export class RecordingsApi {
  private readonly api = inject(Api);
  private readonly http = inject(HttpClient);

  list(q: RecordingsQuery = {}): Observable<{ items: Recording[]; total: number }> {
    return this.api
      .invoke(listRecordings, {
        cameraId: blank(q.cameraId),
        trigger: q.trigger,
        alertId: blank(q.alertId),
        from: iso(q.from),
        to: iso(q.to),
        limit: q.limit === undefined ? undefined : Math.min(200, Math.max(1, Math.round(q.limit))),
        offset: q.offset,
      })
      .pipe(map((p) => ({ items: p.items, total: p.total })));
  }

  /** Record from now for `durationS` seconds, or until stop() when omitted. */
  start(cameraId: string, durationS?: number): Observable<RecordingStartedDto> {
    return this.api.invoke(startRecording, { cameraId, body: durationS === undefined ? {} : { durationS } });
  }

  stop(id: string): Observable<RecordingStartedDto> {
    return this.api.invoke(stopRecording, { id });
  }

  protect(id: string, isProtected: boolean): Observable<Recording> {
    return this.api.invoke(updateRecording, { id, body: { isProtected } });
  }

  remove(id: string): Observable<void> {
    return this.api.invoke(deleteRecording, { id });
  }

  ticket(id: string): Observable<RecordingTicket> {
    return this.api.invoke(createRecordingTicket, { id });
  }

  /** A ticket and the URL of a camera's live HLS playlist (for video.js). */
  liveHlsTicket(cameraId: string): Observable<LiveHlsTicketDto> {
    return this.api.invoke(createLiveHlsTicket, { cameraId });
  }

  /**
   * Completes once the live playlist at `url` (a ticket's) is served. A transcode started on demand by this request
   * answers 503 until its first segment is written: retried every `retryMs` for at most `attempts` tries, so the
   * player gets a playlist instead of a fatal error; any other error is passed on at once.
   */
  liveHlsReady(url: string, attempts = 12, retryMs = 1500): Observable<void> {
    return this.http.get(url, { responseType: 'text' }).pipe(
      retry({ count: attempts - 1, delay: (err: unknown) => (err instanceof ApiError && err.status === 503 ? timer(retryMs) : throwError(() => err)) }),
      map(() => undefined),
    );
  }

  /** HLS viewers and bytes/s per camera over the last 10 s. */
  liveHlsStats(): Observable<LiveHlsCameraStatsDto[]> {
    return this.api.invoke(liveHlsStats, {});
  }

  storage(): Observable<RecordingStorage> {
    return this.api.invoke(recordingStorage, {});
  }
}
