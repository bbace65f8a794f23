import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import type { RiskLevel } from '@crowdsafe/contracts';
import { PushService } from './push.service';

/** "Push notifications on this device": subscribe / unsubscribe this browser, with the lowest level pushed. */
@Component({
  selector: 'cs-push-card',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card mb-3" data-testid="push-card" [attr.data-state]="push.state()" aria-labelledby="push-heading">
      <div class="card-body">
        <h2 id="push-heading" class="h6">Push notifications on this device</h2>
        @switch (push.state()) {
          @case ('unsupported') { <p class="small mb-0">This browser cannot receive web push (it needs service workers, the Push API and a secure https or localhost page).</p> }
          @case ('server-off') { <p class="small mb-0">Web push is not configured on the server (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT).</p> }
          @case ('denied') { <p class="small mb-0">Notifications are blocked for this site: allow them in the browser’s site settings, then reload.</p> }
          @case ('subscribed') {
            <p class="small mb-2" data-testid="push-subscribed">This browser gets alert notifications ({{ push.minLevel() ?? 'WARNING' }} and above; routing may limit push to higher levels) with the snapshot and View / Acknowledge.</p>
            <button type="button" class="btn btn-sm btn-outline-secondary" data-testid="push-unsubscribe" (click)="push.unsubscribe()">Turn off on this device</button>
          }
          @default {
            <div class="d-flex flex-wrap align-items-center gap-2">
              <label class="small" for="push-min">Alerts from</label>
              <select id="push-min" class="form-select form-select-sm w-auto" [value]="minLevel()" (change)="minLevel.set($any($event.target).value)">
                @for (l of levels; track l) { <option [value]="l" [selected]="l === minLevel()">{{ l }}</option> }
              </select>
              <button type="button" class="btn btn-sm btn-primary" data-testid="push-subscribe" [disabled]="push.state() === 'busy' || push.state() === 'unknown'"
                      (click)="push.subscribe(minLevel())">{{ push.state() === 'busy' ? 'Subscribing…' : 'Turn on for this device' }}</button>
            </div>
          }
        }
        @if (push.error(); as e) { <p class="small text-danger-emphasis mt-2 mb-0" role="alert" data-testid="push-error">{{ e }}</p> }
      </div>
    </section>
  `,
})
export class PushCardComponent {
  protected readonly push = inject(PushService);
  protected readonly levels: RiskLevel[] = ['CAUTION', 'WARNING', 'CRITICAL'];
  protected readonly minLevel = signal<RiskLevel>('WARNING');

  constructor() {
    void this.push.refresh();
  }
}
