import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { ApiError, AuthService, CamerasApi, LiveSocket, RecordingsApi } from '@crowdsafe/web-data-access';
import { Subject, of, throwError } from 'rxjs';
import { CameraDirectory } from '../live/camera-directory.service';
import { CameraViewPage } from './camera-view.page';

// The first render compiles the page's templates: slow on a loaded machine.
jest.setTimeout(60_000);

describe('CameraViewPage', () => {
  let live: { metrics: ReturnType<typeof signal<Record<string, unknown>>>; frames: ReturnType<typeof signal<Record<string, unknown>>>; statuses: ReturnType<typeof signal<Record<string, unknown>>>; subscribe: jest.Mock; watchFrames: jest.Mock; recordings$: Subject<Record<string, string>> };
  let cameras: { detail: jest.Mock };
  let recordings: { list: jest.Mock; start: jest.Mock; stop: jest.Mock };
  let canOperate: ReturnType<typeof signal<boolean>>;
  const release = jest.fn();

  beforeEach(() => {
    localStorage.clear();
    release.mockReset();
    live = { metrics: signal({}), frames: signal({}), statuses: signal({}), subscribe: jest.fn(() => release), watchFrames: jest.fn(() => jest.fn()), recordings$: new Subject() };
    cameras = { detail: jest.fn(() => of({ id: 'c1', name: 'North gate', location: 'Pier 3', zones: [{ id: 'z', name: 'Z', polygon: [[0, 0], [1, 0], [1, 1]] }], resolutionWidth: 1280, resolutionHeight: 720 })) };
    recordings = { list: jest.fn(() => of({ items: [], total: 0 })), start: jest.fn(), stop: jest.fn() };
    canOperate = signal(true);
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: LiveSocket, useValue: live },
        { provide: CamerasApi, useValue: cameras },
        { provide: RecordingsApi, useValue: recordings },
        { provide: CameraDirectory, useValue: { ensureLoaded: jest.fn(), byId: signal(new Map()) } },
        { provide: AuthService, useValue: { status: signal('authenticated'), canOperate, isAdmin: signal(false) } },
      ],
    });
  });

  async function render() {
    const f = TestBed.createComponent(CameraViewPage);
    f.componentRef.setInput('id', 'c1');
    await f.whenStable();
    const el = f.nativeElement as HTMLElement;
    return { f, el, q: (id: string) => el.querySelector(`[data-testid="${id}"]`) as HTMLElement | null };
  }

  it('before any data: the name and location, waiting for data, no count; joins the camera room and the frames', async () => {
    const { q } = await render();
    expect(q('camera-view-title')?.textContent).toBe('North gate');
    expect(q('camera-view-title')?.parentElement?.textContent).toContain('Pier 3');
    expect(q('view-count')?.textContent).toBe('–');
    expect(q('view-age')?.textContent).toBe('waiting for data');
    expect(live.subscribe).toHaveBeenCalledWith('c1');
    expect(live.watchFrames).toHaveBeenCalledWith('c1');
    expect(recordings.list).toHaveBeenCalledWith({ cameraId: 'c1', trigger: 'manual', limit: 5 });
  });

  it('shows the live count, density, early warning and age from metrics_update', async () => {
    const { f, q } = await render();
    live.metrics.set({ c1: { receivedAt: Date.now(), event: { count: 42, analytics: { density: 2.5 }, risk: { level: 'WARNING', score: 60, earlyWarningInS: 20 }, health: { status: 'online' } } } });
    await f.whenStable();
    expect(q('view-count')?.textContent).toBe('42');
    expect(q('metrics-overlay')?.textContent).toContain('p/m²');
    expect(q('view-early-warning')?.textContent).toContain('CRITICAL in ~20 s');
    expect(q('metrics-overlay')?.classList.contains('stale')).toBe(false);
  });

  it('an unknown camera says it does not exist', async () => {
    cameras.detail.mockReturnValue(throwError(() => new ApiError(404, 'Not found', 'Not Found', null)));
    const { q } = await render();
    expect(q('camera-view-error')?.textContent).toContain('does not exist');
    expect(q('camera-view-title')?.textContent).toBe('Camera');
  });

  it('overlay toggles are remembered; the metrics overlay hides', async () => {
    const { f, q } = await render();
    expect(q('toggle-boxes')?.getAttribute('aria-pressed')).toBe('true');
    q('toggle-metrics')?.click();
    q('toggle-heatmap')?.click();
    await f.whenStable();
    expect(q('metrics-overlay')).toBeNull();
    expect(JSON.parse(localStorage.getItem('cs.cameraView.overlays') ?? '[]').sort()).toEqual(['boxes', 'heatmap']);
  });

  it('pause stops the frames and says so; zoom steps and is bounded', async () => {
    const stop = jest.fn();
    live.watchFrames.mockReturnValue(stop);
    const { f, q, el } = await render();
    q('pause')?.click();
    await f.whenStable();
    expect(stop).toHaveBeenCalled();
    expect(q('pause')?.textContent).toContain('Resume');
    q('pause')?.click();
    await f.whenStable();
    expect(live.watchFrames).toHaveBeenCalledTimes(2);

    const out = el.querySelector('[aria-label="Zoom out"]') as HTMLButtonElement;
    expect(out.disabled).toBe(true);
    for (let i = 0; i < 6; i++) q('zoom-in')?.click();
    await f.whenStable();
    expect(q('zoom-level')?.textContent).toBe('4×');
    expect((q('zoom-in') as HTMLButtonElement).disabled).toBe(true);
    out.click();
    await f.whenStable();
    expect(q('zoom-level')?.textContent).toBe('3×');
  });

  it('a snapshot without a picture yet says so; full screen unavailable says so', async () => {
    const { f, q } = await render();
    q('snapshot-png')?.click();
    await new Promise((r) => setTimeout(r, 0));
    await f.whenStable();
    expect(q('camera-view-notice')?.textContent).toMatch(/No picture to save yet|Snapshot saved/);
    q('fullscreen')?.click();
    await new Promise((r) => setTimeout(r, 0));
    await f.whenStable();
    expect(q('camera-view-notice')?.textContent).toBe('Full screen is not available in this browser.');
  });

  describe('record buttons', () => {
    it('viewers get no record buttons', async () => {
      canOperate.set(false);
      const { q } = await render();
      expect(q('record-start')).toBeNull();
    });

    it('records 30 s: REC indicator, stop, processing, then the clip link', async () => {
      recordings.start.mockReturnValue(of({ recording_id: 'r1', status: 'recording' }));
      recordings.stop.mockReturnValue(of({ recording_id: 'r1', status: 'processing' }));
      const { f, q } = await render();
      q('record-30')?.click();
      await f.whenStable();
      expect(recordings.start).toHaveBeenCalledWith('c1', 30);
      expect(q('recording-indicator')?.textContent).toContain('REC 0:0');
      q('record-stop')?.click();
      await f.whenStable();
      expect(recordings.stop).toHaveBeenCalledWith('r1');
      expect(q('record-group')?.textContent).toContain('saving clip…');
      live.recordings$.next({ camera_id: 'c1', trigger: 'manual', recording_id: 'r1', status: 'completed', at: '' });
      await f.whenStable();
      expect(q('recording-indicator')).toBeNull();
      expect(q('record-done')?.getAttribute('href')).toBe('/recordings?play=r1');
    });

    it('a recording started elsewhere shows; a failed one explains; a refused start shows the reason', async () => {
      const { f, q } = await render();
      live.recordings$.next({ camera_id: 'other', trigger: 'manual', recording_id: 'x', status: 'recording', at: '' });
      live.recordings$.next({ camera_id: 'c1', trigger: 'manual', recording_id: 'r2', status: 'recording', at: new Date().toISOString() });
      await f.whenStable();
      expect(q('recording-indicator')).not.toBeNull();
      live.recordings$.next({ camera_id: 'c1', trigger: 'manual', recording_id: 'r2', status: 'failed', at: '' });
      await f.whenStable();
      expect(q('record-error')?.textContent).toContain('The recording failed');

      recordings.start.mockReturnValue(throwError(() => new ApiError(409, 'Camera c1 is not running', 'Conflict', null)));
      q('record-start')?.click();
      await f.whenStable();
      expect(recordings.start).toHaveBeenCalledWith('c1', undefined);
      expect(q('record-error')?.textContent).toBe('Camera c1 is not running');
    });

    it('a recording already running (page reload) shows at once', async () => {
      // Answered after the effect ran, as over HTTP.
      const page$ = new Subject<unknown>();
      recordings.list.mockReturnValue(page$);
      const { f, q } = await render();
      page$.next({ items: [{ id: 'r9', status: 'recording', startTime: new Date(Date.now() - 65_000).toISOString() }], total: 1 });
      await f.whenStable();
      expect(q('recording-indicator')?.textContent).toContain('REC 1:0');
    });
  });
});
