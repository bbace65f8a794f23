import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { type Camera, SettingsApi, toApiError } from '@crowdsafe/web-data-access';
import { ToastService } from '@crowdsafe/web-ui';

const TERMS = [
  { key: 'density', label: 'Density' },
  { key: 'surge', label: 'Surge' },
  { key: 'velocity', label: 'Velocity' },
  { key: 'pressure', label: 'Pressure' },
  { key: 'counterFlow', label: 'Counter-flow' },
] as const;
const LEVELS = [
  { key: 'caution', label: 'Caution' },
  { key: 'warning', label: 'Warning' },
  { key: 'critical', label: 'Critical' },
] as const;
const PROFILES = ['base', 'concert', 'religious-gathering', 'stadium-egress', 'transit'];

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** Risk weights / thresholds / hysteresis and per-camera event profiles (PUT /api/settings/risk/thresholds). */
@Component({
  selector: 'cs-risk-settings',
  imports: [FormsModule, DecimalPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (loadError(); as e) { <div class="alert alert-danger" role="alert">{{ e }}</div> }
    @if (settings()) {
      <form (submit)="$event.preventDefault(); save()" novalidate>
        <fieldset [disabled]="readOnly()">
          <h2 class="h6">Weights <small class="text-body-secondary">(must sum to 1)</small></h2>
          <div class="row g-2 mb-1">
            @for (t of terms; track t.key) {
              <div class="col-6 col-md">
                <label class="form-label small" [for]="'w-' + t.key">{{ t.label }}</label>
                <input type="number" class="form-control" min="0" max="1" step="0.05" [id]="'w-' + t.key" [name]="'w-' + t.key"
                  [ngModel]="weights()[t.key]" (ngModelChange)="setWeight(t.key, $event)" [attr.data-testid]="'weight-' + t.key" />
              </div>
            }
          </div>
          <p class="small mb-3" [class.text-danger-emphasis]="!!weightHint()" [class.text-body-secondary]="!weightHint()" aria-live="polite">
            Sum: {{ weightSum() | number: '1.0-3' }}{{ weightHint() ? ' · ' + weightHint() : '' }}
          </p>
          <h2 class="h6">Level thresholds <small class="text-body-secondary">(score 0–100; caution &lt; warning &lt; critical)</small></h2>
          <div class="row g-2 mb-1">
            @for (l of levels; track l.key) {
              <div class="col-4">
                <label class="form-label small" [for]="'t-' + l.key">{{ l.label }}</label>
                <input type="number" class="form-control" min="0" max="100" step="1" [id]="'t-' + l.key" [name]="'t-' + l.key"
                  [ngModel]="thresholds()[l.key]" (ngModelChange)="setThreshold(l.key, $event)" [attr.data-testid]="'threshold-' + l.key" />
              </div>
            }
          </div>
          @if (thresholdHint(); as h) { <p class="small text-danger-emphasis">{{ h }}</p> }
          <h2 class="h6 mt-3">Hysteresis</h2>
          <div class="row g-2 mb-3">
            <div class="col-4"><label class="form-label small" for="h-rise">Rise after (s)</label><input type="number" class="form-control" id="h-rise" name="h-rise" min="0" step="1" [ngModel]="hysteresis()['riseDwellS']" (ngModelChange)="setHyst('riseDwellS', $event)" /></div>
            <div class="col-4"><label class="form-label small" for="h-fall">Fall after (s)</label><input type="number" class="form-control" id="h-fall" name="h-fall" min="0" step="1" [ngModel]="hysteresis()['fallDwellS']" (ngModelChange)="setHyst('fallDwellS', $event)" /></div>
            <div class="col-4"><label class="form-label small" for="h-margin">Margin (points)</label><input type="number" class="form-control" id="h-margin" name="h-margin" min="0" step="1" [ngModel]="hysteresis()['margin']" (ngModelChange)="setHyst('margin', $event)" /></div>
          </div>
          <h2 class="h6">Event profile per camera</h2>
          <div class="row g-2 mb-3">
            @for (c of cameras(); track c.id) {
              <div class="col-sm-6">
                <label class="form-label small" [for]="'p-' + c.id">{{ c.name }}</label>
                <select class="form-select form-select-sm" [id]="'p-' + c.id" [name]="'p-' + c.id" [ngModel]="profileOf(c.id)" (ngModelChange)="setProfile(c.id, $event)">
                  @for (p of profiles; track p) { <option [value]="p">{{ p }}</option> }
                </select>
              </div>
            } @empty { <p class="small text-body-secondary">No cameras.</p> }
          </div>
          @if (errors().length) {
            <div class="alert alert-danger small" role="alert" data-testid="risk-errors">@for (m of errors(); track $index) { <div>{{ m }}</div> }</div>
          }
          @if (!readOnly()) {
            <button class="btn btn-primary" type="submit" [disabled]="saving()" data-testid="save-risk">{{ saving() ? 'Saving…' : 'Save risk settings' }}</button>
            <button class="btn btn-outline-secondary ms-2" type="button" (click)="load()">Revert</button>
          }
        </fieldset>
      </form>
    } @else if (!loadError()) {
      <p role="status">Loading…</p>
    }
  `,
})
export class RiskSettingsComponent {
  private readonly api = inject(SettingsApi);
  private readonly toasts = inject(ToastService);
  readonly readOnly = input(false);
  readonly cameras = input<Camera[]>([]);

  protected readonly terms = TERMS;
  protected readonly levels = LEVELS;
  protected readonly profiles = PROFILES;
  protected readonly settings = signal<Json | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly errors = signal<string[]>([]);
  protected readonly saving = signal(false);

  protected readonly defaults = computed(() => obj(this.settings()?.['defaults']));
  protected readonly weights = computed(() => obj(this.defaults()['weights']) as Record<string, number>);
  protected readonly thresholds = computed(() => obj(this.defaults()['thresholds']) as Record<string, number>);
  protected readonly hysteresis = computed(() => obj(this.defaults()['hysteresis']) as Record<string, number>);
  protected readonly weightSum = computed(() => TERMS.reduce((a, t) => a + (Number(this.weights()[t.key]) || 0), 0));
  protected readonly weightHint = computed(() => {
    if (TERMS.some((t) => { const v = Number(this.weights()[t.key]); return !(v >= 0 && v <= 1); })) return 'each weight must be between 0 and 1';
    return Math.abs(this.weightSum() - 1) > 0.001 ? `weights must sum to 1 (got ${this.weightSum().toFixed(3)})` : null;
  });
  protected readonly thresholdHint = computed(() => {
    const t = this.thresholds();
    const [c, w, k] = [Number(t['caution']), Number(t['warning']), Number(t['critical'])];
    if (![c, w, k].every((v) => v >= 0 && v <= 100)) return 'Thresholds must be between 0 and 100.';
    return c < w && w < k ? null : 'Thresholds must be ordered caution < warning < critical.';
  });

  constructor() {
    this.load();
  }

  protected load(): void {
    this.errors.set([]);
    this.api.riskThresholds().subscribe({
      next: (s) => (this.settings.set(s), this.loadError.set(null)),
      error: (e: unknown) => this.loadError.set(toApiError(e).message),
    });
  }

  private patchDefaults(group: string, key: string, v: unknown): void {
    this.settings.update((s) => {
      const d = obj(s?.['defaults']);
      return { ...s, defaults: { ...d, [group]: { ...obj(d[group]), [key]: v === '' || v === null ? null : Number(v) } } };
    });
  }

  protected setWeight(k: string, v: unknown): void {
    this.patchDefaults('weights', k, v);
  }

  protected setThreshold(k: string, v: unknown): void {
    this.patchDefaults('thresholds', k, v);
  }

  protected setHyst(k: string, v: unknown): void {
    this.patchDefaults('hysteresis', k, v);
  }

  protected profileOf(cameraId: string): string {
    return String(obj(obj(this.settings()?.['cameras'])[cameraId])['profile'] ?? 'base');
  }

  protected setProfile(cameraId: string, p: string): void {
    this.settings.update((s) => {
      const cams = obj(s?.['cameras']);
      return { ...s, cameras: { ...cams, [cameraId]: { ...obj(cams[cameraId]), profile: p } } };
    });
  }

  protected save(): void {
    const s = this.settings();
    if (!s) return;
    // Client-side hints first; the server re-validates and its messages are shown the same way.
    const hints = [this.weightHint(), this.thresholdHint()].filter((h): h is string => !!h);
    this.errors.set(hints);
    if (hints.length) return;
    this.saving.set(true);
    this.api.putRiskThresholds(s).subscribe({
      next: (saved) => (this.saving.set(false), this.settings.set(saved), this.toasts.show('Risk settings saved and applied')),
      error: (e: unknown) => {
        const err = toApiError(e);
        this.saving.set(false);
        this.errors.set(err.details.length ? [...err.details] : [err.message]);
      },
    });
  }
}
