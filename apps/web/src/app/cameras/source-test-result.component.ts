import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { SourceTestResult } from '@crowdsafe/web-data-access';

/** Result of "Test connection": codec, resolution, fps and a snapshot, or the error. */
@Component({
  selector: 'cs-source-test-result',
  imports: [DecimalPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let r = result();
    <div class="border rounded p-2" role="status" data-testid="test-result" [attr.data-ok]="r.ok">
      @if (r.ok) {
        <p class="mb-2 text-success-emphasis fw-semibold">✓ Connected</p>
        <dl class="row mb-2 small">
          <dt class="col-5">Codec</dt><dd class="col-7" data-testid="test-codec">{{ r.codec ?? 'unknown' }}</dd>
          <dt class="col-5">Resolution</dt><dd class="col-7" data-testid="test-resolution">{{ r.width && r.height ? r.width + ' × ' + r.height : 'unknown' }}</dd>
          <dt class="col-5">Frame rate</dt><dd class="col-7">{{ r.fps !== null ? (r.fps | number: '1.0-2') + ' fps' : 'unknown' }}</dd>
        </dl>
        @if (r.snapshotUrl) {
          <img class="img-fluid rounded border" [src]="r.snapshotUrl" alt="Snapshot from the camera source" data-testid="test-snapshot" />
        }
      } @else {
        <p class="mb-0 text-danger-emphasis">✗ {{ r.error ?? 'The source could not be opened' }}</p>
      }
    </div>
  `,
})
export class SourceTestResultComponent {
  readonly result = input.required<SourceTestResult>();
}
