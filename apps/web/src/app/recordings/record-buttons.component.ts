import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import { LiveSocket, RecordingsApi, toApiError } from '@crowdsafe/web-data-access';
import { injectAccess } from '../cameras/access';

const LENGTHS: ReadonlyArray<{ label: string; s: number }> = [
  { label: '30 s', s: 30 },
  { label: '1 min', s: 60 },
  { label: '5 min', s: 300 },
];

/**
 * Record buttons for one camera (operators): a 30 s / 1 min / 5 min clip or start/stop, with a running indicator
 * (elapsed time) while the recording runs and a link to the Recordings page when its clip is ready. Follows the
 * `recording_status` event, so a recording started elsewhere shows too.
 */
@Component({
  selector: 'cs-record-buttons',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <span class="d-inline-flex flex-wrap gap-1 align-items-center" role="group" aria-label="Record" data-testid="record-group">
      @if (running(); as r) {
        <span class="badge text-bg-danger d-inline-flex align-items-center gap-1" data-testid="recording-indicator" role="status">
          <span class="rec-dot" aria-hidden="true">●</span> REC {{ elapsed() }}
        </span>
        @if (r.status === 'recording' && canOperate()) {
          <button type="button" class="btn btn-sm btn-danger" data-testid="record-stop" [disabled]="busy()" (click)="stop(r.id)">■ Stop</button>
        } @else {
          <span class="small text-body-secondary">saving clip…</span>
        }
      } @else if (canOperate()) {
        @for (len of lengths; track len.s) {
          <button type="button" class="btn btn-sm btn-outline-danger" [attr.data-testid]="'record-' + len.s" [disabled]="busy()" (click)="start(len.s)">● {{ len.label }}</button>
        }
        <button type="button" class="btn btn-sm btn-outline-danger" data-testid="record-start" [disabled]="busy()" (click)="start()">● Start</button>
      }
      @if (lastDone(); as id) {
        <a class="small" routerLink="/recordings" [queryParams]="{ play: id }" data-testid="record-done">Clip ready ▸</a>
      }
      @if (error(); as e) {
        <span class="small text-danger" role="alert" data-testid="record-error">{{ e }}</span>
      }
    </span>
  `,
  styles: `.rec-dot { animation: cs-blink 1s steps(2, start) infinite; } @keyframes cs-blink { to { visibility: hidden; } }`,
})
export class RecordButtonsComponent {
  readonly cameraId = input.required<string>();

  protected readonly lengths = LENGTHS;
  protected readonly canOperate = injectAccess().canOperate;
  private readonly api = inject(RecordingsApi);
  private readonly live = inject(LiveSocket);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly running = signal<{ id: string; status: string; startedAt: number } | null>(null);
  protected readonly lastDone = signal<string | null>(null);
  private readonly now = signal(Date.now());
  protected readonly elapsed = computed(() => {
    const r = this.running();
    if (!r) return '';
    const s = Math.max(0, Math.floor((this.now() - r.startedAt) / 1000));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  });

  constructor() {
    const destroyRef = inject(DestroyRef);
    const sub = this.live.recordings$.subscribe((e) => {
      if (e.camera_id !== this.cameraId() || e.trigger !== 'manual') return;
      const cur = this.running();
      if (e.status === 'recording' && !cur) this.running.set({ id: e.recording_id, status: 'recording', startedAt: Date.parse(e.at) || Date.now() });
      else this.apply(e.recording_id, e.status);
    });
    // A recording already running on this camera (page reload).
    effect((onCleanup) => {
      const cameraId = this.cameraId();
      // Only the camera id is a dependency: a response delivered synchronously must not make running() one too.
      const s = untracked(() => {
        this.running.set(null);
        return this.api.list({ cameraId, trigger: 'manual', limit: 5 }).subscribe({
          next: (p) => {
            const r = p.items.find((x) => x.status === 'recording' || x.status === 'processing');
            if (r && !this.running()) this.running.set({ id: r.id, status: r.status, startedAt: Date.parse(r.startTime) });
          },
          error: () => undefined,
        });
      });
      onCleanup(() => s.unsubscribe());
    });
    const clock = setInterval(() => this.now.set(Date.now()), 500);
    // A stopped recording's outcome also by polling: the socket event can be missed (a reconnect while the clip is
    // assembled, which waits for the segment covering the stop) and the indicator would stay on "saving clip…".
    const poll = setInterval(() => this.pollOutcome(), 3000);
    destroyRef.onDestroy(() => {
      clearInterval(poll);
      clearInterval(clock);
      sub.unsubscribe();
    });
  }

  /** A status of the recording shown (from the socket or a poll). */
  private apply(id: string, status: string): void {
    const cur = this.running();
    if (!cur || cur.id !== id) return;
    if (status === 'processing' && cur.status !== 'processing') this.running.set({ ...cur, status: 'processing' });
    if (status === 'completed' || status === 'failed' || status === 'deleted') {
      this.running.set(null);
      if (status === 'completed') this.lastDone.set(id);
      if (status === 'failed') this.error.set('The recording failed (see the Recordings page).');
    }
  }

  private polling = false;

  private pollOutcome(): void {
    const cur = this.running();
    if (!cur || cur.status !== 'processing' || this.polling) return;
    this.polling = true;
    this.api.list({ cameraId: this.cameraId(), trigger: 'manual', limit: 5 }).subscribe({
      next: (p) => {
        this.polling = false;
        const r = p.items.find((x) => x.id === cur.id);
        if (r) this.apply(r.id, r.status);
      },
      error: () => (this.polling = false),
    });
  }

  protected start(durationS?: number): void {
    this.busy.set(true);
    this.error.set(null);
    this.lastDone.set(null);
    this.api.start(this.cameraId(), durationS).subscribe({
      next: (r) => {
        this.busy.set(false);
        if (!this.running() || this.running()?.id !== r.recording_id) this.running.set({ id: r.recording_id, status: r.status, startedAt: Date.now() });
      },
      error: (err: unknown) => {
        this.busy.set(false);
        this.error.set(toApiError(err).message);
      },
    });
  }

  protected stop(id: string): void {
    this.busy.set(true);
    this.api.stop(id).subscribe({
      next: () => {
        this.busy.set(false);
        const cur = this.running();
        if (cur?.id === id) this.running.set({ ...cur, status: 'processing' });
      },
      error: (err: unknown) => {
        this.busy.set(false);
        this.error.set(toApiError(err).message);
      },
    });
  }
}
