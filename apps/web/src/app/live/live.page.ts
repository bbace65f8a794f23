import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Router } from '@angular/router';
import type { CameraHealth } from '@crowdsafe/contracts';
import { type Camera, CamerasApi, LiveSocket, toApiError } from '@crowdsafe/web-data-access';
import {
  CountTileComponent,
  type DotStatus,
  LiveFrameCanvasComponent,
  StatusDotComponent,
  formatAge,
} from '@crowdsafe/web-ui';
import { retry, timer } from 'rxjs';

/** An update older than this is never shown as live. */
const STALE_AFTER_MS = 3000;
/** How often ages are recomputed. */
const CLOCK_TICK_MS = 100;

@Component({
  selector: 'cs-live-page',
  imports: [CountTileComponent, LiveFrameCanvasComponent, StatusDotComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './live.page.html',
  styleUrl: './live.page.scss',
})
export class LivePage {
  private readonly camerasApi = inject(CamerasApi);
  private readonly router = inject(Router);
  protected readonly live = inject(LiveSocket);
  protected readonly staleAfterMs = STALE_AFTER_MS;

  /** `?camera=<id>` (router component input binding). */
  readonly camera = input<string | undefined>();

  protected readonly cameras = signal<Camera[] | null>(null);
  protected readonly loadError = signal<string | null>(null);
  private readonly now = signal(Date.now());

  protected readonly selected = computed((): Camera | null => {
    const list = this.cameras();
    if (!list?.length) return null;
    const wanted = this.camera();
    return list.find((c) => c.id === wanted) ?? list.find((c) => c.isActive) ?? list[0];
  });
  private readonly selectedId = computed(() => this.selected()?.id ?? null);

  protected readonly metrics = computed(() => {
    const id = this.selectedId();
    return id ? this.live.metrics()[id] : undefined;
  });
  protected readonly frame = computed(() => {
    const id = this.selectedId();
    return id ? this.live.frames()[id] : undefined;
  });

  protected readonly count = computed(() => this.metrics()?.event.count ?? null);
  protected readonly ageMs = computed(() => {
    const m = this.metrics();
    return m ? Math.max(0, this.now() - m.receivedAt) : null;
  });

  protected readonly metricsStale = computed(() => {
    const age = this.ageMs();
    return age === null || age > STALE_AFTER_MS;
  });

  /** Age of the frame on screen; text shown over the video when it is older than the stale limit. */
  protected readonly frameStaleText = computed((): string | null => {
    const f = this.frame();
    if (!f) return null;
    const age = this.now() - f.receivedAt;
    return age > STALE_AFTER_MS ? `No live video · last frame ${formatAge(age)}` : null;
  });

  /**
   * The most recent of: camera_status event, health carried by metrics_update, REST status. Unknown while the live
   * connection is lost: a status event may have been missed.
   */
  protected readonly status = computed((): { status: DotStatus; label: string | null; reason: string | null } => {
    const camera = this.selected();
    if (!camera) return { status: 'unknown', label: null, reason: null };
    const state = this.live.state();
    if (state === 'reconnecting' || state === 'disconnected') {
      return { status: 'unknown', label: 'Unknown (no live connection)', reason: null };
    }
    const ev = this.live.statuses()[camera.id];
    const m = this.metrics();
    if (ev && (!m || ev.receivedAt >= m.receivedAt)) {
      return { status: ev.event.status, label: null, reason: ev.event.reason ?? null };
    }
    if (m) return { status: m.event.health.status, label: null, reason: m.event.health.reason ?? null };
    return { status: camera.status, label: null, reason: camera.statusReason };
  });

  protected readonly health = computed((): CameraHealth | null => this.metrics()?.event.health ?? this.selected()?.health ?? null);

  protected readonly frameLabel = computed(() => {
    const f = this.frame();
    const name = this.selected()?.name ?? 'camera';
    return f ? `Live video from ${name}: ${f.count} ${f.count === 1 ? 'person' : 'people'} detected` : `Live video from ${name}`;
  });

  constructor() {
    const destroyRef = inject(DestroyRef);

    this.camerasApi
      .list()
      .pipe(
        retry({
          delay: (err: unknown, attempt: number) => {
            this.loadError.set(toApiError(err).message);
            return timer(Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5)));
          },
        }),
        takeUntilDestroyed(destroyRef),
      )
      .subscribe((list) => {
        this.loadError.set(null);
        this.cameras.set(list);
      });

    // Metrics + status for every camera (the selector shows them); diffed so a list refresh does not churn rooms.
    const rooms = new Map<string, () => void>();
    effect(() => {
      const ids = new Set((this.cameras() ?? []).map((c) => c.id));
      for (const id of ids) if (!rooms.has(id)) rooms.set(id, this.live.subscribe(id));
      for (const [id, release] of rooms) {
        if (!ids.has(id)) {
          release();
          rooms.delete(id);
        }
      }
    });
    destroyRef.onDestroy(() => rooms.forEach((release) => release()));

    // Frames only for the camera on screen.
    effect((onCleanup) => {
      const id = this.selectedId();
      if (id) onCleanup(this.live.watchFrames(id));
    });

    const clock = setInterval(() => this.now.set(Date.now()), CLOCK_TICK_MS);
    destroyRef.onDestroy(() => clearInterval(clock));
  }

  /** A camera's live count, or null when it is missing or stale (never show an old number as live). */
  protected cameraCount(id: string): number | null {
    const m = this.live.metrics()[id];
    return m && this.now() - m.receivedAt <= STALE_AFTER_MS ? m.event.count : null;
  }

  protected select(id: string): void {
    this.router.navigate([], { queryParams: { camera: id }, queryParamsHandling: 'merge', replaceUrl: true });
  }

  protected round(n: number, digits = 1): string {
    return n.toFixed(digits);
  }
}
