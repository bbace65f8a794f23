import { ChangeDetectionStrategy, Component, DestroyRef, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { type CameraDetail, CamerasApi, toApiError } from '@crowdsafe/web-data-access';
import { ToastService, ToastsComponent } from '@crowdsafe/web-ui';
import { ArucoDetectComponent } from './aruco-detect.component';
import { CalibrationEditorComponent } from './calibration-editor.component';
import { CalibrationIo, calibrationErrors } from './calibration-io';
import { CalibrationState } from './calibration-state';

/** /cameras/:id/calibration: calibration, ROI, zones and counting lines drawn on a live snapshot. */
@Component({
  selector: 'cs-calibration-page',
  imports: [ArucoDetectComponent, CalibrationEditorComponent, RouterLink, ToastsComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <cs-toasts />
    <nav aria-label="breadcrumb"><ol class="breadcrumb mb-2"><li class="breadcrumb-item"><a routerLink="/cameras">Cameras</a></li><li class="breadcrumb-item active" aria-current="page">Calibration</li></ol></nav>
    <div class="d-flex flex-wrap align-items-center gap-2 mb-3">
      <h1 class="h3 mb-0 me-auto">Calibration &amp; zones{{ camera() ? ': ' + camera()!.name : '' }}</h1>
      <button type="button" class="btn btn-outline-secondary" (click)="refreshSnapshot()" [disabled]="!camera()">New snapshot</button>
      <button type="button" class="btn btn-outline-primary" (click)="compute()" [disabled]="!camera() || busy()" data-testid="compute-area">Compute area</button>
      <button type="button" class="btn btn-primary" (click)="save()" [disabled]="!camera() || busy()" data-testid="save-calibration">{{ busy() ? 'Saving…' : 'Save' }}</button>
    </div>
    @if (loadError(); as err) { <div class="alert alert-danger" role="alert">{{ err }}</div> }
    @if (errors().length) {
      <div class="alert alert-danger" role="alert" data-testid="calibration-errors">
        @for (m of errors(); track $index) { <div>{{ m }}</div> }
      </div>
    }
    @if (warnings().length) {
      <div class="alert alert-warning" role="status">@for (m of warnings(); track $index) { <div>{{ m }}</div> }</div>
    }
    @if (camera(); as c) {
      <cs-aruco-detect [cameraId]="c.id" [state]="state" (accepted)="toasts.show($event + ' ground points from the markers: review them, then Save')" />
      <cs-calibration-editor [state]="state" [imageUrl]="snapshotUrl()" [areaM2]="areaM2()" [zoneAreas]="zoneAreas()" />
    } @else if (!loadError()) {
      <p role="status">Loading…</p>
    }
  `,
})
export class CalibrationPage {
  private readonly api = inject(CamerasApi);
  private readonly io = inject(CalibrationIo);
  protected readonly toasts = inject(ToastService);
  readonly id = input.required<string>();

  protected readonly state = new CalibrationState();
  protected readonly camera = signal<CameraDetail | null>(null);
  protected readonly snapshotUrl = signal<string | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly errors = signal<string[]>([]);
  protected readonly warnings = signal<string[]>([]);
  protected readonly areaM2 = signal<number | null>(null);
  protected readonly zoneAreas = signal<Record<string, number>>({});
  protected readonly busy = signal(false);

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      const u = this.snapshotUrl();
      if (u) URL.revokeObjectURL(u);
    });
  }

  ngOnInit(): void {
    this.api.detail(this.id()).subscribe({
      next: (c) => {
        this.areaM2.set(c.areaM2);
        this.io.snapshot(c.id).subscribe((snap) => {
          this.state.load(c, snap ?? { width: c.resolutionWidth ?? 1280, height: c.resolutionHeight ?? 720 });
          if (snap) this.snapshotUrl.set(snap.url);
          this.camera.set(c);
        });
      },
      error: (e: unknown) => this.loadError.set(toApiError(e).message),
    });
  }

  protected refreshSnapshot(): void {
    const c = this.camera();
    if (!c) return;
    this.io.snapshot(c.id).subscribe((snap) => {
      if (!snap) return this.toasts.show('No frame available from this camera right now', 'warning');
      const old = this.snapshotUrl();
      if (old) URL.revokeObjectURL(old);
      this.snapshotUrl.set(snap.url);
    });
  }

  private check(): boolean {
    const hints = this.state.hints();
    this.errors.set(hints);
    return hints.length === 0;
  }

  protected compute(): void {
    const c = this.camera();
    if (!c || !this.check()) return;
    this.busy.set(true);
    this.io.compute(c.id, this.state).subscribe({
      next: (r) => (this.busy.set(false), this.areaM2.set(r.areaM2), this.zoneAreas.set(r.zoneAreas), this.warnings.set(r.warnings)),
      error: (e: unknown) => (this.busy.set(false), this.errors.set(calibrationErrors(e))),
    });
  }

  protected save(): void {
    const c = this.camera();
    if (!c || !this.check()) return;
    this.busy.set(true);
    this.io.save(c, this.state).subscribe({
      next: ({ camera, result }) => {
        this.busy.set(false);
        this.camera.set(camera);
        this.areaM2.set(result.areaM2 ?? camera.areaM2);
        this.zoneAreas.set(result.zoneAreas);
        this.warnings.set(result.warnings);
        this.toasts.show('Calibration and zones saved');
      },
      error: (e: unknown) => (this.busy.set(false), this.errors.set(calibrationErrors(e))),
    });
  }
}
