import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { type CameraDetail, CamerasApi, type SourceTestResult, toApiError } from '@crowdsafe/web-data-access';
import { ModalComponent } from '@crowdsafe/web-ui';
import { CAMERA_FIELDS, CameraForm } from './camera-form';
import { CameraFieldsComponent } from './camera-fields.component';
import { fieldErrors } from './source-fields';
import { SourceTestResultComponent } from './source-test-result.component';

/** Edit a camera: basic info + connection, test the source, open the calibration editor, save (PATCH). */
@Component({
  selector: 'cs-camera-edit-modal',
  imports: [ModalComponent, CameraFieldsComponent, SourceTestResultComponent, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <cs-modal [title]="'Edit ' + (camera()?.name ?? 'camera')" size="lg" testId="camera-edit" (closed)="done.emit(false)">
      @if (loadError(); as err) {
        <div class="alert alert-danger" role="alert">{{ err }}</div>
      } @else if (form(); as f) {
        <form (submit)="$event.preventDefault(); save()" novalidate>
          <div class="row g-4">
            <div class="col-lg-6"><cs-camera-fields [form]="f" section="basic" [errors]="errors()" [editing]="true" /></div>
            <div class="col-lg-6"><cs-camera-fields [form]="f" section="connection" [errors]="errors()" [editing]="true" /></div>
          </div>
        </form>
        @if (testResult(); as r) { <div class="mt-3"><cs-source-test-result [result]="r" /></div> }
        @if (general().length) {
          <div class="alert alert-danger mt-3 mb-0" role="alert">@for (m of general(); track $index) { <div>{{ m }}</div> }</div>
        }
      } @else {
        <p role="status">Loading…</p>
      }
      <div modal-footer class="d-flex flex-wrap gap-2 w-100">
        <button type="button" class="btn btn-outline-secondary" [disabled]="!form() || testing()" (click)="test()">{{ testing() ? 'Testing…' : 'Test connection' }}</button>
        @if (camera(); as c) {
          <a class="btn btn-outline-secondary" [routerLink]="['/cameras', c.id, 'calibration']" (click)="done.emit(false)">Recalibrate / zones</a>
        }
        <span class="flex-grow-1"></span>
        <button type="button" class="btn btn-secondary" (click)="done.emit(false)">Cancel</button>
        <button type="button" class="btn btn-primary" [disabled]="!form() || saving()" (click)="save()" data-testid="edit-save">{{ saving() ? 'Saving…' : 'Save' }}</button>
      </div>
    </cs-modal>
  `,
})
export class CameraEditModalComponent {
  private readonly api = inject(CamerasApi);
  readonly cameraId = input.required<string>();
  /** true when saved. */
  readonly done = output<boolean>();

  protected readonly camera = signal<CameraDetail | null>(null);
  protected readonly form = signal<CameraForm | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly serverErrors = signal<Record<string, string[]>>({});
  protected readonly testResult = signal<SourceTestResult | null>(null);
  protected readonly testing = signal(false);
  protected readonly saving = signal(false);
  private readonly showHints = signal(false);

  protected readonly errors = computed(() => {
    const f = this.form();
    const hints = f && this.showHints() ? { ...f.basicHints(), ...f.connectionHints() } : {};
    const server = Object.fromEntries(Object.entries(this.serverErrors()).filter(([k]) => k).map(([k, v]) => [k, v.join('; ')]));
    return { ...hints, ...server } as Record<string, string | undefined>;
  });
  protected readonly general = computed(() => this.serverErrors()[''] ?? []);

  ngOnInit(): void {
    this.api.detail(this.cameraId()).subscribe({
      next: (c) => (this.camera.set(c), this.form.set(CameraForm.from(c))),
      error: (e: unknown) => this.loadError.set(toApiError(e).message),
    });
  }

  protected test(): void {
    const f = this.form();
    if (!f) return;
    this.testing.set(true);
    this.testResult.set(null);
    const c = this.camera();
    // Unchanged source (redacted URL, stored credentials): test the saved camera; otherwise probe the new source.
    const unchanged = c && f.sourceUrl() === c.sourceUrl && f.sourceType() === c.sourceType && !f.password();
    (unchanged ? this.api.test(c.id) : this.api.testSource(f.source())).subscribe({
      next: (r) => (this.testing.set(false), this.testResult.set(r)),
      error: (e: unknown) => {
        const err = toApiError(e);
        this.testing.set(false);
        this.testResult.set({ ok: false, codec: null, width: null, height: null, fps: null, snapshotUrl: null, error: err.details.join('; ') || err.message });
      },
    });
  }

  protected save(): void {
    const f = this.form();
    const c = this.camera();
    if (!f || !c) return;
    this.showHints.set(true);
    if (Object.keys({ ...f.basicHints(), ...f.connectionHints() }).length) return;
    const patch = f.input();
    // Never send back the redacted URL: only a changed source is updated.
    if (patch.sourceUrl === c.sourceUrl && patch.sourceType === c.sourceType) {
      delete (patch as Partial<typeof patch>).sourceUrl;
    }
    this.saving.set(true);
    this.serverErrors.set({});
    this.api.update(c.id, patch).subscribe({
      next: () => (this.saving.set(false), this.done.emit(true)),
      error: (e: unknown) => {
        const err = toApiError(e);
        this.saving.set(false);
        this.serverErrors.set(fieldErrors(err.details.length ? err.details : [err.message], CAMERA_FIELDS));
      },
    });
  }
}
