import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { type AlertStatus, type AlertView, RISK_LEVELS, type RiskLevel } from '@crowdsafe/contracts';
import { AlertsApi, type AlertsQuery, toApiError } from '@crowdsafe/web-data-access';
import { RiskBadgeComponent } from '@crowdsafe/web-ui';
import type { Subscription } from 'rxjs';
import { CameraDirectory } from '../live/camera-directory.service';

export const PAGE_SIZE = 50;
const STATUSES: AlertStatus[] = ['open', 'acknowledged', 'resolved'];

/**
 * Incident history: alerts newest first, filtered by camera, level and status (query parameters, so a camera's
 * history is a link: /alerts?cameraId=…), 50 at a time; each row opens the alert's detail.
 */
@Component({
  selector: 'cs-alerts-history-page',
  imports: [DatePipe, RouterLink, RiskBadgeComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './alerts-history.page.html',
})
export class AlertsHistoryPage {
  private readonly api = inject(AlertsApi);
  private readonly router = inject(Router);
  protected readonly cameras = inject(CameraDirectory);

  /** Query parameters. */
  readonly cameraId = input<string | undefined>();
  readonly level = input<string | undefined>();
  readonly status = input<string | undefined>();

  protected readonly levels = RISK_LEVELS.filter((l) => l !== 'SAFE');
  protected readonly statuses = STATUSES;
  protected readonly items = signal<AlertView[]>([]);
  protected readonly loading = signal(false);
  protected readonly more = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly query = computed((): AlertsQuery => ({
    cameraId: this.cameraId() || undefined,
    level: (this.levels as string[]).includes(this.level() ?? '') ? (this.level() as RiskLevel) : undefined,
    status: (STATUSES as string[]).includes(this.status() ?? '') ? (this.status() as AlertStatus) : undefined,
  }));
  protected readonly title = computed(() => (this.query().cameraId ? `Incidents · ${this.cameras.nameOf(this.query().cameraId as string)}` : 'Incidents'));
  private sub: Subscription | null = null;

  constructor() {
    this.cameras.ensureLoaded();
    inject(DestroyRef).onDestroy(() => this.sub?.unsubscribe());
    effect(() => {
      const q = this.query();
      untracked(() => this.load(q, 0));
    });
  }

  protected load(q: AlertsQuery, offset: number): void {
    this.sub?.unsubscribe();
    this.loading.set(true);
    this.error.set(null);
    this.sub = this.api.list({ ...q, limit: PAGE_SIZE, offset }).subscribe({
      next: (list) => {
        this.loading.set(false);
        this.items.update((cur) => (offset === 0 ? list : [...cur, ...list]));
        this.more.set(list.length === PAGE_SIZE);
      },
      error: (e: unknown) => {
        this.loading.set(false);
        this.error.set(toApiError(e).message);
      },
    });
  }

  protected loadMore(): void {
    this.load(this.query(), this.items().length);
  }

  protected filter(key: 'cameraId' | 'level' | 'status', ev: Event): void {
    const v = (ev.target as HTMLSelectElement).value || null;
    void this.router.navigate([], { queryParams: { [key]: v }, queryParamsHandling: 'merge' });
  }

  protected duration(a: AlertView): string {
    const end = a.resolvedAt ? Date.parse(a.resolvedAt) : null;
    if (end === null) return 'ongoing';
    const s = Math.max(0, Math.round((end - Date.parse(a.createdAt)) / 1000));
    return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
  }
}
