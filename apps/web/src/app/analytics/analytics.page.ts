import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, type ElementRef, computed, effect, inject, signal, viewChild } from '@angular/core';
import { FormsModule } from '@angular/forms';
import {
  AnalyticsApi,
  type AlertStatistics,
  type BusyHours,
  type Camera,
  CamerasApi,
  type CompareMetric,
  type CompareSeries,
  type MetricPoint,
  MetricsApi,
  type MetricsSummary,
  type SpatialHeatmap,
  toApiError,
} from '@crowdsafe/web-data-access';
import { formatAge } from '@crowdsafe/web-ui';
import { CategoryScale, type ChartConfiguration, Filler, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip } from 'chart.js';
import { BaseChartDirective, provideCharts } from 'ng2-charts';
import { catchError, forkJoin, map, of } from 'rxjs';
import { RANGES, type RangeKey, WEEKDAYS, bucketSeconds, busyHoursFromPoints, heatColor, summaryFromPoints, timeLabel } from './analytics-math';

const SERIES: { key: 'count' | 'density' | 'velocity' | 'riskScore'; label: string; unit: string; color: string; digits: number }[] = [
  { key: 'count', label: 'People count', unit: 'people', color: '#4dabf7', digits: 0 },
  { key: 'density', label: 'Density', unit: 'people/m²', color: '#f59f00', digits: 2 },
  { key: 'velocity', label: 'Velocity', unit: 'm/s', color: '#20c997', digits: 2 },
  { key: 'riskScore', label: 'Risk score', unit: '0–100', color: '#fa5252', digits: 0 },
];
const COMPARE_COLORS = ['#4dabf7', '#f59f00', '#20c997', '#fa5252', '#cc5de8', '#94d82d', '#ff922b', '#15aabf'];
const COMPARE_METRICS: { key: CompareMetric; label: string }[] = [
  { key: 'count', label: 'Count' },
  { key: 'density', label: 'Density' },
  { key: 'velocity', label: 'Velocity' },
  { key: 'risk_score', label: 'Risk score' },
];
const MAX_COMPARE = 8;
const REFRESH_MS = 15_000;

@Component({
  selector: 'cs-analytics-page',
  imports: [BaseChartDirective, FormsModule, DecimalPipe],
  providers: [provideCharts({ registerables: [LineController, LineElement, PointElement, LinearScale, CategoryScale, Filler, Tooltip, Legend] })],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './analytics.page.html',
  styleUrl: './analytics.page.scss',
})
export class AnalyticsPage {
  private readonly camerasApi = inject(CamerasApi);
  private readonly metricsApi = inject(MetricsApi);
  private readonly analyticsApi = inject(AnalyticsApi);

  protected readonly ranges = RANGES;
  protected readonly series = SERIES;
  protected readonly compareMetrics = COMPARE_METRICS;
  protected readonly weekdays = WEEKDAYS;
  protected readonly hours = Array.from({ length: 24 }, (_, h) => h);
  protected readonly heatColor = heatColor;

  protected readonly cameras = signal<Camera[]>([]);
  protected readonly cameraId = signal<string | null>(null);
  protected readonly range = signal<RangeKey>('1h');
  protected readonly customFrom = signal(toLocalInput(Date.now() - 3_600_000));
  protected readonly customTo = signal(toLocalInput(Date.now()));
  protected readonly rangeError = signal<string | null>(null);
  protected readonly points = signal<MetricPoint[] | null>(null);
  protected readonly summary = signal<MetricsSummary | null>(null);
  protected readonly alertStats = signal<AlertStatistics | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly loadedAt = signal<number | null>(null);
  protected readonly now = signal(Date.now());
  protected readonly compareIds = signal<ReadonlySet<string>>(new Set());
  protected readonly compareMetric = signal<CompareMetric>('count');
  protected readonly compare = signal<CompareSeries[] | null>(null);
  protected readonly compareNote = signal<string | null>(null);
  protected readonly busy = signal<BusyHours | null>(null);
  protected readonly busyMetric = signal<'count' | 'density'>('count');
  protected readonly busyNote = signal<string | null>(null);
  protected readonly spatial = signal<SpatialHeatmap | null>(null);
  protected readonly spatialNote = signal<string | null>(null);
  private readonly spatialCanvas = viewChild<ElementRef<HTMLCanvasElement>>('spatial');

  private readonly window = computed((): { from: number; to: number } | null => {
    this.loadedAt(); // re-evaluate "now" on every reload
    const r = this.range();
    if (r !== 'custom') return { from: Date.now() - (RANGES.find((x) => x.key === r)?.ms ?? 3_600_000), to: Date.now() };
    const from = Date.parse(this.customFrom());
    const to = Date.parse(this.customTo());
    return Number.isFinite(from) && Number.isFinite(to) && from < to ? { from, to } : null;
  });

