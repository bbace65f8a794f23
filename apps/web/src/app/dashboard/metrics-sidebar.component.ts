import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { type Camera, CamerasApi, type LiveMetrics, MetricsApi } from '@crowdsafe/web-data-access';
import { CountTileComponent, RiskBadgeComponent, densityClass, formatNumber } from '@crowdsafe/web-ui';
import type { Subscription } from 'rxjs';
import { STALE_AFTER_MS } from './camera-tile.component';
import { forecastBand, forecastText, timeToCritical } from './early-warning';
import { type TrendPoint, TrendChartComponent } from './trend-chart.component';

/** Trend window. */
export const TREND_WINDOW_MS = 10 * 60_000;
/** Hard bound on points kept (one per second for 10 min, plus slack). */
const MAX_POINTS = 900;

interface Sample {
  t: number;
  count: number | null;
  density: number | null;
  risk: number | null;
}

/**
 * Metrics of the selected camera: count (large, with age), density, velocity, surge, flow in/out, risk score and
 * level, capacity %, and 10-minute trends (seeded from GET /api/metrics/:id, then appended from live updates).
 */
@Component({
  selector: 'cs-metrics-sidebar',
  imports: [CountTileComponent, RiskBadgeComponent, TrendChartComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './metrics-sidebar.component.html',
  styles: `
    :host { display: block; }
    dl { font-variant-numeric: tabular-nums; }
    dd { font-weight: 600; }
    /* Stale metrics: struck through and marked, without opacity (labels and values stay AA). */
    dl.stale { border-left: 3px solid #ffc107; padding-left: 0.5rem; }
    dl.stale dd { color: var(--bs-secondary-color); text-decoration: line-through; }
  `,
})
export class MetricsSidebarComponent {
  private readonly metricsApi = inject(MetricsApi);
  private readonly camerasApi = inject(CamerasApi);

  readonly camera = input.required<Camera>();
  readonly metrics = input<LiveMetrics | undefined>();
  readonly now = input.required<number>();

  protected readonly staleAfterMs = STALE_AFTER_MS;
  private readonly samples = signal<readonly Sample[]>([]);
  protected readonly capacity = signal<number | null>(null);
  protected readonly historyError = signal<string | null>(null);

  protected readonly ageMs = computed(() => {
    const m = this.metrics();
    return m ? Math.max(0, this.now() - m.receivedAt) : null;
  });
  protected readonly stale = computed(() => {
    const a = this.ageMs();
    return a === null || a > STALE_AFTER_MS;
  });
  protected readonly ev = computed(() => this.metrics()?.event ?? null);
  protected readonly an = computed(() => this.ev()?.analytics ?? null);
  protected readonly risk = computed(() => this.ev()?.risk ?? null);
  protected readonly densityCls = computed(() => densityClass(this.an()?.density ?? null));
  protected readonly capacityPct = computed(() => {
    const cap = this.capacity();
    const n = this.ev()?.count;
    return cap && cap > 0 && typeof n === 'number' ? Math.round((n / cap) * 100) : null;
  });

  /** `risk.earlyWarningInS`: time until the density trend drives the score to CRITICAL. */
  protected readonly earlyWarning = computed(() => timeToCritical(this.risk()));
  /** The 2-5 min density forecast with its 95 % interval, drawn after the density trend. */
  protected readonly densityForecast = computed(() => {
    const ev = this.ev();
    return ev ? forecastBand(ev.risk, Date.parse(ev.time), ev.analytics?.density) : [];
  });
  protected readonly densityForecastText = computed(() => forecastText(this.densityForecast()));
  protected readonly countTrend = computed(() => this.series('count'));
  protected readonly densityTrend = computed(() => this.series('density'));
  protected readonly riskTrend = computed(() => this.series('risk'));

  constructor() {
    const destroyRef = inject(DestroyRef);
    let subs: Subscription[] = [];
    destroyRef.onDestroy(() => subs.forEach((s) => s.unsubscribe()));

    // Camera changed: reload history and capacity.
    effect(() => {
      const id = this.camera().id;
      untracked(() => {
        subs.forEach((s) => s.unsubscribe());
        this.samples.set([]);
        this.capacity.set(null);
        this.historyError.set(null);
        const start = new Date(Date.now() - TREND_WINDOW_MS);
        subs = [
          this.metricsApi.history(id, { start }).subscribe({
            next: (points) => {
              const seeded: Sample[] = points.map((p) => ({
                t: Date.parse(p.time),
                count: p.count,
                density: p.density,
                risk: p.riskScore,
              }));
              // Keep live samples that arrived meanwhile and are newer than the history.
              const last = seeded.length ? seeded[seeded.length - 1].t : 0;
              this.samples.update((live) => trim([...seeded, ...live.filter((s) => s.t > last)]));
            },
            error: (err: unknown) => this.historyError.set((err as Error).message ?? 'history unavailable'),
          }),
          this.camerasApi.detail(id).subscribe({
            next: (d) => this.capacity.set(d.capacity ?? null),
            error: () => this.capacity.set(null),
          }),
        ];
      });
    });

    // Live point per metrics_update.
    effect(() => {
      const m = this.metrics();
      if (!m || m.event.cameraId !== untracked(() => this.camera().id)) return;
      const t = Date.parse(m.event.time);
      if (!Number.isFinite(t)) return;
      untracked(() =>
        this.samples.update((list) => {
          if (list.length && list[list.length - 1].t >= t) return list;
          return trim([
            ...list,
            { t, count: m.event.count, density: m.event.analytics?.density ?? null, risk: m.event.risk?.score ?? null },
          ]);
        }),
      );
    });
  }

  protected readonly fmt = formatNumber;

  private series(key: 'count' | 'density' | 'risk'): TrendPoint[] {
    return this.samples().map((s) => ({ t: s.t, v: s[key] }));
  }
}

function trim(list: Sample[]): Sample[] {
  const cutoff = Date.now() - TREND_WINDOW_MS;
  const kept = list.filter((s) => s.t >= cutoff);
  return kept.length > MAX_POINTS ? kept.slice(kept.length - MAX_POINTS) : kept;
}
