import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { CamerasApi, toApiError, type Vec2 } from '@crowdsafe/web-data-access';
import type { CalibrationState } from './calibration-state';

const DICTIONARIES = ['ARUCO_4X4_1000', 'ARUCO_5X5_1000', 'ARUCO_6X6_1000', 'ARUCO_7X7_1000', 'ARUCO_DEFAULT_OPENCV', 'APRILTAG_36h11', 'ARUCO_MIP_36h12', 'ARUCO'];
const EXAMPLE = '{ "3": { "sizeM": 0.5 }, "17": { "sizeM": 0.5, "center": [4, 2], "rotationDeg": 0 } }';

/**
 * "Detect markers in the current frame": ArUco markers on the floor at surveyed positions (the layout) give a
 * homography proposal from the server; accepting it puts their corners into the editor as ground points (review,
 * then Save as usual).
 */
@Component({
  selector: 'cs-aruco-detect',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <details class="mb-3" data-testid="aruco-detect">
      <summary>Detect ArUco markers in the current frame</summary>
      <div class="row g-2 mt-1">
        <div class="col-md-4">
          <label class="form-label small" for="aruco-dict">Dictionary</label>
          <select id="aruco-dict" class="form-select form-select-sm" [ngModel]="dictionary()" (ngModelChange)="dictionary.set($event)" name="dict">
            @for (d of dictionaries; track d) { <option [value]="d">{{ d }}</option> }
          </select>
        </div>
        <div class="col-md-8">
          <label class="form-label small" for="aruco-layout">Layout: marker id → size (m), centre on the floor (m; omit on the origin marker), rotation (°)</label>
          <textarea id="aruco-layout" class="form-control form-control-sm font-monospace" rows="2" [ngModel]="layout()" (ngModelChange)="layout.set($event)" name="layout" [placeholder]="example"></textarea>
        </div>
      </div>
      <button type="button" class="btn btn-sm btn-outline-primary mt-2" (click)="detect()" [disabled]="busy()" data-testid="aruco-run">{{ busy() ? 'Detecting…' : 'Detect markers' }}</button>
      @if (result(); as r) {
        <p class="small mt-2 mb-1" role="status">
          {{ r.markers.length }} marker(s) found ({{ r.used }} in the layout){{ r.calibration ? ', coverage ' + r.coverage : '' }}.
        </p>
        @if (r.issues.length) { <ul class="small text-warning-emphasis mb-1">@for (i of r.issues; track $index) { <li>{{ i }}</li> }</ul> }
        @if (r.calibration) {
          <button type="button" class="btn btn-sm btn-primary" (click)="accept()" data-testid="aruco-accept">Use as ground points</button>
        }
      }
      @if (error(); as e) { <p class="small text-danger-emphasis mt-2" role="alert">{{ e }}</p> }
    </details>
  `,
})
export class ArucoDetectComponent {
  private readonly api = inject(CamerasApi);
  readonly cameraId = input.required<string>();
  readonly state = input.required<CalibrationState>();
  readonly accepted = output<number>();

  protected readonly dictionaries = DICTIONARIES;
  protected readonly example = EXAMPLE;
  protected readonly dictionary = signal('ARUCO_4X4_1000');
  protected readonly layout = signal('');
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly result = signal<{ markers: unknown[]; used: number; coverage: number; issues: string[]; calibration: Record<string, unknown> | null; frame: { width: number; height: number } } | null>(null);

  protected detect(): void {
    let layout: Record<string, unknown>;
    try {
      layout = JSON.parse(this.layout() || '{}') as Record<string, unknown>;
    } catch {
      return this.error.set(`Layout must be JSON, e.g. ${EXAMPLE}`);
    }
    this.error.set(null);
    this.busy.set(true);
    this.api.detectAruco(this.cameraId(), { dictionary: this.dictionary() as never, layout: layout as never }).subscribe({
      next: (r) => {
        this.busy.set(false);
        this.result.set({ markers: r.markers, used: r.markers.filter((m) => m.used).length, coverage: r.coverage, issues: r.issues, calibration: r.calibration ?? null, frame: r.frame as { width: number; height: number } });
      },
      error: (e: unknown) => (this.busy.set(false), this.error.set(toApiError(e).message)),
    });
  }

  /** The proposal's correspondences (image px of the detection frame) as the editor's ground points. */
  protected accept(): void {
    const r = this.result();
    const cal = r?.calibration;
    if (!r || !cal) return;
    const src = ((cal['input'] as Record<string, unknown> | undefined) ?? cal)['points'] as { image: Vec2; world: Vec2 }[] | undefined;
    if (!Array.isArray(src) || !src.length) return this.error.set('The proposal has no ground points');
    const f = this.state().frame();
    const sx = f.width / r.frame.width;
    const sy = f.height / r.frame.height;
    const s = this.state();
    s.mode.set('points');
    s.points.set(src.map((p) => ({ image: [Math.round(p.image[0] * sx * 10) / 10, Math.round(p.image[1] * sy * 10) / 10] as Vec2, world: [p.world[0], p.world[1]] as [number, number] })));
    this.accepted.emit(src.length);
  }
}
