import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, input, signal } from '@angular/core';
import { LiveSocket, type Recording, RecordingsApi, type RecordingTicket, toApiError } from '@crowdsafe/web-data-access';
import { RecordingPlayerComponent } from './recording-player.component';

/**
 * The clip of an alert (automatic WARNING/CRITICAL recording with pre-roll), for embedding in an alert's detail:
 * `<cs-alert-clip [alertId]="alert.id" />`. Shows "recording…" until the clip is ready (follows `recording_status`),
 * then plays it with video.js and offers the download.
 */
@Component({
  selector: 'cs-alert-clip',
  imports: [RecordingPlayerComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div data-testid="alert-clip">
      @if (clip(); as c) {
        @if (c.status === 'completed' && ticket(); as t) {
          <cs-recording-player [src]="t.videoUrl" [poster]="c.hasThumbnail ? t.thumbnailUrl : null" />
          <a class="small" [href]="t.downloadUrl" download data-testid="alert-clip-download">Download MP4 ({{ c.durationS?.toFixed(0) }} s)</a>
        } @else if (c.status === 'failed') {
          <p class="small text-danger mb-0">The clip could not be recorded: {{ c.error }}</p>
        } @else {
          <p class="small text-body-secondary mb-0" role="status">Clip being recorded (pre-roll + post-roll)…</p>
        }
      } @else if (loaded()) {
        <p class="small text-body-secondary mb-0">No clip for this alert.</p>
      }
      @if (error(); as e) {
        <p class="small text-danger mb-0" role="alert">{{ e }}</p>
      }
    </div>
  `,
})
export class AlertClipComponent {
  readonly alertId = input.required<string>();

  private readonly api = inject(RecordingsApi);
  protected readonly clip = signal<Recording | null>(null);
  protected readonly ticket = signal<RecordingTicket | null>(null);
  protected readonly loaded = signal(false);
  protected readonly error = signal<string | null>(null);
  private readonly reload = signal(0);

  constructor() {
    const sub = inject(LiveSocket).recordings$.subscribe((e) => {
      if (e.alert_id === this.alertId()) this.reload.update((n) => n + 1);
    });
    inject(DestroyRef).onDestroy(() => sub.unsubscribe());
    effect((onCleanup) => {
      const alertId = this.alertId();
      this.reload();
      const s = this.api.list({ alertId, limit: 5 }).subscribe({
        next: (p) => {
          this.loaded.set(true);
          const c = p.items.find((r) => r.status === 'completed') ?? p.items[0] ?? null;
          this.clip.set(c);
          if (c?.status === 'completed' && this.ticket() === null) {
            this.api.ticket(c.id).subscribe({ next: (t) => this.ticket.set(t), error: (err: unknown) => this.error.set(toApiError(err).message) });
          }
        },
        error: (err: unknown) => this.error.set(toApiError(err).message),
      });
      onCleanup(() => s.unsubscribe());
    });
  }
}
