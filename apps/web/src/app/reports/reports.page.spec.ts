import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ApiError, AuthService, CamerasApi, LiveSocket, type Report, ReportsApi } from '@crowdsafe/web-data-access';
import { Subject, of, throwError } from 'rxjs';
import { ReportsPage } from './reports.page';

// The first render compiles the page's templates: slow on a loaded machine.
jest.setTimeout(60_000);

const report = (over: Partial<Report>): Report => ({ id: 'r1', title: 'Daily report 2026-01-01', type: 'daily', format: 'pdf', status: 'done', progress: 100, error: null, sizeBytes: 2048, createdAt: '2026-01-01T10:00:00Z', ...over }) as Report;

describe('ReportsPage', () => {
  let api: { list: jest.Mock; create: jest.Mock; download: jest.Mock };
  let progress$: Subject<{ id: string; status: string; progress: number; error?: string }>;
  let canOperate: ReturnType<typeof signal<boolean>>;

  beforeEach(() => {
    progress$ = new Subject();
    canOperate = signal(true);
    api = { list: jest.fn(() => of({ items: [], total: 0 })), create: jest.fn(), download: jest.fn() };
    TestBed.configureTestingModule({
      providers: [
        { provide: ReportsApi, useValue: api },
        { provide: AuthService, useValue: { canOperate } },
        { provide: CamerasApi, useValue: { list: jest.fn(() => of([{ id: 'c1', name: 'North gate' }, { id: 'c2', name: 'South gate' }])) } },
        { provide: LiveSocket, useValue: { connect: jest.fn(), reportProgress$: progress$ } },
      ],
    });
  });

  async function render() {
    const f = TestBed.createComponent(ReportsPage);
    await f.whenStable();
    const el = f.nativeElement as HTMLElement;
    return { f, el, q: (id: string) => el.querySelector(`[data-testid="${id}"]`) };
  }
  const set = (el: Element | null, value: string) => {
    const i = el as HTMLInputElement | HTMLSelectElement;
    i.value = value;
    i.dispatchEvent(new Event(i.tagName === 'SELECT' ? 'change' : 'input'));
  };

  it('no reports yet', async () => {
    const { el } = await render();
    expect(el.textContent).toContain('No reports yet.');
    expect(el.textContent).toContain('History (0)');
  });

  it('viewers see the history without the form', async () => {
    canOperate.set(false);
    api.list.mockReturnValue(of({ items: [report({})], total: 1 }));
    const { q } = await render();
    expect(q('report-generate')).toBeNull();
    expect(q('report-row-r1')?.textContent).toContain('Daily report');
  });

  it('lists done, failed and running reports with size and progress', async () => {
    api.list.mockReturnValue(of({ items: [report({}), report({ id: 'r2', status: 'failed', error: 'no data', sizeBytes: null }), report({ id: 'r3', status: 'running', progress: 40, sizeBytes: 3 << 20 })], total: 3 }));
    const { q } = await render();
    expect(q('report-row-r1')?.textContent).toContain('2 kB');
    expect(q('report-download-r1')).not.toBeNull();
    expect(q('report-row-r2')?.textContent).toContain('no data');
    expect(q('report-row-r2')?.textContent).toContain('—');
    expect(q('report-row-r3')?.querySelector('[data-testid="report-progress"]')?.getAttribute('aria-valuenow')).toBe('40');
    expect(q('report-row-r3')?.textContent).toContain('3.0 MB');
  });

  it('queues a daily report for the ticked cameras from the given day and puts it first', async () => {
    api.create.mockReturnValue(of(report({ id: 'new', status: 'queued', progress: 0 })));
    const { f, el, q } = await render();
    set(q('report-format'), 'xlsx');
    set(q('report-from'), '2026-01-05');
    const box = el.querySelector('#rc-c2') as HTMLInputElement;
    box.checked = true;
    box.dispatchEvent(new Event('change'));
    await f.whenStable();
    (q('report-generate') as HTMLButtonElement).click();
    await f.whenStable();
    expect(api.create).toHaveBeenCalledWith({ type: 'daily', format: 'xlsx', cameraIds: ['c2'], from: new Date('2026-01-05').toISOString() });
    expect(q('report-row-new')).not.toBeNull();
  });

  it('an incident report sends the alert id; a rejection shows the server messages', async () => {
    api.create.mockReturnValue(throwError(() => new ApiError(400, 'Bad request', 'x', null, ['alertId must be a UUID'])));
    const { f, q } = await render();
    set(q('report-type'), 'incident');
    await f.whenStable();
    set(q('report-alert'), ' a-1 ');
    (q('report-generate') as HTMLButtonElement).click();
    await f.whenStable();
    expect(api.create).toHaveBeenCalledWith({ type: 'incident', format: 'pdf', alertId: 'a-1' });
    expect(q('report-error')?.textContent).toContain('alertId must be a UUID');
    expect((q('report-generate') as HTMLButtonElement).disabled).toBe(false);
  });

  it('a custom report sends from and to', async () => {
    api.create.mockReturnValue(of(report({ id: 'c' })));
    const { f, q } = await render();
    set(q('report-type'), 'custom');
    await f.whenStable();
    set(q('report-from'), '2026-01-01T08:00');
    set(q('report-to'), '2026-01-01T09:00');
    (q('report-generate') as HTMLButtonElement).click();
    expect(api.create).toHaveBeenCalledWith({ type: 'custom', format: 'pdf', from: new Date('2026-01-01T08:00').toISOString(), to: new Date('2026-01-01T09:00').toISOString() });
  });

  it('socket progress updates the row; completion and unknown reports reload the list', async () => {
    api.list.mockReturnValue(of({ items: [report({ status: 'running', progress: 10 })], total: 1 }));
    const { f, q } = await render();
    progress$.next({ id: 'r1', status: 'running', progress: 70 });
    await f.whenStable();
    expect(q('report-progress')?.getAttribute('aria-valuenow')).toBe('70');
    expect(api.list).toHaveBeenCalledTimes(1);
    progress$.next({ id: 'r1', status: 'done', progress: 100 });
    expect(api.list).toHaveBeenCalledTimes(2);
    progress$.next({ id: 'other', status: 'running', progress: 1 });
    expect(api.list).toHaveBeenCalledTimes(3);
  });

  it('downloads a done report as a file named after its title', async () => {
    api.list.mockReturnValue(of({ items: [report({ title: 'Daily: North/South 2026' })], total: 1 }));
    api.download.mockReturnValue(of(new Blob(['%PDF'])));
    const created = jest.fn(() => 'blob:x');
    Object.assign(URL, { createObjectURL: created, revokeObjectURL: jest.fn() });
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      expect(this.download).toBe('Daily-NorthSouth-2026.pdf');
    });
    const { q } = await render();
    (q('report-download-r1') as HTMLButtonElement).click();
    expect(api.download).toHaveBeenCalledWith(expect.objectContaining({ id: 'r1' }));
    expect(click).toHaveBeenCalled();
    click.mockRestore();
  });
});
