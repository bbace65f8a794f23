import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ActivatedRoute } from '@angular/router';
import type { AlertView } from '@crowdsafe/contracts';
import { AlertsApi, LiveSocket, type Recording, type RecordingStorage, RecordingsApi, type RecordingTicket, toApiError } from '@crowdsafe/web-data-access';
import { formatNumber } from '@crowdsafe/web-ui';
import { injectAccess } from '../cameras/access';
import { CameraDirectory } from '../live/camera-directory.service';
import { RecordingPlayerComponent, type TimelineMarker } from './recording-player.component';

const PAGE = 24;
type Trigger = '' | 'manual' | 'alert' | 'continuous';

/**
 * Route /recordings: every clip (on-demand, alert, continuous), newest first, filtered by camera, trigger and time,
 * with thumbnails; the selected one plays in video.js with the camera's alerts as timeline markers, and downloads as
 * MP4. Operators protect clips from retention; admins delete. The disk warning (`recording_storage`) shows on top.
 */
@Component({
  selector: 'cs-recordings-page',
  imports: [FormsModule, DatePipe, RecordingPlayerComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="d-flex flex-wrap align-items-center gap-2 mb-2">
      <h1 class="h4 mb-0 me-auto">Recordings</h1>
      @if (storage(); as s) {
        <span class="small" [class.text-danger]="s.warning" [class.text-body-secondary]="!s.warning" data-testid="recordings-storage">
          Disk {{ fmt(s.usedPercent, 1) }} % used · recordings {{ mb(s.recordingsBytes) }} MB
          @if (s.warning) { · <strong>disk almost full: oldest unprotected clips are deleted first</strong> }
        </span>
      }
    </div>
    <form class="row g-2 align-items-end mb-3" (ngSubmit)="refresh()" data-testid="recordings-filters">
      <div class="col-sm-3">
        <label class="form-label small mb-0" for="rf-cam">Camera</label>
        <select id="rf-cam" class="form-select form-select-sm" name="camera" [ngModel]="camera()" (ngModelChange)="camera.set($event); refresh()">
          <option value="">All cameras</option>
          @for (c of cameras(); track c.id) { <option [value]="c.id">{{ c.name }}</option> }
        </select>
      </div>
      <div class="col-sm-2">
        <label class="form-label small mb-0" for="rf-trigger">Trigger</label>
        <select id="rf-trigger" class="form-select form-select-sm" name="trigger" [ngModel]="trigger()" (ngModelChange)="trigger.set($event); refresh()">
          <option value="">All</option><option value="manual">On demand</option><option value="alert">Alert</option><option value="continuous">Continuous</option>
        </select>
      </div>
      <div class="col-sm-3">
        <label class="form-label small mb-0" for="rf-from">From</label>
        <input id="rf-from" type="datetime-local" class="form-control form-control-sm" name="from" [ngModel]="from()" (ngModelChange)="from.set($event)" />
      </div>
      <div class="col-sm-3">
        <label class="form-label small mb-0" for="rf-to">To</label>
        <input id="rf-to" type="datetime-local" class="form-control form-control-sm" name="to" [ngModel]="to()" (ngModelChange)="to.set($event)" />
      </div>
      <div class="col-sm-1"><button type="submit" class="btn btn-sm btn-primary w-100">Filter</button></div>
    </form>
    @if (error(); as e) { <div class="alert alert-danger py-2" role="alert">{{ e }}</div> }

    @if (selected(); as r) {
      <section class="card mb-3" data-testid="recording-detail">
        <div class="card-body">
          <div class="d-flex flex-wrap gap-2 align-items-center mb-2">
            <h2 class="h6 mb-0 me-auto">{{ cameraName(r.cameraId) }} · {{ r.startTime | date: 'medium' }} · {{ r.durationS?.toFixed(1) }} s · {{ triggerLabel(r.trigger) }}</h2>
            @if (ticket(); as t) { <a class="btn btn-sm btn-outline-primary" [href]="t.downloadUrl" download data-testid="recording-download">Download MP4</a> }
            @if (canOperate()) {
              <button type="button" class="btn btn-sm btn-outline-secondary" (click)="protect(r)" data-testid="recording-protect">{{ r.isProtected ? 'Unprotect' : 'Protect' }}</button>
            }
            @if (isAdmin()) { <button type="button" class="btn btn-sm btn-outline-danger" (click)="remove(r)" data-testid="recording-delete">Delete</button> }
            <button type="button" class="btn btn-sm btn-outline-secondary" (click)="selectedId.set(null)">Close</button>
          </div>
          @if (ticket(); as t) {
            <cs-recording-player [src]="t.videoUrl" [poster]="r.hasThumbnail ? t.thumbnailUrl : null" [markers]="markers()" [autoplay]="true" />
          }
          <p class="small text-body-secondary mb-0 mt-1">
            Peak count {{ r.peakCount ?? '–' }} · peak density {{ r.peakDensity === null ? '–' : fmt(r.peakDensity) + ' p/m²' }} · peak risk {{ r.peakRiskScore === null ? '–' : fmt(r.peakRiskScore, 0) }}
            @if (r.isProtected) { · protected from retention }
          </p>
        </div>
      </section>
    }

    <div class="row row-cols-2 row-cols-md-3 row-cols-xl-4 g-2" data-testid="recordings-list">
      @for (r of items(); track r.id) {
        <div class="col">
          <button type="button" class="card h-100 w-100 text-start p-0 border" [class.border-primary]="r.id === selectedId()" [disabled]="r.status !== 'completed'"
                  (click)="select(r.id)" [attr.data-testid]="'recording-' + r.id" data-role="recording-card">
            @if (r.hasThumbnail && thumbs()[r.id]; as src) {
              <img class="card-img-top" [src]="src" alt="Thumbnail" />
            } @else {
              <div class="card-img-top bg-body-secondary d-flex align-items-center justify-content-center" style="aspect-ratio: 16/9">
                <span class="small text-body-secondary">{{ r.status }}</span>
              </div>
            }
            <span class="card-body p-2 d-block small">
              <strong class="d-block text-truncate">{{ cameraName(r.cameraId) }}</strong>
              {{ r.startTime | date: 'short' }} · {{ r.durationS === null ? r.status : r.durationS.toFixed(0) + ' s' }}
              <span class="badge ms-1" [class.text-bg-warning]="r.trigger === 'alert'" [class.text-bg-secondary]="r.trigger !== 'alert'">{{ triggerLabel(r.trigger) }}</span>
              @if (r.isProtected) { <span class="badge text-bg-info ms-1">protected</span> }
              @if (r.status === 'failed') { <span class="d-block text-danger">{{ r.error }}</span> }
            </span>
          </button>
        </div>
      } @empty {
        <p class="text-body-secondary">No recordings yet. Record from a camera's view, or wait for a WARNING/CRITICAL alert.</p>
      }
    </div>
    @if (total() > items().length) {
      <button type="button" class="btn btn-sm btn-outline-secondary mt-2" (click)="more()">More ({{ items().length }} of {{ total() }})</button>
    }
  `,
})
export class RecordingsPage {
  private readonly api = inject(RecordingsApi);
  private readonly alertsApi = inject(AlertsApi);
  private readonly directory = inject(CameraDirectory);
  private readonly access = injectAccess();
  protected readonly canOperate = this.access.canOperate;
  protected readonly isAdmin = this.access.isAdmin;

  protected readonly camera = signal('');
  protected readonly trigger = signal<Trigger>('');
  protected readonly from = signal('');
  protected readonly to = signal('');
  protected readonly items = signal<Recording[]>([]);
  protected readonly total = signal(0);
  protected readonly error = signal<string | null>(null);
  protected readonly thumbs = signal<Record<string, string>>({});
  protected readonly selectedId = signal<string | null>(null);
  protected readonly ticket = signal<RecordingTicket | null>(null);
  protected readonly alerts = signal<AlertView[]>([]);
  protected readonly storage = signal<RecordingStorage | null>(null);
  protected readonly cameras = computed(() => this.directory.cameras() ?? []);
  protected readonly selected = computed(() => this.items().find((r) => r.id === this.selectedId()) ?? null);
  protected readonly markers = computed((): TimelineMarker[] => {
    const r = this.selected();
    if (!r) return [];
    const start = Date.parse(r.startTime);
    return this.alerts()
      .map((a) => ({ atS: (Date.parse(a.createdAt) - start) / 1000, label: `${a.level}: ${a.message}`, level: a.level }))
      .filter((m) => m.atS >= 0 && m.atS <= (r.durationS ?? 0));
  });

  constructor() {
    this.directory.ensureLoaded();
    const play = inject(ActivatedRoute).snapshot.queryParamMap.get('play');
    this.refresh(play);
    this.api.storage().subscribe({ next: (s) => this.storage.set(s), error: () => undefined });
    const live = inject(LiveSocket);
    const subs = [
      live.recordings$.subscribe((e) => {
        if (e.status === 'completed' || e.status === 'deleted' || e.status === 'recording' || e.status === 'failed') this.refresh();
      }),
      live.recordingStorage$.subscribe((s) => this.storage.set({ ...(this.storage() ?? { floorBytes: 0, bandwidthBytesPerS: 0 }), ...s })),
    ];
    inject(DestroyRef).onDestroy(() => subs.forEach((s) => s.unsubscribe()));
    // Ticket (media URLs) and the camera's alerts during the clip for the selected recording.
    effect((onCleanup) => {
      const r = this.selected();
      this.ticket.set(null);
      this.alerts.set([]);
      if (!r || r.status !== 'completed') return;
      const a = this.api.ticket(r.id).subscribe({ next: (t) => this.ticket.set(t), error: (err: unknown) => this.error.set(toApiError(err).message) });
      const b = this.alertsApi.list({ cameraId: r.cameraId, from: r.startTime, to: r.endTime ?? undefined, limit: 200 }).subscribe({ next: (x) => this.alerts.set(x), error: () => undefined });
      onCleanup(() => {
        a.unsubscribe();
        b.unsubscribe();
      });
    });
  }

  refresh(select?: string | null): void {
    this.load(0, select ?? null);
  }

  protected more(): void {
    this.load(this.items().length, null);
  }

  protected select(id: string): void {
    this.selectedId.set(id);
  }

  protected protect(r: Recording): void {
    this.api.protect(r.id, !r.isProtected).subscribe({
      next: (u) => this.items.set(this.items().map((x) => (x.id === u.id ? u : x))),
      error: (err: unknown) => this.error.set(toApiError(err).message),
    });
  }

  protected remove(r: Recording): void {
    if (!confirm('Delete this recording? This cannot be undone.')) return;
    this.api.remove(r.id).subscribe({
      next: () => {
        this.selectedId.set(null);
        this.refresh();
      },
      error: (err: unknown) => this.error.set(toApiError(err).message),
    });
  }

  protected cameraName(id: string): string {
    return this.directory.byId().get(id)?.name ?? id.slice(0, 8);
  }

  protected triggerLabel(t: string): string {
    return t === 'manual' ? 'on demand' : t;
  }

  protected mb(bytes: number): string {
    return formatNumber(bytes / 1_048_576, 1);
  }

  protected readonly fmt = formatNumber;

  private load(offset: number, select: string | null): void {
    const from = this.from() ? new Date(this.from()) : undefined;
    const to = this.to() ? new Date(this.to()) : undefined;
    this.api.list({ cameraId: this.camera(), trigger: this.trigger() || undefined, from, to, limit: PAGE, offset }).subscribe({
      next: (p) => {
        this.error.set(null);
        const items = offset ? [...this.items(), ...p.items] : p.items;
        this.items.set(items);
        this.total.set(p.total);
        if (select) this.selectedId.set(select);
        this.loadThumbs(items);
      },
      error: (err: unknown) => this.error.set(toApiError(err).message),
    });
  }

  /** Thumbnail URLs need a ticket each (an <img> cannot send the token); fetched once per recording. */
  private loadThumbs(items: Recording[]): void {
    for (const r of items) {
      if (!r.hasThumbnail || this.thumbs()[r.id]) continue;
      this.api.ticket(r.id).subscribe({ next: (t) => this.thumbs.set({ ...this.thumbs(), [r.id]: t.thumbnailUrl }), error: () => undefined });
    }
  }
}
