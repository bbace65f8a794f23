import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ChartConfiguration } from 'chart.js';
import { BaseChartDirective } from 'ng2-charts';
import type { ForecastPoint } from './early-warning';

export interface TrendPoint {
  /** Epoch ms. */
  t: number;
  v: number | null;
}

/**
 * A small line chart of one metric over the recent window (no legend, few ticks), on a time-linear x axis; with
 * `forecast`, the forecast continues the line (dashed) with its interval as a shaded band.
 */
@Component({
  selector: 'cs-trend-chart',
  imports: [BaseChartDirective],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <figure class="mb-0">
      <figcaption class="small fw-semibold d-flex justify-content-between">
        <span>{{ label() }}</span>
        <span class="text-body-secondary">{{ summary() }}</span>
      </figcaption>
      <div class="chart" role="img" [attr.aria-label]="label() + ' over the last 10 minutes. ' + summary() + (forecastLabel() ? '. Forecast: ' + forecastLabel() : '')">
        <canvas baseChart type="line" [data]="data()" [options]="options"></canvas>
      </div>
      @if (forecastLabel(); as f) {
        <div class="small text-body-secondary" data-testid="forecast-text">Forecast: {{ f }}</div>
      }
    </figure>
  `,
  styles: `
    :host { display: block; }
    .chart { position: relative; height: 70px; }
  `,
})
export class TrendChartComponent {
  readonly label = input.required<string>();
  readonly points = input.required<readonly TrendPoint[]>();
  readonly color = input('#4dabf7');
  readonly digits = input(0);
  /** Optional forecast band (mean + 95 % interval) drawn after the last point. */
  readonly forecast = input<readonly ForecastPoint[]>([]);
  /** Text of the forecast under the chart (also in the chart's accessible label). */
  readonly forecastLabel = input<string | null>(null);

  protected readonly summary = computed(() => {
    const vs = this.points()
      .map((p) => p.v)
      .filter((v): v is number => v !== null && Number.isFinite(v));
    if (vs.length === 0) return 'no data';
    const peak = Math.max(...vs);
    const avg = vs.reduce((a, b) => a + b, 0) / vs.length;
    return `peak ${peak.toFixed(this.digits())} · avg ${avg.toFixed(this.digits())}`;
  });

  protected readonly data = computed((): ChartConfiguration<'line'>['data'] => {
    const pts = this.points();
    const fc = this.forecast();
    const datasets: ChartConfiguration<'line'>['data']['datasets'] = [
      {
        label: this.label(),
        data: pts.map((p) => ({ x: p.t, y: p.v as number })),
        borderColor: this.color(),
        backgroundColor: this.color() + '33',
        fill: true,
        pointRadius: 0,
        borderWidth: 1.5,
        tension: 0.25,
        spanGaps: true,
      },
    ];
    if (fc.length) {
      const band = { pointRadius: 0, borderWidth: 0, tension: 0, borderColor: 'transparent' };
      datasets.push(
        { ...band, label: '95 % low', data: fc.map((p) => ({ x: p.t, y: p.lo })), fill: false },
        { ...band, label: '95 % high', data: fc.map((p) => ({ x: p.t, y: p.hi })), fill: '-1', backgroundColor: this.color() + '2a' },
        { label: 'forecast', data: fc.map((p) => ({ x: p.t, y: p.v })), borderColor: this.color(), borderDash: [4, 3], borderWidth: 1.5, pointRadius: 1.5, fill: false, tension: 0 },
      );
    }
    return { datasets };
  });

  protected readonly options: ChartConfiguration<'line'>['options'] = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: {
      legend: { display: false },
      tooltip: {
        enabled: true,
        intersect: false,
        mode: 'nearest',
        callbacks: { title: (items) => (items[0] ? new Date(items[0].parsed.x ?? 0).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }) : '') },
      },
    },
    scales: {
      x: { type: 'linear', display: false },
      y: { beginAtZero: true, ticks: { maxTicksLimit: 3, font: { size: 10 } }, grid: { color: 'rgba(128,128,128,0.2)' } },
    },
  };
}
