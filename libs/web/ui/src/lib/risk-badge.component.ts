import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { RiskLevel } from '@crowdsafe/contracts';

/** Bootstrap colour classes per risk level (text and background chosen for WCAG AA contrast). */
export const RISK_CLASSES: Readonly<Record<RiskLevel, string>> = {
  SAFE: 'text-bg-success',
  CAUTION: 'text-bg-warning',
  WARNING: 'cs-bg-orange',
  CRITICAL: 'text-bg-danger',
};

/** A risk level as a coloured badge with its name (colour is never the only signal); "No risk data" when null. */
@Component({
  selector: 'cs-risk-badge',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[attr.data-level]': 'level() ?? "none"' },
  template: `<span class="badge" [class]="'badge ' + cls()"
    >{{ prefix() }}{{ level() ?? 'No risk data' }}@if (score() !== null && level()) {
      · {{ score() }}
    }</span
  >`,
  styles: `
    :host { display: inline-block; }
    .badge { font-size: 0.8rem; letter-spacing: 0.03em; }
    .cs-bg-orange { background: #fd7e14; color: #1a0d00; }
    .cs-bg-none { background: var(--bs-secondary-bg); color: var(--bs-body-color); border: 1px solid var(--bs-border-color); }
  `,
})
export class RiskBadgeComponent {
  readonly level = input<RiskLevel | null | undefined>(null);
  /** Optional 0-100 score shown after the level. */
  readonly score = input<number | null>(null);
  readonly prefix = input('');
  protected readonly cls = computed(() => {
    const l = this.level();
    return l ? RISK_CLASSES[l] : 'cs-bg-none';
  });
}

/** Fruin-inspired density bands (people/m²): colour class for a density value. */
export function densityClass(density: number | null | undefined): string {
  if (density === null || density === undefined || !Number.isFinite(density)) return 'text-body-secondary';
  if (density < 2) return 'cs-density-low';
  if (density < 4) return 'cs-density-mid';
  if (density < 5) return 'cs-density-high';
  return 'cs-density-critical';
}
