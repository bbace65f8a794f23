import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { CameraStatus } from '@crowdsafe/contracts';

export type DotStatus = CameraStatus | 'unknown';

const LABELS: Record<DotStatus, string> = {
  online: 'Online',
  connecting: 'Connecting',
  offline: 'Offline',
  error: 'Error',
  unknown: 'Unknown',
};

/** A coloured dot plus a text label (colour is never the only signal). */
@Component({
  selector: 'cs-status-dot',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'cs-status-dot', '[attr.data-status]': 'status()' },
  template: `<span class="dot" [class]="'dot dot-' + status()" aria-hidden="true"></span
    ><span class="label">{{ text() }}</span>`,
  styles: `
    :host { display: inline-flex; align-items: center; gap: 0.4rem; white-space: nowrap; }
    .dot { display: inline-block; width: 0.75rem; height: 0.75rem; border-radius: 50%; flex: none;
      box-shadow: 0 0 0 2px rgba(0, 0, 0, 0.35); }
    .dot-online { background: #2fbf71; }
    .dot-connecting { background: #f0ad4e; animation: cs-pulse 1.2s ease-in-out infinite; }
    .dot-offline { background: #8a9299; }
    .dot-error { background: #ff5c5c; }
    .dot-unknown { background: transparent; border: 2px solid #8a9299; }
    @keyframes cs-pulse { 50% { opacity: 0.35; } }
    @media (prefers-reduced-motion: reduce) { .dot-connecting { animation: none; } }
  `,
})
export class StatusDotComponent {
  readonly status = input<DotStatus>('unknown');
  /** Overrides the default label ("Online", "Offline", ...). */
  readonly label = input<string | null>(null);
  protected readonly text = computed(() => this.label() ?? LABELS[this.status()]);
}
