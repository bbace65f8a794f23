import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ActivatedRoute, convertToParamMap } from '@angular/router';
import { AlertsApi, ApiError, AuthService, LiveSocket, type Recording, RecordingsApi } from '@crowdsafe/web-data-access';
import { Subject, of, throwError } from 'rxjs';
import { CameraDirectory } from '../live/camera-directory.service';
import { RecordingsPage } from './recordings.page';

// The first render compiles the page's templates: slow on a loaded machine.
jest.setTimeout(60_000);

const rec = (over: Partial<Recording>): Recording =>
  ({ id: 'r1', cameraId: 'c1', trigger: 'manual', status: 'completed', startTime: '2026-01-01T10:00:00Z', endTime: '2026-01-01T10:00:30Z', durationS: 30, isProtected: false, hasThumbnail: false, peakCount: 12, peakDensity: null, peakRiskScore: 40, error: null, ...over }) as Recording;

describe('RecordingsPage', () => {
  let api: Record<'list' | 'storage' | 'ticket' | 'protect' | 'remove', jest.Mock>;
  let alertsApi: { list: jest.Mock };
  let recordings$: Subject<{ status: string }>;
  let storage$: Subject<Record<string, unknown>>;
  let isAdmin: ReturnType<typeof signal<boolean>>;
  let play: string | null;

  // jsdom implements no media playback (video.js calls load()).
  beforeAll(() => {
    HTMLMediaElement.prototype.load = () => undefined;
  });

  beforeEach(() => {
    play = null;
    isAdmin = signal(true);
    recordings$ = new Subject();
    storage$ = new Subject();
    api = {
      list: jest.fn(() => of({ items: [], total: 0 })),
      storage: jest.fn(() => of({ usedPercent: 42.5, recordingsBytes: 3 * 1_048_576, warning: false })),
      ticket: jest.fn((id: string) => of({ videoUrl: `/v/${id}`, thumbnailUrl: `/t/${id}.jpg`, downloadUrl: `/d/${id}` })),
      protect: jest.fn((id: string, p: boolean) => of(rec({ id, isProtected: p }))),
      remove: jest.fn(() => of(undefined)),
    };
    alertsApi = { list: jest.fn(() => of([{ level: 'WARNING', message: 'Occupancy 95 %', createdAt: '2026-01-01T10:00:10Z' }])) };
    TestBed.configureTestingModule({
      providers: [
        { provide: RecordingsApi, useValue: api },
        { provide: AlertsApi, useValue: alertsApi },
        { provide: CameraDirectory, useValue: { ensureLoaded: jest.fn(), cameras: signal([{ id: 'c1', name: 'North gate' }]), byId: signal(new Map([['c1', { id: 'c1', name: 'North gate' }]])) } },
        { provide: AuthService, useValue: { status: signal('authenticated'), canOperate: signal(true), isAdmin } },
        { provide: LiveSocket, useValue: { recordings$, recordingStorage$: storage$ } },
        { provide: ActivatedRoute, useValue: { get snapshot() { return { queryParamMap: convertToParamMap(play ? { play } : {}) }; } } },
      ],
    });
  });

  async function render() {
    const f = TestBed.createComponent(RecordingsPage);
    await f.whenStable();
    const el = f.nativeElement as HTMLElement;
    return { f, el, q: (id: string) => el.querySelector(`[data-testid="${id}"]`) as HTMLElement | null };
  }

  it('no recordings yet; disk usage shown', async () => {
    const { q } = await render();
    expect(q('recordings-list')?.textContent).toContain('No recordings yet.');
    expect(q('recordings-storage')?.textContent).toContain('Disk 42.5 % used · recordings 3.0 MB');
    expect(api.list).toHaveBeenCalledWith({ cameraId: '', trigger: undefined, from: undefined, to: undefined, limit: 24, offset: 0 });
  });

  it('lists clips with thumbnails (a ticket each), failed ones with their error, and loads more', async () => {
    api.list.mockReturnValueOnce(of({ items: [rec({ hasThumbnail: true }), rec({ id: 'r2', status: 'failed', durationS: null, error: 'ffmpeg exited', trigger: 'alert' })], total: 3 }));
    api.list.mockReturnValueOnce(of({ items: [rec({ id: 'r3' })], total: 3 }));
    const { f, el, q } = await render();
    expect(q('recording-r1')?.querySelector('img')?.getAttribute('src')).toBe('/t/r1.jpg');
    expect(q('recording-r2')?.textContent).toContain('ffmpeg exited');
    expect((q('recording-r2') as HTMLButtonElement).disabled).toBe(true);
    expect(q('recording-r1')?.textContent).toContain('on demand');
    const more = [...el.querySelectorAll('button')].find((b) => b.textContent?.includes('More (2 of 3)')) as HTMLButtonElement;
    more.click();
    await f.whenStable();
    expect(api.list).toHaveBeenLastCalledWith(expect.objectContaining({ offset: 2 }));
    expect(el.querySelectorAll('[data-role="recording-card"]')).toHaveLength(3);
  });

  it('?play=<id> opens the clip with its alerts as markers; protect and delete', async () => {
    play = 'r1';
    api.list.mockReturnValue(of({ items: [rec({})], total: 1 }));
    jest.spyOn(window, 'confirm').mockReturnValue(true);
    const { f, q, el } = await render();
    expect(q('recording-detail')?.textContent).toContain('North gate');
    expect(el.querySelector('video')).not.toBeNull();
    expect(q('recording-download')?.getAttribute('href')).toBe('/d/r1');
    expect(alertsApi.list).toHaveBeenCalledWith({ cameraId: 'c1', from: '2026-01-01T10:00:00Z', to: '2026-01-01T10:00:30Z', limit: 200 });
    q('recording-protect')?.click();
    await f.whenStable();
    expect(api.protect).toHaveBeenCalledWith('r1', true);
    expect(q('recording-detail')?.textContent).toContain('protected from retention');
    expect(q('recording-protect')?.textContent).toBe('Unprotect');
    q('recording-delete')?.click();
    await f.whenStable();
    expect(api.remove).toHaveBeenCalledWith('r1');
    expect(api.list).toHaveBeenCalledTimes(2);
  });

  it('non-admins cannot delete; list errors show; socket events refresh and update the disk warning', async () => {
    isAdmin.set(false);
    play = 'r1';
    api.list.mockReturnValue(of({ items: [rec({})], total: 1 }));
    const { f, el, q } = await render();
    expect(q('recording-delete')).toBeNull();
    api.list.mockReturnValue(throwError(() => new ApiError(500, 'Server failed', 'x', null)));
    recordings$.next({ status: 'processing' });
    expect(api.list).toHaveBeenCalledTimes(1);
    recordings$.next({ status: 'completed' });
    storage$.next({ usedPercent: 97, warning: true });
    await f.whenStable();
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('Server failed');
    expect(q('recordings-storage')?.textContent).toContain('disk almost full');
  });

  it('filtering by camera and trigger reloads at once', async () => {
    const { f, el } = await render();
    const camera = el.querySelector('#rf-cam') as HTMLSelectElement;
    camera.value = 'c1';
    camera.dispatchEvent(new Event('change'));
    const trigger = el.querySelector('#rf-trigger') as HTMLSelectElement;
    trigger.value = 'alert';
    trigger.dispatchEvent(new Event('change'));
    await f.whenStable();
    expect(api.list).toHaveBeenLastCalledWith(expect.objectContaining({ cameraId: 'c1', trigger: 'alert' }));
  });
});
