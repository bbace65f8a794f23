import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { AlertView } from '@crowdsafe/contracts';

/**
 * SLOT for the alert's recording clip (the recordings work fills it: a player of the clip around `alert.createdAt`).
 * Until recordings exist it says so; keep the selector, the input and `data-testid="alert-clip"`.
 */
@Component({
  selector: 'cs-alert-clip-slot',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="border rounded p-2" data-testid="alert-clip" [attr.data-alert-id]="alert().id" aria-labelledby="clip-heading">
      <h2 id="clip-heading" class="h6 mb-1">Recording clip</h2>
      <p class="small text-body-secondary mb-0">No recording is available for this alert: recordings are not enabled on this server yet.</p>
    </section>
  `,
})
export class AlertClipSlotComponent {
  readonly alert = input.required<AlertView>();
}
