import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { ApiError, AlertsStore, AuthService, type Camera, CamerasApi, LiveSocket, MetricsApi } from '@crowdsafe/web-data-access';
import { of, throwError } from 'rxjs';
import { CameraDirectory } from '../live/camera-directory.service';
import { DashboardPage } from './dashboard.page';
import { TrendChartComponent } from './trend-chart.component';

// The first render compiles the page's templates: slow on a loaded machine.
jest.setTimeout(60_000);

const cam = (id: string, name: string): Camera => ({ id, name, location: null, sourceType: 'file', isActive: true, status: 'online', statusReason: null, targetFps: 5, health: null, currentCount: null });
const alert = (id: string, level: string, status: string) => ({ id, cameraId: 'c1', condition: 'capacity', level, status, message: `${level} alert ${id}`, createdAt: '2026-01-01T10:00:00Z', metricsSnapshot: {} });

describe('DashboardPage', () => {
  // jsdom has no canvas 2D context (Chart.js) nor Element.scrollTo (the alert feed's auto-scroll).
  beforeAll(() => {
    Element.prototype.scrollTo = () => undefined;
  });

  let cameras: ReturnType<typeof signal<Camera[] | null>>;
  let error: ReturnType<typeof signal<string | null>>;
  let live: Record<string, unknown> & { subscribe: jest.Mock; watchFrames: jest.Mock; metrics: ReturnType<typeof signal<Record<string, unknown>>> };
  let store: { alerts: ReturnType<typeof signal<unknown[]>>; unacknowledged: ReturnType<typeof signal<number>>; loadError: ReturnType<typeof signal<string | null>>; lastEvent: ReturnType<typeof signal>; activeLevelByCamera: ReturnType<typeof signal>; acknowledge: jest.Mock };

  beforeEach(() => {
    localStorage.clear();
    cameras = signal(null);
    error = signal(null);
    live = { subscribe: jest.fn(() => jest.fn()), watchFrames: jest.fn(() => jest.fn()), metrics: signal({}), frames: signal({}), statuses: signal({}), state: signal('connected') };
    store = { alerts: signal([]), unacknowledged: signal(0), loadError: signal(null), lastEvent: signal(null), activeLevelByCamera: signal({}), acknowledge: jest.fn(() => of({})) };
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: LiveSocket, useValue: live },
        { provide: CameraDirectory, useValue: { cameras, error, ensureLoaded: jest.fn(), nameOf: (id: string) => (id === 'c1' ? 'North gate' : id), byId: signal(new Map()) } },
        { provide: AlertsStore, useValue: store },
        { provide: AuthService, useValue: { canOperate: signal(true), status: signal('authenticated') } },
        { provide: MetricsApi, useValue: { history: jest.fn(() => of([])) } },
        { provide: CamerasApi, useValue: { detail: jest.fn(() => of({ capacity: 100 })) } },
      ],
    });
    TestBed.overrideComponent(TrendChartComponent, { set: { template: '<div data-testid="trend-chart-stub"></div>', imports: [] } });
  });

  async function render() {
    const f = TestBed.createComponent(DashboardPage);
    await f.whenStable();
    const el = f.nativeElement as HTMLElement;
    const q = (id: string) => el.querySelector(`[data-testid="${id}"]`) as HTMLElement | null;
    const tiles = () => [...el.querySelectorAll('[data-testid="camera-tile"]')].map((t) => t.textContent?.match(/North gate|South gate|East|West|Fifth/)?.[0]);
    return { f, el, q, tiles };
  }

  it('loading, then no cameras configured', async () => {
    const { f, el, q } = await render();
    expect(el.textContent).toContain('Loading cameras…');
    cameras.set([]);
    await f.whenStable();
    expect(q('no-cameras')?.textContent).toContain('No cameras are configured yet.');
    expect(q('alert-empty')).not.toBeNull();
  });

  it('a camera list error is shown', async () => {
    error.set('Server failed');
    const { q } = await render();
    expect(q('load-error')?.textContent).toContain('Could not load the camera list: Server failed');
  });

  it('shows a tile per camera, joins their rooms, and the sidebar of the first; count from metrics_update', async () => {
    cameras.set([cam('c1', 'North gate'), cam('c2', 'South gate')]);
    const { f, q, tiles } = await render();
    expect(tiles()).toEqual(['North gate', 'South gate']);
    expect(live.subscribe.mock.calls.map((c) => c[0])).toEqual(['c1', 'c2']);
    expect(live.watchFrames.mock.calls.map((c) => c[0])).toEqual(['c1', 'c2']);
    expect(q('metrics-sidebar')?.getAttribute('data-camera-id')).toBe('c1');
    live.metrics.set({ c1: { receivedAt: Date.now(), event: { cameraId: 'c1', count: 17, analytics: { density: 1.2 }, risk: { level: 'CAUTION', score: 30 }, health: { status: 'online' } } } });
    await f.whenStable();
    expect(q('tile-count')?.textContent).toBe('17');
  });

  it('reorders with the move buttons (remembered), selects a tile, opens the full view', async () => {
    cameras.set([cam('c1', 'North gate'), cam('c2', 'South gate')]);
    const navigate = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const { f, el, q, tiles } = await render();
    (el.querySelector('[aria-label="Move North gate later"]') as HTMLButtonElement).click();
    await f.whenStable();
    expect(tiles()).toEqual(['South gate', 'North gate']);
    expect(JSON.parse(localStorage.getItem('cs.dashboard.order') ?? '[]')).toEqual(['c2', 'c1']);
    (el.querySelectorAll('[data-testid="tile-select"]')[1] as HTMLElement).click();
    await f.whenStable();
    expect(q('metrics-sidebar')?.getAttribute('data-camera-id')).toBe('c1');
    (el.querySelectorAll('[data-testid="tile-open"]')[0] as HTMLElement).click();
    expect(navigate).toHaveBeenCalledWith(['/cameras', 'c2', 'live']);
  });

  it('pages the grid: 2×2 shows four, the fifth is on page 2; 3×3 shows all', async () => {
    cameras.set(['North gate', 'South gate', 'East', 'West', 'Fifth'].map((n, i) => cam(`c${i + 1}`, n)));
    const { f, el, q, tiles } = await render();
    expect(tiles()).toHaveLength(4);
    expect(el.textContent).toContain('1 / 2');
    (el.querySelector('[aria-label="Next page"]') as HTMLButtonElement).click();
    await f.whenStable();
    expect(tiles()).toEqual(['Fifth']);
    q('grid-3')?.click();
    await f.whenStable();
    expect(tiles()).toHaveLength(5);
    expect(localStorage.getItem('cs.dashboard.grid')).toBe('3');
    expect(el.querySelector('[aria-label="Camera pages"]')).toBeNull();
  });

  describe('alert panel', () => {
    it('lists active alerts at or above the filter, acknowledges, shows a failed acknowledge', async () => {
      cameras.set([cam('c1', 'North gate')]);
      store.alerts.set([alert('a1', 'CRITICAL', 'open'), alert('a2', 'CAUTION', 'open'), alert('a3', 'WARNING', 'resolved')]);
      const { f, el, q } = await render();
      const items = () => [...el.querySelectorAll('[data-testid="alert-item"]')].map((i) => i.getAttribute('data-alert-id'));
      expect(items()).toEqual(['a1', 'a2']);
      const filter = q('alert-filter') as HTMLSelectElement;
      filter.value = 'WARNING';
      filter.dispatchEvent(new Event('change'));
      await f.whenStable();
      expect(items()).toEqual(['a1']);
      (el.querySelector('[data-testid="alert-ack"]') as HTMLButtonElement).click();
      expect(store.acknowledge).toHaveBeenCalledWith('a1');
      store.acknowledge.mockReturnValue(throwError(() => new ApiError(409, 'Alert a1 is already acknowledged', 'Conflict', null)));
      (el.querySelector('[data-testid="alert-ack"]') as HTMLButtonElement).click();
      await f.whenStable();
      expect(q('alert-panel')?.textContent).toContain('already acknowledged');
    });
  });
});
