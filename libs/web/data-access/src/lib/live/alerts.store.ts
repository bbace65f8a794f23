import { DestroyRef, Injectable, computed, effect, inject, signal, untracked } from '@angular/core';
import { type AlertLiveEvent, type AlertView, RISK_LEVELS, type RiskLevel } from '@crowdsafe/contracts';
import { type Observable, Subject, tap } from 'rxjs';
import { toApiError } from '../api/api-error';
import { AlertsApi } from '../api/alerts.api';
import { AuthService } from '../auth/auth.service';
import { LiveSocket } from './live-socket.service';

/** Most alerts kept in memory (newest first); older ones are in the alerts history page. */
export const ALERTS_KEPT = 200;
/** Most live events kept for the alert detail timelines (oldest dropped first). */
export const ALERT_EVENTS_KEPT = 500;

export interface ReceivedAlertEvent {
  event: AlertLiveEvent;
  /** Client clock when it arrived. */
  receivedAt: number;
}

export const levelRank = (l: RiskLevel | null | undefined): number => (l ? RISK_LEVELS.indexOf(l) : -1);

/**
 * The console's view of alerts: the recent list from GET /api/alerts merged with the live `alert` events (an event
 * replaces the stored copy of its alert). Reloaded after every socket reconnect, since events may have been missed
 * while disconnected. Bounded to `ALERTS_KEPT`.
 */
@Injectable({ providedIn: 'root' })
export class AlertsStore {
  private readonly api = inject(AlertsApi);
  private readonly live = inject(LiveSocket);
  private readonly auth = inject(AuthService);

  private readonly _alerts = signal<readonly AlertView[]>([]);
  private readonly _loadError = signal<string | null>(null);
  private readonly _lastEvent = signal<ReceivedAlertEvent | null>(null);
  private readonly eventSubject = new Subject<ReceivedAlertEvent>();
  private readonly _recentEvents = signal<readonly AlertLiveEvent[]>([]);
  private readonly started = signal(false);

  /** Newest first. */
  readonly alerts = this._alerts.asReadonly();
  readonly loadError = this._loadError.asReadonly();
  readonly lastEvent = this._lastEvent.asReadonly();
  /** The live events received since the page loaded (bounded), oldest first: the alert detail timelines. */
  readonly recentEvents = this._recentEvents.asReadonly();
  /** Every live alert event as it arrives (the alarm uses it to decide when to sound). */
  readonly events$: Observable<ReceivedAlertEvent> = this.eventSubject.asObservable();

  /** Not resolved (open or acknowledged). */
  readonly active = computed(() => this._alerts().filter((a) => a.status !== 'resolved'));
  /** Open: nobody has acknowledged them yet. */
  readonly unacknowledged = computed(() => this._alerts().filter((a) => a.status === 'open'));
  readonly highestActiveLevel = computed((): RiskLevel | null => highest(this.active()));
  readonly highestUnacknowledgedLevel = computed((): RiskLevel | null => highest(this.unacknowledged()));

  /** Highest level among the camera's active alerts (tile borders). */
  readonly activeLevelByCamera = computed(() => {
    const out: Record<string, { level: RiskLevel; unacknowledged: boolean }> = {};
    for (const a of this.active()) {
      const cur = out[a.cameraId];
      if (!cur || levelRank(a.level) > levelRank(cur.level)) {
        out[a.cameraId] = { level: a.level, unacknowledged: a.status === 'open' || !!cur?.unacknowledged };
      } else if (a.status === 'open') cur.unacknowledged = true;
    }
    return out;
  });

  constructor() {
    const destroyRef = inject(DestroyRef);
    const sub = this.live.alerts$.subscribe((event) => this.onEvent(event));
    destroyRef.onDestroy(() => sub.unsubscribe());
    effect(() => {
      if (!this.started()) return;
      const loggedIn = this.auth.isLoggedIn();
      this.live.reconnects();
      untracked(() => (loggedIn ? this.reload() : this._alerts.set([])));
    });
  }

  /** Loads the recent alerts once signed in and again after each reconnect (idempotent). */
  start(): void {
    this.started.set(true);
  }

  reload(): void {
    this.api.list({ limit: 100 }).subscribe({
      next: (list) => {
        this._loadError.set(null);
        // Live events that arrived meanwhile win when newer.
        const byId = new Map(list.map((a) => [a.id, a] as const));
        for (const a of this._alerts()) {
          const loaded = byId.get(a.id);
          if (loaded && Date.parse(a.updatedAt) > Date.parse(loaded.updatedAt)) byId.set(a.id, a);
        }
        this._alerts.set(sortAndBound([...byId.values()]));
      },
      error: (err: unknown) => this._loadError.set(toApiError(err).message),
    });
  }

  /** REST acknowledge; the returned alert (and the broadcast event) update the list. */
  acknowledge(id: string, notes?: string): Observable<AlertView> {
    return this.api.acknowledge(id, notes).pipe(tap((a) => this.upsert(a)));
  }

  /** REST resolve with notes; the returned alert (and the broadcast event) update the list. */
  resolve(id: string, notes?: string): Observable<AlertView> {
    return this.api.resolve(id, notes).pipe(tap((a) => this.upsert(a)));
  }

  /** A copy fetched elsewhere (the detail page) replaces an older one in the list. */
  remember(alert: AlertView): void {
    if (this._alerts().some((a) => a.id === alert.id)) this.upsert(alert);
  }

  eventsOf(alertId: string): AlertLiveEvent[] {
    return this._recentEvents().filter((e) => e.alert.id === alertId);
  }

  cameraAlerts(cameraId: string): AlertView[] {
    return this._alerts().filter((a) => a.cameraId === cameraId);
  }

  private onEvent(event: AlertLiveEvent): void {
    const received: ReceivedAlertEvent = { event, receivedAt: Date.now() };
    this.upsert(event.alert);
    this._recentEvents.update((list) => (list.length >= ALERT_EVENTS_KEPT ? [...list.slice(list.length - ALERT_EVENTS_KEPT + 1), event] : [...list, event]));
    this._lastEvent.set(received);
    this.eventSubject.next(received);
  }

  private upsert(alert: AlertView): void {
    this._alerts.update((list) => {
      const i = list.findIndex((a) => a.id === alert.id);
      if (i >= 0 && Date.parse(list[i].updatedAt) > Date.parse(alert.updatedAt)) return list;
      const next = i >= 0 ? [...list.slice(0, i), alert, ...list.slice(i + 1)] : [alert, ...list];
      return sortAndBound(next);
    });
  }
}

function highest(list: readonly AlertView[]): RiskLevel | null {
  let best: RiskLevel | null = null;
  for (const a of list) if (levelRank(a.level) > levelRank(best)) best = a.level;
  return best;
}

function sortAndBound(list: AlertView[]): AlertView[] {
  return list.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt)).slice(0, ALERTS_KEPT);
}
