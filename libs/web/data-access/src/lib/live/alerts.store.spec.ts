import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { AlertLiveEvent, AlertView } from '@crowdsafe/contracts';
import { Subject, of, throwError } from 'rxjs';
import { ApiError } from '../api/api-error';
import { AlertsApi } from '../api/alerts.api';
import { AuthService } from '../auth/auth.service';
import { ALERTS_KEPT, ALERT_EVENTS_KEPT, AlertsStore, levelRank } from './alerts.store';
import { LiveSocket } from './live-socket.service';

let seq = 0;
const alert = (over: Partial<AlertView> = {}): AlertView => ({
  id: `a${++seq}`,
  cameraId: 'cam-1',
  condition: 'risk_level',
  level: 'WARNING',
  status: 'open',
  message: 'm',
  metricsSnapshot: {},
  channelsNotified: ['dashboard'],
  escalationLevel: 0,
  acknowledgedBy: null,
  acknowledgedAt: null,
  responseTimeMs: null,
  resolvedBy: null,
  resolvedAt: null,
  notes: null,
  hasSnapshot: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});
const ev = (a: AlertView, type: AlertLiveEvent['type'] = 'opened'): AlertLiveEvent =>
  ({ type, at: a.updatedAt, alert: a, currentLevel: a.level, channels: ['dashboard'] }) as AlertLiveEvent;

