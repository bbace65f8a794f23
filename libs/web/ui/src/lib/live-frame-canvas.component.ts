import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  type ElementRef,
  effect,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import type { LiveFrameEvent } from '@crowdsafe/contracts';

/** The subset of a live frame the canvas needs (contracts `LiveFrameEvent`). */
export type CanvasFrame = Pick<LiveFrameEvent, 'seq' | 'width' | 'height' | 'jpeg' | 'detections'> &
  Partial<Pick<LiveFrameEvent, 'tracks'>>;

/** A zone outline: polygon in the pixels of a `space` (the calibration frame); defaults to the frame's size. */
export interface CanvasZone {
  name: string;
  polygon: ReadonlyArray<readonly [number, number] | { x: number; y: number }>;
}

/** Heatmap grid (cells); bounded, independent of the frame size. */
const HEAT_COLS = 48;
const HEAT_ROWS = 27;
/** Per-frame decay of the heatmap (about 5 s half-life at 25 fps). */
const HEAT_DECAY = 0.995;
/** Flow arrows show this many frames of the track's Kalman velocity. */
const FLOW_FRAMES = 12;

/**
 * Draws live JPEG frames with their person boxes overlaid. Boxes are in source-frame pixels (`frame.width` x
 * `frame.height`) and are scaled to the decoded image, which the server may have downscaled. Decoding is off the
 * main thread (createImageBitmap); while one frame decodes only the newest arriving frame is kept, so a slow
 * client drops frames instead of building a backlog.
 *
 * After each drawn frame the canvas carries `data-frame-seq` (seq of the frame on screen) and `data-boxes` (boxes
 * drawn on it); both are set directly on the element, without change detection.
 */
@Component({
  selector: 'cs-live-frame-canvas',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'cs-live-frame', '[class.stale]': 'hasFrame() && !!staleText()' },
  template: `
    <canvas
      #canvas
      [attr.data-testid]="testId()"
      role="img"
      [attr.aria-label]="ariaLabel()"
      [class.empty]="!hasFrame()"
    ></canvas>
    @if (!hasFrame()) {
      <div class="placeholder" aria-hidden="true">{{ placeholder() }}</div>
    } @else if (staleText(); as text) {
      <div class="stale-banner" data-testid="live-frame-stale">{{ text }}</div>
    }
  `,
  styles: `
    :host { display: block; position: relative; background: #000; border-radius: 0.5rem; overflow: hidden; }
    canvas { display: block; width: 100%; height: auto; }
    canvas.empty { aspect-ratio: 16 / 9; }
    :host(.stale) canvas { filter: grayscale(1) brightness(0.55); }
    .stale-banner { position: absolute; left: 0.5rem; top: 0.5rem; padding: 0.15rem 0.5rem; border-radius: 0.375rem;
      background: #ffc107; color: #1a1200; font-weight: 700; font-size: 0.9rem; }
    .placeholder { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center;
      color: #c8cdd2; font-size: 1rem; padding: 1rem; text-align: center; }
  `,
})
export class LiveFrameCanvasComponent {
  readonly frame = input<CanvasFrame | null | undefined>(null);
  readonly testId = input<string | null>(null);
  readonly ariaLabel = input('Live video');
  readonly placeholder = input('Waiting for video…');
  /**
   * When set, the picture on screen is old (the caller decides, e.g. no frame for 3 s): it is greyed out and this
   * text is shown over it, so a frozen picture never passes for live video.
   */
  readonly staleText = input<string | null>(null);
  /** Draw detection boxes. */
  readonly showBoxes = input(true);
  /** Label confirmed tracks with their id. */
  readonly showTrackIds = input(false);
  /** Occupancy heatmap accumulated from foot points on this client (decays over a few seconds). */
  readonly showHeatmap = input(false);
  /** Arrows of the tracks' motion (Kalman velocity). */
  readonly showFlow = input(false);
  /** Zone outlines with names. */
  readonly zones = input<readonly CanvasZone[]>([]);
  /** Pixel space of the zone polygons (the calibration frame); null = the frame's own size. */
  readonly zoneSpace = input<{ width: number; height: number } | null>(null);

  private readonly heat = new Float32Array(HEAT_COLS * HEAT_ROWS);
  private lastFrame: CanvasFrame | null = null;

  protected readonly hasFrame = signal(false);
  private readonly canvasRef = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');

  private pending: CanvasFrame | null = null;
  private decoding = false;
  private destroyed = false;
  private lastSeq = -1;

  constructor() {
    inject(DestroyRef).onDestroy(() => (this.destroyed = true));
    effect(() => {
      const frame = this.frame();
      if (!frame) return;
      this.pending = frame;
      if (!this.decoding) this.drainQueue();
    });
  }

