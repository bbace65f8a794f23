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
export type CanvasFrame = Pick<LiveFrameEvent, 'seq' | 'width' | 'height' | 'jpeg' | 'detections'>;

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
    const boxes = this.showBoxes() ? this.drawBoxes(ctx, frame, bitmap.width, bitmap.height) : 0;
    bitmap.close();

    this.lastSeq = frame.seq;
    canvas.setAttribute('data-frame-seq', String(frame.seq));
    canvas.setAttribute('data-boxes', String(boxes));
    if (!this.hasFrame()) this.hasFrame.set(true);
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
