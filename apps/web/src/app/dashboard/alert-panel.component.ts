import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, type ElementRef, computed, effect, inject, signal, untracked, viewChild } from '@angular/core';
import { RouterLink } from '@angular/router';
import { RISK_LEVELS, type RiskLevel } from '@crowdsafe/contracts';
import { AlertsStore, AuthService, levelRank, toApiError } from '@crowdsafe/web-data-access';
import { RiskBadgeComponent } from '@crowdsafe/web-ui';
import { CameraDirectory } from '../live/camera-directory.service';

/** Live alert feed: minimum-severity filter, active-only toggle, acknowledge, auto-scroll to the newest, count badge. */
@Component({
  selector: 'cs-alert-panel',
  imports: [DatePipe, RiskBadgeComponent, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './alert-panel.component.html',
  styles: `
    :host { display: block; }
    .feed { max-height: 22rem; overflow-y: auto; }
    .feed li[data-status='acknowledged'], .feed li[data-status='resolved'] { opacity: 0.75; }
    .btn { min-height: 2.25rem; }
  `,
})
export class AlertPanelComponent {
  protected readonly store = inject(AlertsStore);
  protected readonly auth = inject(AuthService);
  protected readonly cameras = inject(CameraDirectory);
  protected readonly levels = RISK_LEVELS.filter((l) => l !== 'SAFE');

  protected readonly minLevel = signal<RiskLevel>('CAUTION');
  protected readonly activeOnly = signal(true);
  protected readonly autoScroll = signal(true);
  protected readonly busyId = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  private readonly feed = viewChild<ElementRef<HTMLElement>>('feed');

  protected readonly shown = computed(() => {
    const min = levelRank(this.minLevel());
    return this.store
      .alerts()
      .filter((a) => levelRank(a.level) >= min && (!this.activeOnly() || a.status !== 'resolved'))
      .slice(0, 100);
  });

  constructor() {
    // New alert event: scroll the feed to the newest (top) when auto-scroll is on.
    effect(() => {
      this.store.lastEvent();
      if (!untracked(() => this.autoScroll())) return;
      queueMicrotask(() => this.feed()?.nativeElement.scrollTo({ top: 0 }));
    });
  }

  protected setMin(ev: Event): void {
    this.minLevel.set((ev.target as HTMLSelectElement).value as RiskLevel);
  }

  protected acknowledge(id: string): void {
    this.busyId.set(id);
    this.error.set(null);
    this.store.acknowledge(id).subscribe({
      next: () => this.busyId.set(null),
      error: (err: unknown) => {
        this.busyId.set(null);
        this.error.set(toApiError(err).message);
      },
    });
  }
}
