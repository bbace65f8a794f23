import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { RecordingsApi, toApiError } from '@crowdsafe/web-data-access';
import { map, switchMap } from 'rxjs';
import { RecordingPlayerComponent } from './recording-player.component';

/**
 * A camera's live HLS stream in video.js (for many viewers; low latency: 1 s segments, kept near the live edge, < 3 s behind; the sub-second socket/MJPEG view stays
 * the operators' default): `<cs-live-hls-player [cameraId]="id" />`.
 */
@Component({
  selector: 'cs-live-hls-player',
  imports: [RecordingPlayerComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div data-testid="live-hls">
      @if (url(); as u) {
        <cs-recording-player [src]="u" type="application/x-mpegURL" [autoplay]="true" [lowLatency]="true" />
      }
      @if (starting()) { <p class="small text-body-secondary mb-0" role="status" data-testid="live-hls-starting">Starting the live stream…</p> }
      @if (error(); as e) { <p class="small text-danger mb-0" role="alert">{{ e }}</p> }
    </div>
  `,
})
export class LiveHlsPlayerComponent {
  readonly cameraId = input.required<string>();
  private readonly api = inject(RecordingsApi);
  protected readonly url = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly starting = signal(false);

  constructor() {
    effect((onCleanup) => {
      const id = this.cameraId();
      this.url.set(null);
      this.error.set(null);
      this.starting.set(true);
      // The transcode may start on this request (LIVE_HLS_MODE transcode/auto): wait for its playlist (503 meanwhile)
      // before video.js loads it, or the player would stop on the first error.
      const s = this.api
        .liveHlsTicket(id)
        .pipe(switchMap((t) => this.api.liveHlsReady(t.url).pipe(map(() => t.url))))
        .subscribe({
          next: (u) => (this.starting.set(false), this.url.set(u)),
          error: (err: unknown) => (this.starting.set(false), this.error.set(toApiError(err).message)),
        });
      onCleanup(() => s.unsubscribe());
    });
  }
}
