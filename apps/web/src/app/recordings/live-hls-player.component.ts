import { ChangeDetectionStrategy, Component, effect, inject, input, signal } from '@angular/core';
import { RecordingsApi, toApiError } from '@crowdsafe/web-data-access';
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
      @if (error(); as e) { <p class="small text-danger mb-0" role="alert">{{ e }}</p> }
    </div>
  `,
})
export class LiveHlsPlayerComponent {
  readonly cameraId = input.required<string>();
  private readonly api = inject(RecordingsApi);
  protected readonly url = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);

  constructor() {
    effect((onCleanup) => {
      const id = this.cameraId();
      this.url.set(null);
      const s = this.api.liveHlsTicket(id).subscribe({ next: (t) => this.url.set(t.url), error: (err: unknown) => this.error.set(toApiError(err).message) });
      onCleanup(() => s.unsubscribe());
    });
  }
}
