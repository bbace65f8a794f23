import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { AlertView } from '@crowdsafe/contracts';
import { AlertClipComponent } from '../recordings/alert-clip.component';

/** The alert's recording clip (automatic WARNING/CRITICAL clip with pre-roll), played and downloadable here. */
@Component({
  selector: 'cs-alert-clip-slot',
  imports: [AlertClipComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="border rounded p-2" data-testid="alert-clip-section" [attr.data-alert-id]="alert().id" aria-labelledby="clip-heading">
      <h2 id="clip-heading" class="h6 mb-1">Recording clip</h2>
      <cs-alert-clip [alertId]="alert().id" />
    </section>
  `,
})
export class AlertClipSlotComponent {
  readonly alert = input.required<AlertView>();
}
