import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import type { AlertView } from '@crowdsafe/contracts';
import { AlertsApi, AlertsStore, AuthService, type MetricPoint, MetricsApi, toApiError } from '@crowdsafe/web-data-access';
import { RiskBadgeComponent, ToastService, ToastsComponent } from '@crowdsafe/web-ui';
import { CategoryScale, Filler, LineController, LineElement, LinearScale, PointElement, Tooltip } from 'chart.js';
import { provideCharts } from 'ng2-charts';
import type { Subscription } from 'rxjs';
import { TrendChartComponent, type TrendPoint } from '../dashboard/trend-chart.component';
import { CameraDirectory } from '../live/camera-directory.service';
import { AlertClipSlotComponent } from './alert-clip-slot.component';
import { AlertSnapshotComponent } from './alert-snapshot.component';
import { alertTimeline, metricsWindow } from './alert-timeline';

/** Notes are stored with the alert (server limit). */
export const NOTES_MAX = 2000;

/**
 * One alert: what triggered it (values at the trigger, snapshot), its timeline, the metrics around the trigger
 * (GET /api/metrics/:cameraId), the channels notified, the recording clip slot, and acknowledge / resolve with
 * notes (operators). Follows live events of the alert while open.
 */
@Component({
  selector: 'cs-alert-detail-page',
  imports: [DatePipe, FormsModule, RouterLink, RiskBadgeComponent, ToastsComponent, TrendChartComponent, AlertSnapshotComponent, AlertClipSlotComponent],
  providers: [provideCharts({ registerables: [LineController, LineElement, PointElement, LinearScale, CategoryScale, Filler, Tooltip] })],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './alert-detail.page.html',
})
export class AlertDetailPage {
  private readonly api = inject(AlertsApi);
  private readonly metricsApi = inject(MetricsApi);
  private readonly toasts = inject(ToastService);
  private readonly router = inject(Router);
  protected readonly store = inject(AlertsStore);
  protected readonly auth = inject(AuthService);
  protected readonly cameras = inject(CameraDirectory);

  /** Route parameter `:id`. */
  readonly id = input.required<string>();
  /** `?action=acknowledge`: the push notification's Acknowledge action (done once the alert is loaded). */
  readonly action = input<string | undefined>();

  protected readonly alert = signal<AlertView | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly points = signal<MetricPoint[] | null>(null);
  protected readonly metricsError = signal<string | null>(null);
  protected readonly notes = signal('');
  protected readonly busy = signal(false);
  protected readonly actionError = signal<string | null>(null);
  protected readonly notesMax = NOTES_MAX;

  protected readonly timeline = computed(() => {
    const a = this.alert();
    return a ? alertTimeline(a, this.store.eventsOf(a.id), this.auth.user()?.id ?? null) : [];
  });
  protected readonly snapshotValues = computed(() =>
    Object.entries(this.alert()?.metricsSnapshot ?? {}).filter(([, v]) => v !== null && v !== ''),
  );
  protected readonly countSeries = computed(() => this.series((p) => p.count));
  protected readonly densitySeries = computed(() => this.series((p) => p.density));
  protected readonly riskSeries = computed(() => this.series((p) => p.riskScore));
  protected readonly peak = computed(() => {
    const pts = this.points() ?? [];
    if (!pts.length) return null;
    return {
      count: Math.max(...pts.map((p) => p.countMax ?? p.count)),
      density: Math.max(...pts.map((p) => p.density ?? 0)),
      risk: Math.max(...pts.map((p) => p.riskScore ?? 0)),
    };
  });

  private subs: Subscription[] = [];

  constructor() {
    this.cameras.ensureLoaded();
    inject(DestroyRef).onDestroy(() => this.subs.forEach((s) => s.unsubscribe()));
    effect(() => {
      const id = this.id();
      untracked(() => this.load(id));
    });
    // Live: a newer copy from the socket replaces the shown one.
    effect(() => {
      const e = this.store.lastEvent();
      const a = untracked(this.alert);
      if (e && a && e.event.alert.id === a.id && Date.parse(e.event.alert.updatedAt) >= Date.parse(a.updatedAt)) {
        untracked(() => this.alert.set(e.event.alert));
      }
    });
  }

  protected load(id: string): void {
    this.subs.forEach((s) => s.unsubscribe());
    this.loadError.set(null);
    this.points.set(null);
    this.subs = [
      this.api.get(id).subscribe({
        next: (a) => {
          this.alert.set(a);
          this.store.remember(a);
          this.loadMetrics(a);
          if (untracked(this.action) === 'acknowledge') {
            void this.router.navigate([], { queryParams: { action: null }, queryParamsHandling: 'merge', replaceUrl: true });
            if (a.status === 'open' && this.auth.canOperate()) this.acknowledge();
          }
        },
        error: (e: unknown) => {
          const err = toApiError(e);
          this.loadError.set(err.isNotFound ? 'This alert does not exist (or was deleted).' : err.message);
        },
      }),
    ];
  }

  private loadMetrics(a: AlertView): void {
    const { start, end } = metricsWindow(a, Date.now());
    this.metricsError.set(null);
    this.subs.push(
      this.metricsApi.history(a.cameraId, { start, end }).subscribe({
        next: (p) => this.points.set(p),
        error: (e: unknown) => (this.points.set([]), this.metricsError.set(toApiError(e).message)),
      }),
    );
  }

  protected acknowledge(): void {
    this.act((id, notes) => this.store.acknowledge(id, notes), 'Alert acknowledged');
  }

  protected resolve(): void {
    this.act((id, notes) => this.store.resolve(id, notes), 'Alert resolved');
  }

  private act(call: (id: string, notes?: string) => ReturnType<AlertsStore['resolve']>, done: string): void {
    const a = this.alert();
    if (!a) return;
    const notes = this.notes().trim();
    if (notes.length > NOTES_MAX) return this.actionError.set(`notes: at most ${NOTES_MAX} characters`);
    this.busy.set(true);
    this.actionError.set(null);
    call(a.id, notes || undefined).subscribe({
      next: (updated) => {
        this.busy.set(false);
        this.alert.set(updated);
        this.notes.set('');
        this.toasts.show(done);
      },
      error: (e: unknown) => {
        this.busy.set(false);
        const err = toApiError(e);
        this.actionError.set(err.details.length ? err.details.join('; ') : err.message);
        // 409: someone else acted first; show the current state.
        if (err.status === 409) this.load(a.id);
      },
    });
  }

  protected label(key: string): string {
    return key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
  }

  protected value(v: unknown): string {
    return typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : String(v);
  }

  private series(f: (p: MetricPoint) => number | null): TrendPoint[] {
    return (this.points() ?? []).map((p) => ({ t: Date.parse(p.time), v: f(p) }));
  }
}
