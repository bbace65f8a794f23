import { TestBed } from '@angular/core/testing';
import { ApiError, RecordingsApi, SystemApi, type SystemHealth } from '@crowdsafe/web-data-access';
import { of, throwError } from 'rxjs';
import { CameraDirectory } from '../live/camera-directory.service';
import { SystemPage } from './system.page';

// The first render compiles the page's templates: slow on a loaded machine.
jest.setTimeout(60_000);

const health: SystemHealth = {
  status: 'ok',
  uptimeS: 90_061,
  processCpuPct: 12.4,
  hostCpuPct: 40,
  cores: 2,
  load: [0.5],
  processRssBytes: 150 * 1024 * 1024,
  hostTotalBytes: 4 * 1024 ** 3,
  hostFreeBytes: 1024 ** 3,
  diskFreeBytes: 512,
  diskTotalBytes: null,
  gpus: null,
  components: [{ name: 'Database', status: 'up', latencyMs: 1.2, detail: 'sqlite' }],
  camerasOnline: 1,
  camerasRunning: 1,
  camerasTotal: 2,
  inference: { provider: 'cpu', model: 'yolo11n', mode: 'in-process' },
};

describe('SystemPage', () => {
  let api: { health: jest.Mock; stats: jest.Mock; logs: jest.Mock };

  beforeEach(() => {
    api = {
      health: jest.fn(() => of(health)),
      stats: jest.fn(() => of({ totals: { framesDecoded: 900, framesProcessed: 800 }, cameras: [{ cameraId: 'c1', name: 'North gate', status: 'online', fpsIn: 5, fpsOut: 4.5, framesProcessed: 800, framesDropped: 3 }] })),
      logs: jest.fn(() => of({ items: [], total: 0 })),
    };
    TestBed.configureTestingModule({
      providers: [
        { provide: SystemApi, useValue: api },
        { provide: RecordingsApi, useValue: { liveHlsStats: jest.fn(() => of([])), storage: jest.fn(() => of(null)) } },
        { provide: CameraDirectory, useValue: { ensureLoaded: jest.fn(), nameOf: (id: string) => id } },
      ],
    });
  });

  async function render() {
    const f = TestBed.createComponent(SystemPage);
    await f.whenStable();
    const el = f.nativeElement as HTMLElement;
    return { f, el, q: (id: string) => el.querySelector(`[data-testid="${id}"]`) };
  }

  it('no log entries: says so, and paging is disabled', async () => {
    const { el, q } = await render();
    expect(q('logs-table')?.textContent).toContain('No log entries match.');
    const [newer, older] = [...el.querySelectorAll('button')].filter((b) => /Newer|Older/.test(b.textContent ?? ''));
    expect([newer.disabled, older.disabled]).toEqual([true, true]);
  });

  it('shows health, uptime, memory, components, the CPU-only GPU note and per-camera statistics', async () => {
    const { el, q } = await render();
    expect(q('health-status')?.textContent).toBe('ok');
    expect(q('uptime')?.textContent).toBe('1 d 1 h');
    expect(el.textContent).toContain('150.0 MB');
    expect(el.textContent).toContain('host 3.0 GB / 4.0 GB');
    expect(el.textContent).toContain('512 B');
    expect(el.textContent).toContain('No GPU detected');
    expect(el.textContent).toContain('1.2 ms');
    expect(el.textContent).toMatch(/Frames decoded 900 · processed 800 · dropped —/);
    expect(q('stats-table')?.textContent).toContain('North gate');
    expect(q('system-age')?.textContent).toMatch(/Updated/);
  });

  it.each([
    [59, '0 min 59 s'],
    [3_720, '1 h 2 min'],
  ])('uptime %p s reads %p', async (s, text) => {
    api.health.mockReturnValue(of({ ...health, uptimeS: s, gpus: [{ name: 'T4', utilPct: 50, memoryUsedMb: 100, memoryTotalMb: 200, temperatureC: 60 }] }));
    const { el, q } = await render();
    expect(q('uptime')?.textContent).toBe(text);
    expect(el.textContent).toContain('T4: 50 % · 100 / 200 MiB · 60 °C');
  });

  it('a health error is shown in an alert', async () => {
    api.health.mockReturnValue(throwError(() => new ApiError(503, 'Service unavailable', 'x', null)));
    const { el } = await render();
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('Health: Service unavailable');
  });

  it('filters the logs, pages them and clears the filters', async () => {
    api.logs.mockReturnValue(of({ items: Array.from({ length: 100 }, (_, i) => ({ id: `l${i}`, time: '2026-01-01T10:00:00Z', level: i ? 'info' : 'error', category: 'auth', action: null, message: `entry ${i}`, userId: null })), total: 250 }));
    const { f, el, q } = await render();
    expect(q('logs-table')?.querySelectorAll('tbody tr')).toHaveLength(100);
    expect(q('logs-table')?.querySelector('.text-bg-danger')?.textContent).toBe('error');
    expect(el.textContent).toContain('1–100 of 250');

    const level = el.querySelector('#log-level') as HTMLSelectElement;
    level.value = 'error';
    level.dispatchEvent(new Event('change'));
    const text = el.querySelector('#log-text') as HTMLInputElement;
    text.value = '  login ';
    text.dispatchEvent(new Event('input'));
    el.querySelector('form')?.dispatchEvent(new Event('submit'));
    await f.whenStable();
    expect(api.logs).toHaveBeenLastCalledWith(expect.objectContaining({ level: 'error', search: 'login', offset: 0, limit: 100 }));

    const older = [...el.querySelectorAll('button')].find((b) => b.textContent === 'Older') as HTMLButtonElement;
    older.click();
    await f.whenStable();
    expect(api.logs).toHaveBeenLastCalledWith(expect.objectContaining({ offset: 100 }));
    expect(el.textContent).toContain('101–200 of 250');

    ([...el.querySelectorAll('button')].find((b) => b.textContent === 'Clear') as HTMLButtonElement).click();
    await f.whenStable();
    expect(api.logs).toHaveBeenLastCalledWith({ level: undefined, category: undefined, from: undefined, to: undefined, search: undefined, limit: 100, offset: 0 });
  });

  it('a rejected log query shows the field messages', async () => {
    api.logs.mockReturnValue(throwError(() => new ApiError(400, 'Bad request', 'x', null, ['from must be a date'])));
    const { el } = await render();
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('from must be a date');
  });
});