  protected readonly charts = computed(() => {
    const pts = this.points() ?? [];
    const w = this.window();
    const span = w ? w.to - w.from : 3_600_000;
    const labels = pts.map((p) => timeLabel(p.time, span));
    return SERIES.map((s) => {
      const data = pts.map((p) => p[s.key]);
      const present = data.filter((v): v is number => v !== null);
      const data$: ChartConfiguration<'line'>['data'] = {
        labels,
        datasets: [{ data, label: s.label, borderColor: s.color, backgroundColor: s.color + '33', fill: true, pointRadius: 0, borderWidth: 1.5, tension: 0.2, spanGaps: false }],
      };
      return {
        ...s,
        data: data$,
        points: present.length,
        peak: present.length ? Math.max(...present) : null,
        avg: present.length ? present.reduce((a, b) => a + b, 0) / present.length : null,
      };
    });
  });

  protected readonly compareChart = computed((): ChartConfiguration<'line'>['data'] | null => {
    const c = this.compare();
    if (!c?.length) return null;
    const w = this.window();
    const span = w ? w.to - w.from : 3_600_000;
    const longest = c.reduce((a, b) => (b.points.length > a.points.length ? b : a), c[0]);
    const names = new Map(this.cameras().map((x) => [x.id, x.name]));
    return {
      labels: longest.points.map((p) => timeLabel(p.time, span)),
      datasets: c.map((s, i) => ({
        data: s.points.map((p) => p.value),
        label: names.get(s.cameraId) ?? s.cameraId,
        borderColor: COMPARE_COLORS[i % COMPARE_COLORS.length],
        backgroundColor: 'transparent',
        pointRadius: 0,
        borderWidth: 1.5,
        tension: 0.2,
      })),
    };
  });

  protected readonly busyMax = computed(() => Math.max(1e-9, ...(this.busy()?.grid.flat().filter((v): v is number => v !== null) ?? [0])));

