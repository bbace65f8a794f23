import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { timeToCritical } from './early-warning';
import type { RiskLevel } from '@crowdsafe/contracts';
import type { Camera, LiveFrame, LiveMetrics } from '@crowdsafe/web-data-access';
import {
  type DotStatus,
  LiveFrameCanvasComponent,
  RiskBadgeComponent,
  StatusDotComponent,
  densityClass,
  formatAge,
  formatNumber,
} from '@crowdsafe/web-ui';

export const STALE_AFTER_MS = 3000;

/**
 * One camera of the dashboard grid: live annotated video, name/location, count, density (coloured), risk badge,
 * online status and the age of the data; stale data is greyed and labelled. The border flashes while the camera
 * has an unacknowledged WARNING/CRITICAL alert. Click selects, double-click (or the expand button) opens the view.
 */
@Component({
  selector: 'cs-camera-tile',
  imports: [LiveFrameCanvasComponent, RiskBadgeComponent, StatusDotComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    class: 'cs-camera-tile',
    '[class.selected]': 'selected()',
    '[class.stale]': 'stale()',
    '[class.alarm]': 'alarmLevel() !== null',
    '[attr.data-alarm]': 'alarmLevel() ?? null',
    '[attr.data-camera-id]': 'camera().id',
    '[attr.data-testid]': '"camera-tile"',
  },
  templateUrl: './camera-tile.component.html',
  styleUrl: './camera-tile.component.scss',
})
export class CameraTileComponent {
  readonly camera = input.required<Camera>();
  readonly metrics = input<LiveMetrics | undefined>();
  readonly frame = input<LiveFrame | undefined>();
  readonly now = input.required<number>();
  readonly selected = input(false);
  /** Status from the page (camera_status / metrics / REST, unknown while the socket is down). */
  readonly status = input<{ status: DotStatus; label: string | null }>({ status: 'unknown', label: null });
  /** Level of the camera's unacknowledged alert, when WARNING or CRITICAL. */
  readonly alarmLevel = input<RiskLevel | null>(null);
  /** Test id on the canvas (the selected tile's video is `live-frame`). */
  readonly canvasTestId = input<string | null>(null);

  readonly choose = output<void>();
  readonly open = output<void>();

  protected readonly ageMs = computed(() => {
    const m = this.metrics();
    return m ? Math.max(0, this.now() - m.receivedAt) : null;
  });
  protected readonly stale = computed(() => {
    const a = this.ageMs();
    return a === null || a > STALE_AFTER_MS;
  });
  protected readonly count = computed(() => this.metrics()?.event.count ?? null);
  protected readonly density = computed(() => this.metrics()?.event.analytics?.density ?? null);
  protected readonly densityCls = computed(() => densityClass(this.density()));
  protected readonly risk = computed(() => this.metrics()?.event.risk ?? null);
  /** `risk.earlyWarningInS` as "CRITICAL in ~45 s" (hidden once CRITICAL or without a warning). */
  protected readonly earlyWarning = computed(() => (this.stale() ? null : timeToCritical(this.risk())));
  protected readonly ageText = computed(() => {
    const a = this.ageMs();
    if (a === null) return 'waiting for data';
    return this.stale() ? `stale · ${formatAge(a)}` : formatAge(a);
  });
  protected readonly frameStaleText = computed(() => {
    const f = this.frame();
    if (!f) return null;
    const age = this.now() - f.receivedAt;
    return age > STALE_AFTER_MS ? `No live video · ${formatAge(age)}` : null;
  });
  protected readonly label = computed(() => {
    const c = this.camera();
    const n = this.count();
    return `${c.name}${c.location ? ', ' + c.location : ''}: ${n === null || this.stale() ? 'no live count' : n + ' people'}`;
  });

  protected readonly fmt = formatNumber;
}
