import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { SettingsApi, toApiError } from '@crowdsafe/web-data-access';
import { ToastService } from '@crowdsafe/web-ui';
import { concat, last } from 'rxjs';

/** alerts.thresholds as the server stores it. */
interface Thresholds {
  surge: number;
  surgeCritical: number;
  stagnationVelocity: number;
  stagnationDensity: number;
  capacityPercent: number;
  capacityCriticalPercent: number;
  earlyWarningS: number;
}
type Level = 'CAUTION' | 'WARNING' | 'CRITICAL';
type Routing = Record<Level, string[]>;

const FIELDS: { key: keyof Thresholds; label: string; unit: string; step: number }[] = [
  { key: 'earlyWarningS', label: 'Early warning: CRITICAL forecast within', unit: 's (0 = off)', step: 5 },
  { key: 'surge', label: 'Surge (WARNING above)', unit: 'persons/m²/s', step: 0.05 },
  { key: 'surgeCritical', label: 'Surge (CRITICAL above)', unit: 'persons/m²/s', step: 0.05 },
  { key: 'stagnationVelocity', label: 'Stagnation: speed below', unit: 'm/s', step: 0.05 },
  { key: 'stagnationDensity', label: 'Stagnation: with density above', unit: 'persons/m²', step: 0.5 },
  { key: 'capacityPercent', label: 'Capacity (WARNING above)', unit: '% of capacity', step: 5 },
  { key: 'capacityCriticalPercent', label: 'Capacity (CRITICAL above)', unit: '% of capacity', step: 5 },
];
const LEVELS: Level[] = ['CAUTION', 'WARNING', 'CRITICAL'];
const CHANNELS = [
  { id: 'email', label: 'Email' },
  { id: 'sms', label: 'SMS' },
  { id: 'push', label: 'Web push' },
  { id: 'webhook', label: 'Webhook' },
];

/**
 * Settings → Alert policy: the trigger thresholds (alerts.thresholds) and the level × channel routing matrix
 * (alerts.routing). Both are validated by the server and applied to every running camera at once.
 */
@Component({
  selector: 'cs-alert-policy-settings',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (loadError(); as e) { <div class="alert alert-danger" role="alert">{{ e }}</div> }
    @if (thresholds(); as t) {
      <form (submit)="$event.preventDefault(); save()" novalidate data-testid="alert-policy">
        <fieldset [disabled]="readOnly()">
          <h2 class="h6">Triggers</h2>
          <div class="row g-2 mb-3">
            @for (f of fields; track f.key) {
              <div class="col-sm-6">
                <label class="form-label small" [for]="'ap-' + f.key">{{ f.label }} <span class="text-body-secondary">({{ f.unit }})</span></label>
                <input type="number" class="form-control" [id]="'ap-' + f.key" [name]="'ap-' + f.key" min="0" [step]="f.step"
                  [ngModel]="t[f.key]" (ngModelChange)="setThreshold(f.key, $event)" [attr.data-testid]="'ap-' + f.key" />
              </div>
            }
          </div>
          <h2 class="h6">Routing <small class="text-body-secondary">(channels notified per level; the dashboard always shows alerts)</small></h2>
          <table class="table table-sm align-middle mb-3" style="max-width: 32rem">
            <thead><tr><th scope="col">Level</th>@for (c of channels; track c.id) { <th scope="col" class="text-center">{{ c.label }}</th> }</tr></thead>
            <tbody>
              @for (l of levels; track l) {
                <tr>
                  <th scope="row">{{ l }}</th>
                  @for (c of channels; track c.id) {
                    <td class="text-center">
                      <input type="checkbox" class="form-check-input" [name]="'rt-' + l + '-' + c.id" [attr.aria-label]="l + ' via ' + c.label"
                        [checked]="routes(l, c.id)" (change)="toggle(l, c.id)" [attr.data-testid]="'rt-' + l + '-' + c.id" />
                    </td>
                  }
                </tr>
              }
            </tbody>
          </table>
          @if (errors().length) {
            <ul class="small text-danger-emphasis" role="alert">@for (e of errors(); track e) { <li>{{ e }}</li> }</ul>
          }
          @if (!readOnly()) {
            <button class="btn btn-primary" type="submit" [disabled]="saving() || !dirty()" data-testid="save-alert-policy">{{ saving() ? 'Saving…' : 'Save' }}</button>
          }
        </fieldset>
      </form>
    } @else if (!loadError()) {
      <p role="status">Loading…</p>
    }
  `,
})
export class AlertPolicySettingsComponent {
  private readonly api = inject(SettingsApi);
  private readonly toasts = inject(ToastService);
  readonly readOnly = input(false);

  protected readonly fields = FIELDS;
  protected readonly levels = LEVELS;
  protected readonly channels = CHANNELS;
  protected readonly thresholds = signal<Thresholds | null>(null);
  protected readonly routing = signal<Routing>({ CAUTION: ['dashboard'], WARNING: ['dashboard'], CRITICAL: ['dashboard'] });
  protected readonly loadError = signal<string | null>(null);
  protected readonly errors = signal<string[]>([]);
  protected readonly saving = signal(false);
  private readonly saved = signal<{ thresholds: string; routing: string }>({ thresholds: '', routing: '' });
  protected readonly dirty = computed(() => JSON.stringify(this.thresholds()) !== this.saved().thresholds || JSON.stringify(this.routing()) !== this.saved().routing);

  constructor() {
    this.api.category('alerts').subscribe({
      next: (a) => {
        const t = a['thresholds'] as Thresholds;
        const r = a['routing'] as Routing;
        this.thresholds.set({ ...t });
        this.routing.set({ CAUTION: [...r.CAUTION], WARNING: [...r.WARNING], CRITICAL: [...r.CRITICAL] });
        this.saved.set({ thresholds: JSON.stringify(this.thresholds()), routing: JSON.stringify(this.routing()) });
      },
      error: (e: unknown) => this.loadError.set(`Could not load the alert policy: ${toApiError(e).message}`),
    });
  }

  protected setThreshold(k: keyof Thresholds, v: unknown): void {
    this.thresholds.update((t) => (t ? { ...t, [k]: v === '' || v === null ? Number.NaN : Number(v) } : t));
  }

  protected routes(l: Level, c: string): boolean {
    return this.routing()[l].includes(c);
  }

  protected toggle(l: Level, c: string): void {
    this.routing.update((r) => ({ ...r, [l]: r[l].includes(c) ? r[l].filter((x) => x !== c) : [...r[l], c] }));
  }

  protected save(): void {
    const t = this.thresholds();
    if (!t) return;
    this.errors.set([]);
    this.saving.set(true);
    const puts = [];
    if (JSON.stringify(t) !== this.saved().thresholds) puts.push(this.api.put('alerts', 'thresholds', t));
    if (JSON.stringify(this.routing()) !== this.saved().routing) puts.push(this.api.put('alerts', 'routing', this.routing()));
    concat(...puts)
      .pipe(last())
      .subscribe({
        next: () => {
          this.saving.set(false);
          this.saved.set({ thresholds: JSON.stringify(t), routing: JSON.stringify(this.routing()) });
          this.toasts.show('Alert policy saved: applied to every camera');
        },
        error: (e: unknown) => {
          const err = toApiError(e);
          this.saving.set(false);
          this.errors.set(err.details.length ? [...err.details] : [err.message]);
        },
      });
  }
}