  protected readonly chartOptions: ChartConfiguration<'line'>['options'] = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    interaction: { mode: 'index', intersect: false },
    plugins: { legend: { display: false }, tooltip: { enabled: true } },
    scales: { x: { ticks: { maxTicksLimit: 6, maxRotation: 0 } }, y: { beginAtZero: true, ticks: { maxTicksLimit: 5 } } },
  };
  protected readonly compareOptions: ChartConfiguration<'line'>['options'] = {
    ...this.chartOptions,
    plugins: { legend: { display: true, position: 'bottom' }, tooltip: { enabled: true } },
  };

  constructor() {
    this.camerasApi.list().subscribe({
      next: (list) => {
        this.cameras.set(list);
        const first = list.find((c) => c.isActive) ?? list[0];
        if (first) {
          this.cameraId.set(first.id);
          this.compareIds.set(new Set(list.slice(0, Math.min(list.length, 4)).map((c) => c.id)));
        }
        this.reload();
      },
      error: (e: unknown) => this.error.set(toApiError(e).message),
    });
    const refresh = setInterval(() => {
      const r = this.range();
      if (r === '1h' || r === '6h') this.reload(true);
    }, REFRESH_MS);
    const tick = setInterval(() => this.now.set(Date.now()), 1000);
    inject(DestroyRef).onDestroy(() => (clearInterval(refresh), clearInterval(tick)));
    effect(() => this.drawSpatial(this.spatial(), this.spatialCanvas()?.nativeElement));
  }

  protected setRange(r: RangeKey): void {
    this.range.set(r);
    if (r !== 'custom') this.reload();
  }

  protected applyCustom(): void {
    const from = Date.parse(this.customFrom());
    const to = Date.parse(this.customTo());
    if (!Number.isFinite(from) || !Number.isFinite(to)) return this.rangeError.set('Enter both a start and an end.');
    if (from >= to) return this.rangeError.set('The start must be before the end.');
    if (to - from > 366 * 24 * 3_600_000) return this.rangeError.set('At most one year.');
    this.rangeError.set(null);
    this.reload();
  }

  protected selectCamera(id: string): void {
    this.cameraId.set(id);
    this.reload();
  }

  protected toggleCompare(id: string, on: boolean): void {
    this.compareIds.update((s) => {
      const n = new Set(s);
      if (on && n.size < MAX_COMPARE) n.add(id);
      else n.delete(id);
      return n;
    });
    this.loadCompare();
  }

  reload(quiet = false): void {
    this.loadedAt.set(Date.now());
    const id = this.cameraId();
    const w = this.window();
    if (!id || !w) return;
    const bucket = bucketSeconds(w.to - w.from);
    if (!quiet) this.points.set(null);
    this.metricsApi.history(id, { start: new Date(w.from), end: new Date(w.to), intervalS: bucket }).subscribe({
      next: (pts) => {
        this.points.set(pts);
        this.error.set(null);
        this.analyticsApi
          .summary(id, new Date(w.from), new Date(w.to))
          .pipe(catchError(() => of(summaryFromPoints(pts, w.from, w.to, bucket))))
          .subscribe((s) => this.summary.set(s));
      },
      error: (e: unknown) => this.error.set(toApiError(e).message),
    });
    const midnight = new Date();
    midnight.setHours(0, 0, 0, 0);
    this.analyticsApi
      .alertStatistics(midnight, new Date())
      .pipe(catchError(() => of(null)))
      .subscribe((s) => this.alertStats.set(s));
    this.loadCompare();
    this.loadBusy();
    this.analyticsApi
      .spatial(id)
      .pipe(catchError((e: unknown) => (this.spatialNote.set(toApiError(e).isNotFound ? 'No spatial heatmap yet for this camera (it needs a calibration and people moving).' : toApiError(e).message), of(null))))
      .subscribe((s) => {
        this.spatial.set(s);
        if (s) this.spatialNote.set(null);
      });
  }

  protected loadCompare(): void {
    const ids = [...this.compareIds()];
    const w = this.window();
    if (!ids.length || !w) return this.compare.set(null);
    const bucket = bucketSeconds(w.to - w.from);
    const metric = this.compareMetric();
    const field = metric === 'risk_score' ? 'riskScore' : metric;
    this.analyticsApi
      .compare(ids, metric, new Date(w.from), new Date(w.to), bucket)
      .pipe(
        map((s) => (this.compareNote.set(null), s)),
        catchError(() => {
          // Older servers: one history request per camera, aligned by index.
          this.compareNote.set(null);
          return forkJoin(
            ids.map((cid) =>
              this.metricsApi.history(cid, { start: new Date(w.from), end: new Date(w.to), intervalS: bucket }).pipe(
                map((pts): CompareSeries => ({ cameraId: cid, points: pts.map((p) => ({ time: p.time, value: p[field] })) })),
                catchError(() => of<CompareSeries>({ cameraId: cid, points: [] })),
              ),
            ),
          );
        }),
      )
      .subscribe((s) => this.compare.set(s));
  }

  protected loadBusy(): void {
    const id = this.cameraId();
    if (!id) return;
    const to = new Date();
    const from = new Date(to.getTime() - 28 * 24 * 3_600_000);
    const metric = this.busyMetric();
    this.analyticsApi
      .busyHours(id, metric, from, to)
      .pipe(
        catchError(() =>
          this.metricsApi.history(id, { start: new Date(to.getTime() - 7 * 24 * 3_600_000), end: to, intervalS: 3600 }).pipe(map((pts) => busyHoursFromPoints(pts, metric))),
        ),
      )
      .subscribe({ next: (b) => (this.busy.set(b), this.busyNote.set(null)), error: (e: unknown) => this.busyNote.set(toApiError(e).message) });
  }

  protected age(): string {
    const t = this.loadedAt();
    return t === null ? '—' : formatAge(this.now() - t);
  }

  protected stale(): boolean {
    const t = this.loadedAt();
    const r = this.range();
    return t === null || ((r === '1h' || r === '6h') && this.now() - t > REFRESH_MS * 2);
  }

  protected fmtDuration(s: number | null): string {
    if (s === null) return '—';
    if (s < 90) return `${Math.round(s)} s`;
    if (s < 5400) return `${Math.round(s / 60)} min`;
    return `${(s / 3600).toFixed(1)} h`;
  }

  protected cellLabel(d: number, h: number, v: number | null): string {
    return `${WEEKDAYS[d]} ${String(h).padStart(2, '0')}:00: ${v === null ? 'no data' : v.toFixed(this.busyMetric() === 'count' ? 1 : 2)}`;
  }

  private drawSpatial(s: SpatialHeatmap | null, canvas: HTMLCanvasElement | undefined): void {
    if (!canvas || !s) return;
    canvas.width = s.width;
    canvas.height = s.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    for (let y = 0; y < s.height; y++) {
      for (let x = 0; x < s.width; x++) {
        const v = s.cells[y * s.width + x] ?? 0;
        ctx.fillStyle = v <= 0.001 ? 'rgba(0,0,0,0.85)' : heatColor(v);
        ctx.fillRect(x, y, 1, 1);
      }
    }
  }
}

function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}