  private async drainQueue(): Promise<void> {
    this.decoding = true;
    try {
      while (this.pending && !this.destroyed) {
        const frame = this.pending;
        this.pending = null;
        if (frame.seq === this.lastSeq) continue;
        await this.draw(frame);
      }
    } finally {
      this.decoding = false;
    }
  }

  private async draw(frame: CanvasFrame): Promise<void> {
    let bitmap: ImageBitmap;
    try {
      const bytes = frame.jpeg instanceof ArrayBuffer ? frame.jpeg : new Uint8Array(frame.jpeg);
      bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }));
    } catch {
      return; // corrupt or truncated JPEG: skip it, the next frame replaces it
    }
    if (this.destroyed) {
      bitmap.close();
      return;
    }
    const canvas = this.canvasRef().nativeElement;
    const ctx = canvas.getContext('2d');
    if (!ctx) {
      bitmap.close();
      return;
    }
    if (canvas.width !== bitmap.width || canvas.height !== bitmap.height) {
      canvas.width = bitmap.width;
      canvas.height = bitmap.height;
    }
    ctx.drawImage(bitmap, 0, 0);
    const w = bitmap.width;
    const h = bitmap.height;
    this.accumulateHeat(frame);
    if (this.showHeatmap()) this.drawHeatmap(ctx, w, h);
    if (this.zones().length) this.drawZones(ctx, frame, w, h);
    const boxes = this.showBoxes() ? this.drawBoxes(ctx, frame, w, h) : 0;
    if (this.showTrackIds() || this.showFlow()) this.drawTracks(ctx, frame, w, h);
    bitmap.close();
    this.lastFrame = frame;

    this.lastSeq = frame.seq;
    canvas.setAttribute('data-frame-seq', String(frame.seq));
    canvas.setAttribute('data-boxes', String(boxes));
    const overlays = [
      this.showBoxes() && 'boxes',
      this.showTrackIds() && 'ids',
      this.showHeatmap() && 'heatmap',
      this.showFlow() && 'flow',
      this.zones().length > 0 && 'zones',
    ].filter(Boolean);
    canvas.setAttribute('data-overlays', overlays.join(' '));
    if (!this.hasFrame()) this.hasFrame.set(true);
  }

  /**
   * The picture on screen (with its overlays) as an image blob, for "snapshot"; null before the first frame.
   */
  snapshot(type: 'image/png' | 'image/jpeg' = 'image/png'): Promise<Blob | null> {
    const canvas = this.canvasRef().nativeElement;
    if (!this.hasFrame()) return Promise.resolve(null);
    return new Promise((resolve) => canvas.toBlob((b) => resolve(b), type, 0.92));
  }

  /** The most recently drawn frame (seq, size, overlay data), or null. */
  get currentFrame(): CanvasFrame | null {
    return this.lastFrame;
  }

  private accumulateHeat(frame: CanvasFrame): void {
    for (let i = 0; i < this.heat.length; i++) this.heat[i] *= HEAT_DECAY;
    if (!(frame.width > 0 && frame.height > 0)) return;
    for (const { box } of frame.detections ?? []) {
      const fx = (box.x1 + box.x2) / 2 / frame.width;
      const fy = box.y2 / frame.height; // foot point
      if (!(fx >= 0 && fx < 1 && fy >= 0 && fy <= 1)) continue;
      const cx = Math.min(HEAT_COLS - 1, Math.floor(fx * HEAT_COLS));
      const cy = Math.min(HEAT_ROWS - 1, Math.floor(fy * HEAT_ROWS));
      this.heat[cy * HEAT_COLS + cx] += 1;
    }
  }

  private drawHeatmap(ctx: CanvasRenderingContext2D, w: number, h: number): void {
    let max = 0;
    for (const v of this.heat) if (v > max) max = v;
    if (max <= 0.05) return;
    const cw = w / HEAT_COLS;
    const ch = h / HEAT_ROWS;
    for (let y = 0; y < HEAT_ROWS; y++) {
      for (let x = 0; x < HEAT_COLS; x++) {
        const v = this.heat[y * HEAT_COLS + x] / max;
        if (v < 0.05) continue;
        // blue (low) → red (high)
        const hue = Math.round(240 * (1 - v));
        ctx.fillStyle = `hsla(${hue}, 100%, 50%, ${0.15 + 0.4 * v})`;
        ctx.fillRect(x * cw, y * ch, Math.ceil(cw), Math.ceil(ch));
      }
    }
  }

  private drawZones(ctx: CanvasRenderingContext2D, frame: CanvasFrame, w: number, h: number): void {
    const space = this.zoneSpace() ?? { width: frame.width, height: frame.height };
    if (!(space.width > 0 && space.height > 0)) return;
    const sx = w / space.width;
    const sy = h / space.height;
    ctx.lineWidth = Math.max(2, Math.round(w / 500));
    ctx.font = `bold ${Math.max(12, Math.round(w / 70))}px system-ui, sans-serif`;
    for (const zone of this.zones()) {
      const pts = zone.polygon.map((p) => (Array.isArray(p) ? p : [(p as { x: number }).x, (p as { y: number }).y]) as [number, number]);
      if (pts.length < 3) continue;
      ctx.beginPath();
      pts.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x * sx, y * sy) : ctx.lineTo(x * sx, y * sy)));
      ctx.closePath();
      ctx.fillStyle = 'rgba(0, 170, 255, 0.12)';
      ctx.fill();
      ctx.strokeStyle = '#00aaff';
      ctx.stroke();
      const [lx, ly] = pts[0];
      ctx.fillStyle = 'rgba(0, 0, 0, 0.7)';
      const label = zone.name.slice(0, 40);
      const tw = ctx.measureText(label).width;
      ctx.fillRect(lx * sx, ly * sy, tw + 8, Math.max(16, w / 55));
      ctx.fillStyle = '#ffffff';
      ctx.fillText(label, lx * sx + 4, ly * sy + Math.max(13, w / 70));
    }
  }

  private drawTracks(ctx: CanvasRenderingContext2D, frame: CanvasFrame, w: number, h: number): void {
    const tracks = frame.tracks ?? [];
    if (tracks.length === 0) return;
    const sx = frame.width > 0 ? w / frame.width : 1;
    const sy = frame.height > 0 ? h / frame.height : 1;
    const font = Math.max(11, Math.round(w / 90));
    ctx.font = `bold ${font}px system-ui, sans-serif`;
    for (const t of tracks) {
      const cx = ((t.box.x1 + t.box.x2) / 2) * sx;
      const cy = ((t.box.y1 + t.box.y2) / 2) * sy;
      if (this.showFlow()) {
        const dx = t.velocity.vx * sx * FLOW_FRAMES;
        const dy = t.velocity.vy * sy * FLOW_FRAMES;
        if (Math.hypot(dx, dy) >= 3) arrow(ctx, cx, cy, cx + dx, cy + dy, Math.max(2, Math.round(w / 500)));
      }
      if (this.showTrackIds() && t.id >= 1) {
        const label = `#${t.id}`;
        const x = Math.max(0, t.box.x1 * sx);
        const y = Math.max(font + 2, t.box.y1 * sy);
        const tw = ctx.measureText(label).width;
        ctx.fillStyle = 'rgba(0, 0, 0, 0.75)';
        ctx.fillRect(x, y - font - 2, tw + 6, font + 4);
        ctx.fillStyle = '#ffe066';
        ctx.fillText(label, x + 3, y - 1);
      }
    }
  }

  /** Returns the number of boxes drawn. */
  private drawBoxes(ctx: CanvasRenderingContext2D, frame: CanvasFrame, w: number, h: number): number {
    const detections = frame.detections ?? [];
    if (detections.length === 0) return 0;
    const sx = frame.width > 0 ? w / frame.width : 1;
    const sy = frame.height > 0 ? h / frame.height : 1;
    const line = Math.max(2, Math.round(w / 400));
    ctx.lineJoin = 'round';
    let drawn = 0;
    for (const { box } of detections) {
      const x = Math.max(0, box.x1 * sx);
      const y = Math.max(0, box.y1 * sy);
      const bw = Math.min(w, box.x2 * sx) - x;
      const bh = Math.min(h, box.y2 * sy) - y;
      if (!(bw > 0 && bh > 0)) continue;
      // Dark halo under a bright stroke: readable on light and dark scenes.
      ctx.strokeStyle = 'rgba(0, 0, 0, 0.75)';
      ctx.lineWidth = line + 2;
      ctx.strokeRect(x, y, bw, bh);
      ctx.strokeStyle = '#39ff88';
      ctx.lineWidth = line;
      ctx.strokeRect(x, y, bw, bh);
      drawn++;
    }
    return drawn;
  }
}

function arrow(ctx: CanvasRenderingContext2D, x1: number, y1: number, x2: number, y2: number, width: number): void {
  const angle = Math.atan2(y2 - y1, x2 - x1);
  const head = width * 4;
  ctx.strokeStyle = '#ff4fd8';
  ctx.fillStyle = '#ff4fd8';
  ctx.lineWidth = width;
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x2, y2);
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(x2, y2);
  ctx.lineTo(x2 - head * Math.cos(angle - Math.PI / 6), y2 - head * Math.sin(angle - Math.PI / 6));
  ctx.lineTo(x2 - head * Math.cos(angle + Math.PI / 6), y2 - head * Math.sin(angle + Math.PI / 6));
  ctx.closePath();
  ctx.fill();
}
