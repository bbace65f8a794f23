import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { type RecordingStorage, RecordingsApi } from '@crowdsafe/web-data-access';
import { formatNumber } from '@crowdsafe/web-ui';
import { CameraDirectory } from '../live/camera-directory.service';

interface Row {
  cameraId: string;
  viewers: number;
  bytesPerS: number;
  transcode: 'running' | 'idle' | 'none';
}

const TRANSCODE_LABEL: Record<Row['transcode'], string> = { running: 'transcoding', idle: 'idle (starts with a viewer)', none: 'stream copy' };

/** System page block: HLS viewers, bandwidth and on-demand transcode state per camera (last 10 s) and the recordings disk, refreshed every 5 s. */
@Component({
  selector: 'cs-live-video-stats',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section aria-labelledby="live-video-h" class="mb-4" data-testid="live-video-stats">
      <h2 id="live-video-h" class="h5">Live video and recordings</h2>
      <table class="table table-sm w-auto">
        <thead><tr><th scope="col">Camera</th><th scope="col">HLS viewers</th><th scope="col">HLS bandwidth</th><th scope="col">HLS transcode</th></tr></thead>
        <tbody>
          @for (r of rows(); track r.cameraId) {
            <tr><td>{{ name(r.cameraId) }}</td><td>{{ r.viewers }}</td><td>{{ fmt((r.bytesPerS * 8) / 1e6, 2) }} Mbit/s</td><td [attr.data-transcode]="r.transcode">{{ label[r.transcode] }}</td></tr>
          } @empty {
            <tr><td colspan="4" class="text-body-secondary">No HLS viewers in the last 10 s.</td></tr>
          }
        </tbody>
      </table>
      @if (storage(); as s) {
        <p class="small mb-0" [class.text-danger]="s.warning">
          Recordings disk {{ fmt(s.usedPercent, 1) }} % used, {{ fmt(s.freeBytes / 1e9, 1) }} GB free (kept free: {{ fmt(s.floorBytes / 1e9, 1) }} GB),
          recording {{ fmt((s.bandwidthBytesPerS * 8) / 1e6, 2) }} Mbit/s.
        </p>
      }
    </section>
  `,
})
export class LiveVideoStatsComponent {
  private readonly api = inject(RecordingsApi);
  private readonly directory = inject(CameraDirectory);
  protected readonly rows = signal<Row[]>([]);
  protected readonly storage = signal<RecordingStorage | null>(null);
  protected readonly fmt = formatNumber;
  protected readonly label = TRANSCODE_LABEL;

  constructor() {
    this.directory.ensureLoaded();
    const load = () => {
      this.api.liveHlsStats().subscribe({ next: (r) => this.rows.set(r.filter((x) => x.viewers > 0 || x.bytesPerS > 0 || x.transcode !== 'none')), error: () => undefined });
      this.api.storage().subscribe({ next: (s) => this.storage.set(s), error: () => undefined });
    };
    load();
    const timer = setInterval(load, 5000);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  protected name(id: string): string {
    return this.directory.byId().get(id)?.name ?? id.slice(0, 8);
  }
}