describe('AlertsStore', () => {
  let store: AlertsStore;
  let api: { list: jest.Mock; acknowledge: jest.Mock; resolve: jest.Mock };
  const alerts$ = new Subject<AlertLiveEvent>();
  const reconnects = signal(0);
  const loggedIn = signal(true);

  beforeEach(() => {
    api = { list: jest.fn(() => of([])), acknowledge: jest.fn(), resolve: jest.fn() };
    TestBed.configureTestingModule({
      providers: [
        { provide: AlertsApi, useValue: api },
        { provide: LiveSocket, useValue: { alerts$, reconnects } },
        { provide: AuthService, useValue: { isLoggedIn: loggedIn } },
      ],
    });
    store = TestBed.inject(AlertsStore);
  });

  it('starts empty and loads nothing until started', () => {
    TestBed.tick();
    expect(store.alerts()).toEqual([]);
    expect(store.highestActiveLevel()).toBeNull();
    expect(api.list).not.toHaveBeenCalled();
  });

  it('loads once started, again after each reconnect; clears on sign-out', () => {
    api.list.mockReturnValue(of([alert({ id: 'x' })]));
    store.start();
    TestBed.tick();
    expect(api.list).toHaveBeenCalledWith({ limit: 100 });
    expect(store.alerts().map((a) => a.id)).toEqual(['x']);
    reconnects.set(1);
    TestBed.tick();
    expect(api.list).toHaveBeenCalledTimes(2);
    loggedIn.set(false);
    TestBed.tick();
    expect(store.alerts()).toEqual([]);
    loggedIn.set(true);
  });

  it('a failed load keeps the list and reports the error', () => {
    api.list.mockReturnValue(throwError(() => new ApiError(503, 'down', 'x', null)));
    store.reload();
    expect(store.loadError()).toBe('down');
  });

  it('a live event inserts or replaces its alert, never with an older copy', () => {
    const seen: string[] = [];
    store.events$.subscribe((e) => seen.push(e.event.type));
    const a = alert({ id: 'e1', updatedAt: '2026-01-01T00:00:05.000Z' });
    alerts$.next(ev(a));
    alerts$.next(ev({ ...a, status: 'acknowledged', updatedAt: '2026-01-01T00:00:01.000Z' }, 'acknowledged'));
    expect(store.alerts()[0].status).toBe('open');
    alerts$.next(ev({ ...a, level: 'CRITICAL', updatedAt: '2026-01-01T00:00:09.000Z' }, 'escalated'));
    expect(store.alerts()).toHaveLength(1);
    expect(store.alerts()[0].level).toBe('CRITICAL');
    expect(seen).toEqual(['opened', 'acknowledged', 'escalated']);
    expect(store.lastEvent()?.event.type).toBe('escalated');
  });

  it('a reload keeps live copies newer than the loaded ones', () => {
    const live = alert({ id: 'k', status: 'acknowledged', updatedAt: '2026-01-01T00:01:00.000Z' });
    alerts$.next(ev(live, 'acknowledged'));
    api.list.mockReturnValue(of([{ ...live, status: 'open', updatedAt: '2026-01-01T00:00:00.000Z' }, alert({ id: 'old' })]));
    store.reload();
    expect(store.alerts().find((a) => a.id === 'k')?.status).toBe('acknowledged');
    expect(store.alerts()).toHaveLength(2);
  });

  it('derived views: active, unacknowledged, highest levels, per camera', () => {
    for (const a of [
      alert({ cameraId: 'A', level: 'CAUTION', status: 'open', createdAt: '2026-01-01T00:00:01Z' }),
      alert({ cameraId: 'A', level: 'CRITICAL', status: 'acknowledged', createdAt: '2026-01-01T00:00:02Z' }),
      alert({ cameraId: 'B', level: 'WARNING', status: 'open', createdAt: '2026-01-01T00:00:03Z' }),
      alert({ cameraId: 'C', level: 'CRITICAL', status: 'resolved', createdAt: '2026-01-01T00:00:04Z' }),
    ])
      alerts$.next(ev(a));
    expect(store.alerts().map((a) => a.cameraId)).toEqual(['C', 'B', 'A', 'A']); // newest first
    expect(store.active()).toHaveLength(3);
    expect(store.unacknowledged()).toHaveLength(2);
    expect(store.highestActiveLevel()).toBe('CRITICAL');
    expect(store.highestUnacknowledgedLevel()).toBe('WARNING');
    expect(store.activeLevelByCamera()).toEqual({ A: { level: 'CRITICAL', unacknowledged: true }, B: { level: 'WARNING', unacknowledged: true } });
    expect(store.cameraAlerts('A')).toHaveLength(2);
  });

  it(`keeps at most ${ALERTS_KEPT} alerts, newest first`, () => {
    for (let i = 0; i < ALERTS_KEPT + 20; i++) alerts$.next(ev(alert({ createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString() })));
    expect(store.alerts()).toHaveLength(ALERTS_KEPT);
    expect(store.alerts()[0].createdAt).toBe(new Date(Date.UTC(2026, 0, 1, 0, 0, ALERTS_KEPT + 19)).toISOString());
  });

  it('acknowledge updates the list with the server copy', () => {
    const a = alert({ id: 'q' });
    alerts$.next(ev(a));
    api.acknowledge.mockReturnValue(of({ ...a, status: 'acknowledged', updatedAt: '2026-01-01T00:02:00.000Z' }));
    store.acknowledge('q', 'seen').subscribe();
    expect(api.acknowledge).toHaveBeenCalledWith('q', 'seen');
    expect(store.alerts()[0].status).toBe('acknowledged');
  });

  it('resolve with notes updates the list; remember() refreshes only a known alert', () => {
    const a = alert({ id: 'r' });
    alerts$.next(ev(a));
    api.resolve.mockReturnValue(of({ ...a, status: 'resolved', notes: 'cleared', updatedAt: '2026-01-01T00:03:00.000Z' }));
    store.resolve('r', 'cleared').subscribe();
    expect(api.resolve).toHaveBeenCalledWith('r', 'cleared');
    expect(store.alerts()[0]).toMatchObject({ status: 'resolved', notes: 'cleared' });
    store.remember(alert({ id: 'unknown' }));
    expect(store.alerts()).toHaveLength(1);
  });

  it(`keeps the last ${ALERT_EVENTS_KEPT} live events for the detail timelines`, () => {
    const a = alert({ id: 'ev' });
    for (let i = 0; i < ALERT_EVENTS_KEPT + 5; i++) alerts$.next(ev({ ...a, updatedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString() }, i ? 'updated' : 'opened'));
    expect(store.recentEvents()).toHaveLength(ALERT_EVENTS_KEPT);
    expect(store.recentEvents()[0].type).toBe('updated');
    expect(store.eventsOf('ev')).toHaveLength(ALERT_EVENTS_KEPT);
    expect(store.eventsOf('nope')).toEqual([]);
  });

  it.each([
    [null, -1],
    ['SAFE', 0],
    ['CRITICAL', 3],
  ] as const)('levelRank(%p) = %d', (l, r) => expect(levelRank(l)).toBe(r));
});
