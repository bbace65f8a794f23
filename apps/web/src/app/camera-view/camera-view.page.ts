import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, type ElementRef, computed, effect, inject, input, signal, viewChild } from '@angular/core';
import { RouterLink } from '@angular/router';
import { type CameraDetail, CamerasApi, LiveSocket, type LiveFrame, toApiError } from '@crowdsafe/web-data-access';
import {
  type CanvasZone,
  type DotStatus,
  LiveFrameCanvasComponent,
  RiskBadgeComponent,
  StatusDotComponent,
  densityClass,
  formatAge,
  formatNumber,
} from '@crowdsafe/web-ui';
import { STALE_AFTER_MS } from '../dashboard/camera-tile.component';
import { timeToCritical } from '../dashboard/early-warning';
import { CameraDirectory } from '../live/camera-directory.service';
import { LiveHlsPlayerComponent } from '../recordings/live-hls-player.component';
import { RecordButtonsComponent } from '../recordings/record-buttons.component';

type Overlay = 'boxes' | 'ids' | 'heatmap' | 'flow' | 'zones' | 'metrics';
const OVERLAYS: ReadonlyArray<{ key: Overlay; label: string }> = [
  { key: 'boxes', label: 'Boxes' },
  { key: 'ids', label: 'Track IDs' },
  { key: 'heatmap', label: 'Heatmap' },
  { key: 'flow', label: 'Flow vectors' },
  { key: 'zones', label: 'Zones' },
  { key: 'metrics', label: 'Metrics overlay' },
];
const KEY_OVERLAYS = 'cs.cameraView.overlays';
const ZOOM_STEPS = [1, 1.5, 2, 3, 4] as const;

