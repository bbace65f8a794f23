import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, signal, untracked } from '@angular/core';
import { Router } from '@angular/router';
import { type CameraDetail, CamerasApi, ConsoleSettingsStore, LiveSocket, type SourceTestResult, toApiError } from '@crowdsafe/web-data-access';
import { LiveFrameCanvasComponent, ModalComponent, StatusDotComponent, formatAge } from '@crowdsafe/web-ui';
import { CalibrationEditorComponent } from './calibration-editor.component';
import { CalibrationIo, calibrationErrors } from './calibration-io';
import { CalibrationState } from './calibration-state';
import { CAMERA_FIELDS, CameraForm } from './camera-form';
import { CameraFieldsComponent } from './camera-fields.component';
import { fieldErrors, sourceKind } from './source-fields';
import { SourceTestResultComponent } from './source-test-result.component';

const STEPS = ['Basic info', 'Connection', 'Calibration', 'Test', 'Confirm'] as const;
const BASIC_FIELDS = new Set(['name', 'location', 'capacity', 'isActive']);
const STALE_MS = 3000;

/**
 * Five-step add-camera wizard. Leaving step 2 creates the camera INACTIVE (a draft, so the server validates the
 * source and the calibration endpoint has an id); step 4 starts it and shows the live view; step 5 keeps it running or
 * stops it. Cancelling deletes the draft.
 */
