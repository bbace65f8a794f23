import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { ApiError, AuthService, LiveSocket, type Recording, RecordingsApi } from '@crowdsafe/web-data-access';
import { Subject, of, throwError } from 'rxjs';
import { RecordButtonsComponent } from './record-buttons.component';

jest.setTimeout(60_000);

const rec = (over: Partial<Recording>): Recording =>
  ({ id: 'r1', cameraId: 'c1', trigger: 'manual', status: 'recording', startTime: new Date().toISOString(), endTime: null, durationS: null, isProtected: false, hasThumbnail: false, peakCount: null, peakDensity: null, peakRiskScore: null, error: null, ...over }) as Recording;

describe('RecordButtonsComponent', () => {
  let api: Record<'list' | 'start' | 'stop', jest.Mock>;
  let recordings$: Subject<Record<string, unknown>>;
  let canOperate: ReturnType<typeof signal<boolean>>;

  beforeEach(() => {
    recordings$ = new Subject();
    canOperate = signal(true);
    api = {
      // Synchronous responses (of): the load effect must not depend on what its own response sets.
      list: jest.fn(() => of({ items: [], total: 0 })),
      start: jest.fn(() => of({ recording_id: 'r9', status: 'recording' })),
      stop: jest.fn(() => of({ recording_id: 'r9', status: 'processing' })),
    };
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: RecordingsApi, useValue: api },
        { provide: AuthService, useValue: { status: signal('authenticated'), canOperate, isAdmin: signal(false) } },
        { provide: LiveSocket, useValue: { recordings$ } },
      ],
    });
  });

  async function render(cameraId = 'c1') {
    const f = TestBed.createComponent(RecordButtonsComponent);
    f.componentRef.setInput('cameraId', cameraId);
    await f.whenStable();
    const el = f.nativeElement as HTMLElement;
    return { f, el, q: (id: string) => el.querySelector(`[data-testid="${id}"]`) as HTMLElement | null };
  }

  it('nothing recording: the length buttons, one list request', async () => {
    const { q } = await render();
    expect(q('recording-indicator')).toBeNull();
    expect(q('record-30')).not.toBeNull();
    expect(q('record-start')).not.toBeNull();
    expect(api.list).toHaveBeenCalledTimes(1);
  });

  it('a recording already running (page reload) shows the indicator, loaded once (no effect loop)', async () => {
    api.list.mockReturnValue(of({ items: [rec({ id: 'r1' })], total: 1 }));
    const { f, q } = await render();
    f.detectChanges();
    expect(q('recording-indicator')?.textContent).toContain('REC');
    expect(q('record-stop')).not.toBeNull();
    expect(api.list).toHaveBeenCalledTimes(1);
  });

  it('viewers see no buttons', async () => {
    canOperate.set(false);
    const { q } = await render();
    expect(q('record-30')).toBeNull();
    expect(q('record-start')).toBeNull();
  });

  it('start -> running, stop -> saving, completed event -> clip link', async () => {
    const { f, q } = await render();
    q('record-30')!.click();
    f.detectChanges();
    expect(api.start).toHaveBeenCalledWith('c1', 30);
    expect(q('recording-indicator')).not.toBeNull();
    q('record-stop')!.click();
    f.detectChanges();
    expect(api.stop).toHaveBeenCalledWith('r9');
    expect(f.nativeElement.textContent).toContain('saving clip');
    recordings$.next({ camera_id: 'c1', recording_id: 'r9', trigger: 'manual', status: 'completed', at: new Date().toISOString() });
    f.detectChanges();
    expect(q('recording-indicator')).toBeNull();
    expect(q('record-done')).not.toBeNull();
  });

  it('events of other cameras or alert clips are ignored', async () => {
    const { f, q } = await render();
    recordings$.next({ camera_id: 'c2', recording_id: 'x', trigger: 'manual', status: 'recording', at: new Date().toISOString() });
    recordings$.next({ camera_id: 'c1', recording_id: 'y', trigger: 'alert', status: 'recording', at: new Date().toISOString() });
    f.detectChanges();
    expect(q('recording-indicator')).toBeNull();
  });

  it('a refused start shows the server message', async () => {
    api.start.mockReturnValue(throwError(() => new ApiError(409, 'Camera c1 is not running', 'Conflict', null)));
    const { f, q } = await render();
    q('record-start')!.click();
    f.detectChanges();
    expect(q('record-error')?.textContent).toContain('not running');
    expect(q('recording-indicator')).toBeNull();
  });
});
