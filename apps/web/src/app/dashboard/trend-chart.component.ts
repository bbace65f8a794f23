import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ChartConfiguration } from 'chart.js';
import { BaseChartDirective } from 'ng2-charts';

export interface TrendPoint {
  /** Epoch ms. */
  t: number;
  v: number | null;
}

/** A small line chart of one metric over the recent window (no legend, few ticks). */
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
      <div class="chart" role="img" [attr.aria-label]="label() + ' over the last 10 minutes. ' + summary()">
        <canvas baseChart type="line" [data]="data()" [options]="options"></canvas>
      </div>
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
    return {
      labels: pts.map((p) => new Date(p.t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })),
      datasets: [
        {
          data: pts.map((p) => p.v),
          borderColor: this.color(),
          backgroundColor: this.color() + '33',
          fill: true,
          pointRadius: 0,
          borderWidth: 1.5,
          tension: 0.25,
          spanGaps: true,
        },
      ],
    };
  });

  protected readonly options: ChartConfiguration<'line'>['options'] = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: { legend: { display: false }, tooltip: { enabled: true, intersect: false, mode: 'index' } },
    scales: {
      x: { display: false },
      y: { beginAtZero: true, ticks: { maxTicksLimit: 3, font: { size: 10 } }, grid: { color: 'rgba(128,128,128,0.2)' } },
    },
  };
}