@Component({
  selector: 'cs-camera-wizard-page',
  imports: [CameraFieldsComponent, SourceTestResultComponent, CalibrationEditorComponent, LiveFrameCanvasComponent, StatusDotComponent, ModalComponent, DecimalPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './camera-wizard.page.html',
  styles: [`
    .steps { counter-reset: step; }
    .steps li { flex: 1 1 0; min-width: 4.5rem; }
    .steps .num { display: inline-flex; width: 1.75rem; height: 1.75rem; border-radius: 50%; align-items: center; justify-content: center; border: 2px solid var(--bs-secondary); }
    .steps .done .num { background: var(--bs-success); border-color: var(--bs-success); color: #fff; }
    .steps .current .num { background: var(--bs-primary); border-color: var(--bs-primary); color: #fff; }
    .live-box { max-width: 48rem; }
    .stale { color: var(--bs-warning-text-emphasis); font-weight: 600; }
  `],
})
export class CameraWizardPage {
  private readonly api = inject(CamerasApi);
  private readonly io = inject(CalibrationIo);
  private readonly router = inject(Router);
  protected readonly live = inject(LiveSocket);

  protected readonly steps = STEPS;
  protected readonly step = signal(0);
  protected readonly form = new CameraForm();
  protected readonly cal = new CalibrationState();
  protected readonly camera = signal<CameraDetail | null>(null);
  protected readonly busy = signal(false);
  protected readonly showHints = signal(false);
  protected readonly serverErrors = signal<Record<string, string[]>>({});
  protected readonly testResult = signal<SourceTestResult | null>(null);
  protected readonly testing = signal(false);
  protected readonly snapshotUrl = signal<string | null>(null);
  protected readonly calErrors = signal<string[]>([]);
  protected readonly areaM2 = signal<number | null>(null);
  protected readonly zoneAreas = signal<Record<string, number>>({});
  protected readonly calibrationSaved = signal(false);
  protected readonly keepRunning = signal(true);
  protected readonly confirmCancel = signal(false);
  protected readonly now = signal(Date.now());

  protected readonly errors = computed(() => {
    const f = this.form;
    const hints = this.showHints() ? (this.step() === 0 ? f.basicHints() : this.step() === 1 ? f.connectionHints() : {}) : {};
    const server = Object.fromEntries(Object.entries(this.serverErrors()).filter(([k]) => k).map(([k, v]) => [k, v.join('; ')]));
    return { ...hints, ...server } as Record<string, string | undefined>;
  });
  protected readonly generalErrors = computed(() => this.serverErrors()[''] ?? []);

  protected readonly metrics = computed(() => {
    const c = this.camera();
    return c ? this.live.metrics()[c.id] : undefined;
  });
  protected readonly frame = computed(() => {
    const c = this.camera();
    return c ? this.live.frames()[c.id] : undefined;
  });
  protected readonly liveStatus = computed(() => {
    const c = this.camera();
    return (c && this.live.statuses()[c.id]?.event.status) || c?.status || 'unknown';
  });
  protected readonly countAge = computed(() => {
    const m = this.metrics();
    return m ? this.now() - m.receivedAt : null;
  });
  protected readonly frameStaleText = computed(() => {
    const f = this.frame();
    return f && this.now() - f.receivedAt > STALE_MS ? `No live video · last frame ${formatAge(this.now() - f.receivedAt)}` : null;
  });
  protected readonly kind = computed(() => sourceKind(this.form.sourceType()));

  private releases: (() => void)[] = [];
  private readonly consoleSettings = inject(ConsoleSettingsStore);

  constructor() {
    // The site's proposals for a new camera (`system.defaultTargetFps`, `system.defaultResolution`), hot: they
    // follow a change in Settings until the operator edits the field.
    let applied = { fps: this.form.targetFps(), width: this.form.width(), height: this.form.height() };
    effect(() => {
      const { defaultTargetFps, defaultResolution } = this.consoleSettings.settings();
      untracked(() => {
        const f = this.form;
        if (f.targetFps() === applied.fps) f.targetFps.set(defaultTargetFps);
        if (f.width() === applied.width) f.width.set(defaultResolution.width);
        if (f.height() === applied.height) f.height.set(defaultResolution.height);
        applied = { fps: defaultTargetFps, width: defaultResolution.width, height: defaultResolution.height };
      });
    });
    const tick = setInterval(() => this.now.set(Date.now()), 500);
    const destroy = inject(DestroyRef);
    destroy.onDestroy(() => {
      clearInterval(tick);
      this.stopWatching();
      const u = this.snapshotUrl();
      if (u?.startsWith('blob:')) URL.revokeObjectURL(u);
    });
    // Watch the live stream only on the test step.
    effect(() => {
      const c = this.camera();
      if (this.step() === 3 && c) {
        if (!this.releases.length) this.releases = [this.live.subscribe(c.id), this.live.watchFrames(c.id)];
      } else this.stopWatching();
    });
  }

  private stopWatching(): void {
    this.releases.forEach((r) => r());
    this.releases = [];
  }

  protected age(ms: number | null): string {
    return ms === null ? 'no data yet' : formatAge(ms);
  }

  protected isStale(ms: number | null): boolean {
    return ms === null || ms > STALE_MS;
  }

  protected back(): void {
    this.serverErrors.set({});
    this.step.update((s) => Math.max(0, s - 1));
  }

  protected next(): void {
    this.serverErrors.set({});
    switch (this.step()) {
      case 0:
        this.showHints.set(true);
        if (Object.keys(this.form.basicHints()).length) return;
        this.showHints.set(false);
        this.step.set(1);
        return;
      case 1:
        this.showHints.set(true);
        if (Object.keys(this.form.connectionHints()).length) return;
        this.saveDraft();
        return;
      case 2:
        this.saveCalibration(() => this.startTest());
        return;
      case 3:
        this.step.set(4);
        return;
    }
  }

  protected test(): void {
    this.showHints.set(true);
    const h = this.form.connectionHints();
    if (h['sourceUrl']) return;
    this.testing.set(true);
    this.testResult.set(null);
    this.api.testSource(this.form.source()).subscribe({
      next: (r) => (this.testing.set(false), this.testResult.set(r)),
      error: (e: unknown) => {
        const err = toApiError(e);
        this.testing.set(false);
        const fe = fieldErrors(err.details.length ? err.details : [err.message], CAMERA_FIELDS);
        this.serverErrors.set(fe);
        this.testResult.set({ ok: false, codec: null, width: null, height: null, fps: null, snapshotUrl: null, error: err.details.join('; ') || err.message });
      },
    });
  }

  /** Creates (or updates) the camera inactive, then loads the calibration step. */
  private saveDraft(): void {
    const input = { ...this.form.input(), isActive: false };
    const existing = this.camera();
    this.busy.set(true);
    (existing ? this.api.update(existing.id, input) : this.api.create(input)).subscribe({
      next: (c) => {
        this.busy.set(false);
        this.showHints.set(false);
        this.camera.set(c);
        this.prepareCalibration(c);
        this.step.set(2);
      },
      error: (e: unknown) => {
        const err = toApiError(e);
        this.busy.set(false);
        const fe = fieldErrors(err.details.length ? err.details : [err.message], CAMERA_FIELDS);
        this.serverErrors.set(fe);
        // A basic-info field was rejected (e.g. duplicate name): show it on step 1.
        if (Object.keys(fe).some((k) => BASIC_FIELDS.has(k))) this.step.set(0);
      },
    });
  }

  private prepareCalibration(c: CameraDetail): void {
    const t = this.testResult();
    const size = t?.width && t.height ? { width: t.width, height: t.height } : { width: c.resolutionWidth ?? 1280, height: c.resolutionHeight ?? 720 };
    if (t?.snapshotUrl) {
      this.snapshotUrl.set(t.snapshotUrl);
      this.loadImageSize(t.snapshotUrl, (s) => {
        if (s && (s.width !== size.width || s.height !== size.height)) this.cal.frame.set(s);
      });
    }
    this.cal.load(c, size);
    this.cal.tool.set('zone');
    this.cal.mode.set('none');
  }

  private loadImageSize(url: string, done: (s: { width: number; height: number } | null) => void): void {
    const img = new Image();
    img.onload = () => done({ width: img.naturalWidth, height: img.naturalHeight });
    img.onerror = () => done(null);
    img.src = url;
  }

  protected computeArea(): void {
    const c = this.camera();
    const hints = this.cal.hints();
    this.calErrors.set(hints);
    if (!c || hints.length) return;
    this.busy.set(true);
    this.io.compute(c.id, this.cal).subscribe({
      next: (r) => (this.busy.set(false), this.areaM2.set(r.areaM2), this.zoneAreas.set(r.zoneAreas)),
      error: (e: unknown) => (this.busy.set(false), this.calErrors.set(calibrationErrors(e))),
    });
  }

  private saveCalibration(then: () => void): void {
    const c = this.camera();
    if (!c) return;
    const nothing = this.cal.mode() === 'none' && !this.cal.zones().length && !this.cal.lines().length && this.cal.roi().length < 3;
    if (nothing) return then();
    const hints = this.cal.hints();
    this.calErrors.set(hints);
    if (hints.length) return;
    this.busy.set(true);
    this.io.save(c, this.cal).subscribe({
      next: ({ camera, result }) => {
        this.busy.set(false);
        this.camera.set(camera);
        this.areaM2.set(result.areaM2 ?? camera.areaM2);
        this.zoneAreas.set(result.zoneAreas);
        this.calibrationSaved.set(true);
        then();
      },
      error: (e: unknown) => (this.busy.set(false), this.calErrors.set(calibrationErrors(e))),
    });
  }

  private startTest(): void {
    const c = this.camera();
    if (!c) return;
    this.busy.set(true);
    this.api.update(c.id, { isActive: true }).subscribe({
      next: (cam) => (this.busy.set(false), this.camera.set(cam), this.step.set(3)),
      error: (e: unknown) => (this.busy.set(false), this.calErrors.set(calibrationErrors(e))),
    });
  }

  protected finish(): void {
    const c = this.camera();
    if (!c) return;
    this.busy.set(true);
    const done = () => void this.router.navigate(['/cameras']);
    if (this.keepRunning() && this.form.isActive()) return done();
    this.api.update(c.id, { isActive: false }).subscribe({ next: done, error: (e: unknown) => (this.busy.set(false), this.calErrors.set(calibrationErrors(e))) });
  }

  protected cancel(): void {
    if (this.camera()) return this.confirmCancel.set(true);
    void this.router.navigate(['/cameras']);
  }

  protected discard(): void {
    const c = this.camera();
    if (!c) return;
    this.api.delete(c.id).subscribe({
      next: () => void this.router.navigate(['/cameras']),
      error: (e: unknown) => (this.confirmCancel.set(false), this.calErrors.set(calibrationErrors(e))),
    });
  }
}