/** Route /cameras/:id/live: large live video with overlay toggles, metrics overlay, pause, snapshot, zoom, full screen. */
@Component({
  selector: 'cs-camera-view-page',
  imports: [LiveFrameCanvasComponent, RiskBadgeComponent, StatusDotComponent, RouterLink, RecordButtonsComponent, LiveHlsPlayerComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './camera-view.page.html',
  styleUrl: './camera-view.page.scss',
})
export class CameraViewPage {
  private readonly live = inject(LiveSocket);
  private readonly camerasApi = inject(CamerasApi);
  private readonly directory = inject(CameraDirectory);
  private readonly doc = inject(DOCUMENT);

  /** Route param `:id`. */
  readonly id = input.required<string>();

  protected readonly overlays = OVERLAYS;
  protected readonly enabled = signal<ReadonlySet<Overlay>>(loadOverlays());
  protected readonly paused = signal(false);
  /** The live HLS player (video.js) shown under the toolbar. */
  protected readonly hls = signal(false);
  protected readonly zoomIndex = signal(0);
  protected readonly zoom = computed(() => ZOOM_STEPS[this.zoomIndex()]);
  protected readonly fullscreen = signal(false);
  protected readonly detail = signal<CameraDetail | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected readonly now = signal(Date.now());
  /** The frame held on screen while paused. */
  private readonly heldFrame = signal<LiveFrame | undefined>(undefined);

  private readonly canvas = viewChild(LiveFrameCanvasComponent);
  private readonly stage = viewChild<ElementRef<HTMLElement>>('stage');

  protected readonly camera = computed(() => this.directory.byId().get(this.id()) ?? null);
  protected readonly name = computed(() => this.detail()?.name ?? this.camera()?.name ?? 'Camera');
  protected readonly metrics = computed(() => this.live.metrics()[this.id()]);
  protected readonly ev = computed(() => this.metrics()?.event ?? null);
  protected readonly earlyWarning = computed(() => timeToCritical(this.ev()?.risk));
  protected readonly liveFrame = computed(() => this.live.frames()[this.id()]);
  protected readonly frame = computed(() => (this.paused() ? this.heldFrame() : this.liveFrame()));
  protected readonly ageMs = computed(() => {
    const m = this.metrics();
    return m ? Math.max(0, this.now() - m.receivedAt) : null;
  });
  protected readonly stale = computed(() => {
    const a = this.ageMs();
    return a === null || a > STALE_AFTER_MS;
  });
  protected readonly ageText = computed(() => {
    const a = this.ageMs();
    return a === null ? 'waiting for data' : this.stale() ? `stale · ${formatAge(a)}` : formatAge(a);
  });
  protected readonly frameStaleText = computed(() => {
    if (this.paused()) return 'Paused';
    const f = this.liveFrame();
    if (!f) return null;
    const age = this.now() - f.receivedAt;
    return age > STALE_AFTER_MS ? `No live video · last frame ${formatAge(age)}` : null;
  });
  protected readonly zones = computed((): CanvasZone[] =>
    this.enabled().has('zones') ? (this.detail()?.zones ?? []).map((z) => ({ name: z.name, polygon: z.polygon as CanvasZone['polygon'] })) : [],
  );
  protected readonly zoneSpace = computed(() => {
    const d = this.detail();
    return d?.resolutionWidth && d.resolutionHeight ? { width: d.resolutionWidth, height: d.resolutionHeight } : null;
  });
  protected readonly hasZones = computed(() => (this.detail()?.zones?.length ?? 0) > 0);
  protected readonly density = computed(() => this.metrics()?.event.analytics?.density ?? null);
  protected readonly densityCls = computed(() => densityClass(this.density()));
  protected readonly status = computed((): DotStatus => {
    const s = this.live.statuses()[this.id()];
    const m = this.metrics();
    if (s && (!m || s.receivedAt >= m.receivedAt)) return s.event.status;
    return m?.event.health.status ?? this.camera()?.status ?? 'unknown';
  });

  constructor() {
    const destroyRef = inject(DestroyRef);
    this.directory.ensureLoaded();

    effect((onCleanup) => {
      const id = this.id();
      const releaseRoom = this.live.subscribe(id);
      onCleanup(releaseRoom);
    });
    // Frames only while playing (pausing also stops the stream).
    effect((onCleanup) => {
      const id = this.id();
      if (this.paused()) return;
      onCleanup(this.live.watchFrames(id));
    });
    effect((onCleanup) => {
      const id = this.id();
      this.detail.set(null);
      this.error.set(null);
      const sub = this.camerasApi.detail(id).subscribe({
        next: (d) => this.detail.set(d),
        error: (err: unknown) => {
          const e = toApiError(err);
          this.error.set(e.isNotFound ? 'This camera does not exist (it may have been deleted).' : e.message);
        },
      });
      onCleanup(() => sub.unsubscribe());
    });

    const clock = setInterval(() => this.now.set(Date.now()), 250);
    const onFs = () => this.fullscreen.set(!!this.doc.fullscreenElement);
    this.doc.addEventListener('fullscreenchange', onFs);
    destroyRef.onDestroy(() => {
      clearInterval(clock);
      this.doc.removeEventListener('fullscreenchange', onFs);
    });
  }

  protected isOn(key: Overlay): boolean {
    return this.enabled().has(key);
  }

  protected toggle(key: Overlay): void {
    const next = new Set(this.enabled());
    if (next.has(key)) next.delete(key);
    else next.add(key);
    this.enabled.set(next);
    try {
      localStorage.setItem(KEY_OVERLAYS, JSON.stringify([...next]));
    } catch {
      /* storage disabled */
    }
  }

  protected togglePause(): void {
    if (!this.paused()) this.heldFrame.set(this.liveFrame());
    this.paused.set(!this.paused());
  }

  protected async snapshot(type: 'image/png' | 'image/jpeg'): Promise<void> {
    const blob = await this.canvas()?.snapshot(type);
    if (!blob) {
      this.notice.set('No picture to save yet.');
      return;
    }
    const url = URL.createObjectURL(blob);
    const a = this.doc.createElement('a');
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    a.href = url;
    a.download = `${this.name().replace(/[^\w.-]+/g, '_')}-${stamp}.${type === 'image/png' ? 'png' : 'jpg'}`;
    this.doc.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    this.notice.set(`Snapshot saved (${a.download}).`);
  }

  protected zoomBy(delta: 1 | -1): void {
    this.zoomIndex.set(Math.min(ZOOM_STEPS.length - 1, Math.max(0, this.zoomIndex() + delta)));
  }

  protected async toggleFullscreen(): Promise<void> {
    try {
      if (this.doc.fullscreenElement) await this.doc.exitFullscreen();
      else await this.stage()?.nativeElement.requestFullscreen();
    } catch {
      this.notice.set('Full screen is not available in this browser.');
    }
  }

  protected readonly fmt = formatNumber;
}

function loadOverlays(): ReadonlySet<Overlay> {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(KEY_OVERLAYS) ?? 'null');
    if (Array.isArray(v)) return new Set(v.filter((x): x is Overlay => OVERLAYS.some((o) => o.key === x)));
  } catch {
    /* ignore */
  }
  return new Set<Overlay>(['boxes', 'metrics']);
}
