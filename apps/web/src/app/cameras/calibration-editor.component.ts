import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, type ElementRef, computed, input, signal, viewChild } from '@angular/core';
import { FormsModule } from '@angular/forms';
import type { Vec2 } from '@crowdsafe/web-data-access';
import { type CalibrationMode, type CalibrationState, type Selection, type Tool } from './calibration-state';

interface Handle {
  sel: NonNullable<Selection>;
  vertex: number;
  p: Vec2;
  label: string;
}

const TOOLS: { id: Tool; label: string; help: string }[] = [
  { id: 'select', label: 'Select / move', help: 'Drag any vertex to move it; click a shape to select it; Delete removes the selection.' },
  { id: 'points', label: 'Ground points', help: 'Click points on the floor whose real position you know, then enter X/Y in metres.' },
  { id: 'roi', label: 'ROI', help: 'Click the corners of the counted area; “Finish shape” (or click the first vertex) closes it.' },
  { id: 'zone', label: 'Zone', help: 'Click the corners of a zone; “Finish shape” (or click the first vertex) closes it.' },
  { id: 'line', label: 'Counting line', help: 'Click the two ends of a counting line (e.g. across a gate).' },
];

/**
 * Calibration + zone editor drawn as SVG over a camera snapshot. Coordinates are image pixels of `state.frame`
 * (the SVG viewBox), so the overlay scales with the image at any screen size. Vertices are draggable (pointer
 * events, touch included) and focusable (arrow keys move them, Delete removes them).
 */
