import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { formatAge } from './format-age';

/**
 * A large count with its label and the age of the value. When the value is older than `staleAfterMs` (or there is
 * none yet) the tile turns visibly stale: class `stale`, the age text reads "stale", and the number is dimmed and
 * struck through, so an old number is never presented as live.
 */
@Component({
  selector: 'cs-count-tile',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'cs-count-tile', '[class.stale]': 'stale()' },
  template: `
    <div class="label" [id]="labelId()">{{ label() }}</div>
    <div
      class="value"
      [attr.data-testid]="countTestId()"
      aria-live="polite"
      aria-atomic="true"
      [attr.aria-labelledby]="labelId()"
      >{{ value() ?? '–' }}</div
    >
    <div class="age" [class.stale]="stale()" [attr.data-testid]="ageTestId()">{{ ageText() }}</div>
    <span class="visually-hidden" aria-live="polite">{{ stale() ? label() + ': no live data' : '' }}</span>
  `,
  styles: `
    :host { display: block; padding: 1rem 1.25rem; border-radius: 0.75rem; background: var(--bs-tertiary-bg);
      border: 1px solid var(--bs-border-color); }
    .label { font-size: 0.95rem; font-weight: 600; color: var(--bs-secondary-color); text-transform: uppercase;
      letter-spacing: 0.04em; }
    .value { font-size: clamp(3.5rem, 14vw, 6.5rem); font-weight: 700; line-height: 1.05;
      font-variant-numeric: tabular-nums; color: var(--bs-emphasis-color); }
    .age { font-size: 0.95rem; color: var(--bs-secondary-color); font-variant-numeric: tabular-nums; }
    .age.stale { color: #1a1200; background: #ffc107; display: inline-block; padding: 0.1rem 0.5rem;
      border-radius: 0.375rem; font-weight: 700; }
    :host(.stale) { border-color: #ffc107; }
    /* Stale: struck through in the secondary text colour (dimmed, but still AA: no opacity). */
    :host(.stale) .value { color: var(--bs-secondary-color); text-decoration: line-through; text-decoration-thickness: 0.06em; }
  `,
})
export class CountTileComponent {
  private static nextId = 0;

  readonly value = input<number | null>(null);
  readonly label = input('People');
  /** Age of `value` in ms (null: no value yet). */
  readonly ageMs = input<number | null>(null);
  readonly staleAfterMs = input(3000);
  readonly countTestId = input<string | null>(null);
  readonly ageTestId = input<string | null>(null);

  private readonly uid = CountTileComponent.nextId++;
  protected readonly labelId = computed(() => `cs-count-label-${this.uid}`);

  readonly stale = computed(() => {
    const age = this.ageMs();
    return this.value() === null || age === null || age > this.staleAfterMs();
  });

  protected readonly ageText = computed(() => {
    const age = this.ageMs();
    if (age === null || this.value() === null) return 'stale · waiting for data';
    return this.stale() ? `stale · last update ${formatAge(age)}` : formatAge(age);
  });
}
