import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import type { AlertView } from '@crowdsafe/contracts';
import { AlertsApi, AlertsStore, ApiError, AuthService, LiveSocket, MetricsApi, RecordingsApi } from '@crowdsafe/web-data-access';
import { Subject } from 'rxjs';
import { of, throwError } from 'rxjs';
import { CameraDirectory } from '../live/camera-directory.service';
import { AlertDetailPage } from './alert-detail.page';

const base: AlertView = {
  id: 'a1',
  cameraId: 'cam-1',
  condition: 'capacity',
  level: 'WARNING',
  status: 'open',
  message: 'Occupancy 180 % of capacity',
  metricsSnapshot: { count: 18, capacityPct: 180, density: null },
  channelsNotified: ['dashboard', 'email'],
  escalationLevel: 0,
  acknowledgedBy: null,
  acknowledgedAt: null,
  responseTimeMs: null,
  resolvedBy: null,
  resolvedAt: null,
  notes: null,
  hasSnapshot: false,
  createdAt: '2026-01-01T10:00:00.000Z',
  updatedAt: '2026-01-01T10:00:00.000Z',
};

describe('AlertDetailPage', () => {
  let api: { get: jest.Mock; snapshot: jest.Mock };
  let store: { acknowledge: jest.Mock; resolve: jest.Mock; remember: jest.Mock; eventsOf: jest.Mock; lastEvent: ReturnType<typeof signal> };
  let canOperate: ReturnType<typeof signal<boolean>>;

  beforeEach(() => {
    api = { get: jest.fn(() => of(base)), snapshot: jest.fn() };
    store = { acknowledge: jest.fn(), resolve: jest.fn(), remember: jest.fn(), eventsOf: jest.fn(() => []), lastEvent: signal(null) };
    canOperate = signal(true);
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: AlertsApi, useValue: api },
        { provide: MetricsApi, useValue: { history: jest.fn(() => of([])) } },
        { provide: AlertsStore, useValue: store },
        { provide: AuthService, useValue: { canOperate, user: signal({ id: 'me' }) } },
        { provide: CameraDirectory, useValue: { ensureLoaded: jest.fn(), nameOf: () => 'North gate' } },
        // The clip of the alert (recordings): none stored for it.
        { provide: RecordingsApi, useValue: { list: jest.fn(() => of({ items: [], total: 0 })), ticket: jest.fn() } },
        { provide: LiveSocket, useValue: { recordings$: new Subject() } },
      ],
    });
    jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
  });

  async function render(action?: string) {
    const f = TestBed.createComponent(AlertDetailPage);
    f.componentRef.setInput('id', 'a1');
    if (action) f.componentRef.setInput('action', action);
    await f.whenStable();
    return { f, el: f.nativeElement as HTMLElement, q: (id: string) => (f.nativeElement as HTMLElement).querySelector(`[data-testid="${id}"]`) };
  }

  it('shows the alert: message, values at the trigger, channels, timeline, clip slot, no snapshot', async () => {
    const { q } = await render();
    expect(api.get).toHaveBeenCalledWith('a1');
    expect(q('alert-detail-message')?.textContent).toContain('Occupancy 180 %');
    expect(q('alert-trigger-values')?.textContent).toMatch(/count\s*18/);
    expect(q('alert-trigger-values')?.textContent).not.toContain('density');
    expect([...(q('alert-channels')?.querySelectorAll('[data-channel]') ?? [])].map((e) => e.getAttribute('data-channel'))).toEqual(['dashboard', 'email']);
    expect(q('alert-timeline')?.querySelectorAll('li')).toHaveLength(1);
    expect(q('alert-clip')?.textContent).toContain('No clip for this alert');
    expect(q('alert-snapshot-missing')?.textContent).toContain('No snapshot');
    expect(q('alert-metrics-empty')).not.toBeNull();
    expect(api.snapshot).not.toHaveBeenCalled();
  });

  it('resolves with the trimmed notes and shows the result', async () => {
    store.resolve.mockReturnValue(of({ ...base, status: 'resolved', notes: 'gate 3 opened', resolvedAt: '2026-01-01T10:05:00.000Z', resolvedBy: 'me' }));
    const { f, q } = await render();
    const ta = q('alert-notes-input') as HTMLTextAreaElement;
    ta.value = '  gate 3 opened  ';
    ta.dispatchEvent(new Event('input'));
    (q('alert-resolve') as HTMLButtonElement).click();
    await f.whenStable();
    expect(store.resolve).toHaveBeenCalledWith('a1', 'gate 3 opened');
    expect(q('alert-detail')?.getAttribute('data-status')).toBe('resolved');
    expect(q('alert-notes')?.textContent).toBe('gate 3 opened');
    expect(q('alert-actions')).toBeNull();
    expect(q('alert-timeline')?.textContent).toContain('Resolved by you — notes: gate 3 opened');
  });

  it('a 409 (someone acted first) shows the reason and reloads the alert', async () => {
    store.acknowledge.mockReturnValue(throwError(() => new ApiError(409, 'Alert a1 is already acknowledged', 'Conflict', null)));
    const { f, q, el } = await render();
    (q('alert-detail-ack') as HTMLButtonElement).click();
    await f.whenStable();
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('already acknowledged');
    expect(api.get).toHaveBeenCalledTimes(2);
  });

  it("?action=acknowledge (the push notification's action) acknowledges once loaded", async () => {
    store.acknowledge.mockReturnValue(of({ ...base, status: 'acknowledged', acknowledgedAt: '2026-01-01T10:01:00.000Z', acknowledgedBy: 'me' }));
    const { q } = await render('acknowledge');
    expect(store.acknowledge).toHaveBeenCalledWith('a1', undefined);
    expect(q('alert-detail')?.getAttribute('data-status')).toBe('acknowledged');
  });

  it('viewers see no actions, and ?action=acknowledge does nothing for them', async () => {
    canOperate.set(false);
    const { q } = await render('acknowledge');
    expect(q('alert-actions')).toBeNull();
    expect(store.acknowledge).not.toHaveBeenCalled();
  });

  it('an unknown alert says so', async () => {
    api.get.mockReturnValue(throwError(() => new ApiError(404, 'Not found', 'Not Found', null)));
    const { q } = await render();
    expect(q('alert-load-error')?.textContent).toContain('does not exist');
  });
});