@Component({
  selector: 'cs-calibration-editor',
  imports: [FormsModule, DecimalPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './calibration-editor.component.html',
  styleUrl: './calibration-editor.component.scss',
})
export class CalibrationEditorComponent {
  readonly state = input.required<CalibrationState>();
  readonly imageUrl = input<string | null>(null);
  /** Server-computed floor area of the calibration (m²). */
  readonly areaM2 = input<number | null>(null);
  readonly zoneAreas = input<Record<string, number>>({});

  protected readonly tools = TOOLS;
  protected readonly svg = viewChild<ElementRef<SVGSVGElement>>('svg');
  private drag: { handle: Handle; pointerId: number; moved: boolean } | null = null;
  protected readonly hover = signal<Vec2 | null>(null);
  protected readonly imageFailed = signal(false);

  protected readonly toolHelp = computed(() => TOOLS.find((t) => t.id === this.state().tool())?.help ?? '');
  protected readonly viewBox = computed(() => `0 0 ${this.state().frame().width} ${this.state().frame().height}`);
  /** Handle radius in image pixels (~1.2 % of the larger side, so it stays finger-sized when scaled down). */
  protected readonly r = computed(() => Math.max(6, Math.round(Math.max(this.state().frame().width, this.state().frame().height) * 0.011)));

  protected readonly handles = computed((): Handle[] => {
    const s = this.state();
    const h: Handle[] = [];
    s.points().forEach((p, i) => h.push({ sel: { kind: 'point', index: i }, vertex: 0, p: p.image, label: `Ground point ${i + 1}` }));
    s.roi().forEach((p, v) => h.push({ sel: { kind: 'roi' }, vertex: v, p, label: `ROI vertex ${v + 1}` }));
    s.zones().forEach((z, i) => z.polygon.forEach((p, v) => h.push({ sel: { kind: 'zone', index: i }, vertex: v, p, label: `${z.name} vertex ${v + 1}` })));
    s.lines().forEach((l, i) => {
      h.push({ sel: { kind: 'line', index: i }, vertex: 0, p: l.a, label: `${l.name} start` });
      h.push({ sel: { kind: 'line', index: i }, vertex: 1, p: l.b, label: `${l.name} end` });
    });
    s.draft().forEach((p, v) => h.push({ sel: { kind: 'draft' }, vertex: v, p, label: `New shape vertex ${v + 1}` }));
    return h;
  });

  protected points(poly: readonly Vec2[]): string {
    return poly.map((p) => `${p[0]},${p[1]}`).join(' ');
  }

  protected centroid(poly: readonly Vec2[]): Vec2 {
    const n = Math.max(1, poly.length);
    return [poly.reduce((a, p) => a + p[0], 0) / n, poly.reduce((a, p) => a + p[1], 0) / n];
  }

  /** Arrow showing the "in" direction of a counting line (perpendicular at its middle). */
  protected inArrow(a: Vec2, b: Vec2, dir: 'left' | 'right'): string {
    const mx = (a[0] + b[0]) / 2;
    const my = (a[1] + b[1]) / 2;
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
    // Left of a->b in image coordinates (y down) is (dy, -dx).
    const s = dir === 'left' ? 1 : -1;
    const nx = ((b[1] - a[1]) / len) * s;
    const ny = (-(b[0] - a[0]) / len) * s;
    const k = this.r() * 4;
    return `M ${mx} ${my} L ${mx + nx * k} ${my + ny * k}`;
  }

  protected isSelected(sel: Selection): boolean {
    const cur = this.state().selection();
    if (!cur || !sel) return false;
    return cur.kind === sel.kind && ('index' in cur ? cur.index === (sel as { index: number }).index : true);
  }

  private toImage(e: { clientX: number; clientY: number }): Vec2 | null {
    const el = this.svg()?.nativeElement;
    const m = el?.getScreenCTM();
    if (!el || !m) return null;
    const pt = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());
    return [pt.x, pt.y];
  }

  protected onSurfaceClick(e: MouseEvent): void {
    if (this.drag?.moved) return;
    const p = this.toImage(e);
    if (p) this.state().click(p);
  }

  protected onShapeClick(e: MouseEvent, sel: NonNullable<Selection>): void {
    if (this.state().tool() !== 'select') return;
    e.stopPropagation();
    this.state().selection.set(sel);
  }

  protected onHandleDown(e: PointerEvent, h: Handle): void {
    e.stopPropagation();
    e.preventDefault();
    const s = this.state();
    // Clicking the first vertex of the draft closes it.
    if (h.sel.kind === 'draft' && h.vertex === 0 && s.draft().length >= 3) {
      s.finishDraft();
      return;
    }
    (e.target as Element).setPointerCapture?.(e.pointerId);
    this.drag = { handle: h, pointerId: e.pointerId, moved: false };
    s.selection.set(h.sel);
  }

  protected onPointerMove(e: PointerEvent): void {
    const p = this.toImage(e);
    this.hover.set(p);
    if (!this.drag || this.drag.pointerId !== e.pointerId || !p) return;
    this.drag.moved = true;
    this.state().move(this.drag.handle.sel, this.drag.handle.vertex, p);
  }

  protected onPointerUp(e: PointerEvent): void {
    if (this.drag && this.drag.pointerId === e.pointerId) {
      const moved = this.drag.moved;
      // Let the click that follows this pointerup see `moved`, then forget the drag.
      setTimeout(() => (this.drag = null));
      if (!moved) this.drag = null;
    }
  }

  protected onHandleKey(e: KeyboardEvent, h: Handle): void {
    const s = this.state();
    const step = e.shiftKey ? 10 : 1;
    const d: Record<string, Vec2> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (d[e.key]) {
      e.preventDefault();
      s.move(h.sel, h.vertex, [h.p[0] + d[e.key][0], h.p[1] + d[e.key][1]]);
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      s.deleteVertex(h.sel, h.vertex);
    }
  }

  protected onKey(e: KeyboardEvent): void {
    const s = this.state();
    if (e.key === 'Enter' && s.draft().length >= 3) s.finishDraft();
    else if (e.key === 'Escape') s.cancelDraft();
    else if ((e.key === 'Delete' || e.key === 'Backspace') && s.selection()) s.deleteItem(s.selection());
  }

  protected setMode(m: CalibrationMode): void {
    const s = this.state();
    s.mode.set(m);
    if (m === 'scale' && s.points().length > 2) s.points.update((p) => p.slice(0, 2));
  }

  protected setTool(t: Tool): void {
    const s = this.state();
    s.cancelDraft();
    s.tool.set(t);
  }

  protected num(v: unknown): number | null {
    if (v === '' || v === null || v === undefined) return null;
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }

  protected updateZone(i: number, patch: { name?: string; capacity?: number | undefined }): void {
    this.state().zones.update((zs) => zs.map((z, j) => (j === i ? { ...z, ...patch } : z)));
  }

  protected updateLine(i: number, patch: { name?: string; inDirection?: 'left' | 'right'; widthM?: number }): void {
    this.state().lines.update((ls) => ls.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  }
}
