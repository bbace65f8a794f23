import { computed, signal } from '@angular/core';
import type { CalibrationInput, CameraDetail, CameraZone, CountingLine, Vec2 } from '@crowdsafe/web-data-access';

export type CalibrationMode = 'points' | 'scale' | 'manual' | 'none';
export type Tool = 'select' | 'points' | 'roi' | 'zone' | 'line';

export interface GroundPoint {
  image: Vec2;
  /** Floor coordinates in metres (null until entered). */
  world: [number | null, number | null];
}

export type Selection =
  | { kind: 'point'; index: number }
  | { kind: 'roi' }
  | { kind: 'zone'; index: number }
  | { kind: 'line'; index: number }
  | { kind: 'draft' }
  | null;

export const MAX_POINTS = 32;
export const MAX_VERTICES = 64;
export const MAX_ITEMS = 64;

const round = (v: number): number => Math.round(v * 10) / 10;
const isVec2 = (v: unknown): v is Vec2 => Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number' && Number.isFinite(n));

/** Everything the calibration/zone editor edits, in image pixels of `frame`. */
export class CalibrationState {
  readonly frame = signal<{ width: number; height: number }>({ width: 1280, height: 720 });
  readonly mode = signal<CalibrationMode>('points');
  readonly points = signal<GroundPoint[]>([]);
  readonly scaleDistanceM = signal<number | null>(null);
  readonly manualAreaM2 = signal<number | null>(null);
  /** Detection ROI (stored normalised 0..1 in settings.detection.roi). */
  readonly roi = signal<Vec2[]>([]);
  readonly zones = signal<CameraZone[]>([]);
  readonly lines = signal<CountingLine[]>([]);
  /** Polygon being drawn (ROI or zone). */
  readonly draft = signal<Vec2[]>([]);
  /** First endpoint of a line being drawn. */
  readonly lineStart = signal<Vec2 | null>(null);
  readonly tool = signal<Tool>('points');
  readonly selection = signal<Selection>(null);

  readonly pointLimit = computed(() => (this.mode() === 'scale' ? 2 : MAX_POINTS));

  /** Loads a camera's stored calibration/zones/lines/roi (raw inputs or a stored Calibration with its inputs). */
  load(c: CameraDetail, frame: { width: number; height: number }): void {
    const cal = c.calibrationData ?? {};
    const f = cal.frame;
    const calFrame = f && typeof f.width === 'number' && typeof f.height === 'number' ? { width: f.width, height: f.height } : frame;
    // Stored geometry is in calFrame pixels; the editor works in the snapshot's pixels.
    const sx = frame.width / calFrame.width;
    const sy = frame.height / calFrame.height;
    const sc = (p: Vec2): Vec2 => [round(p[0] * sx), round(p[1] * sy)];
    this.frame.set(frame);
    const src = cal.input ?? cal;
    if (Array.isArray(src.points)) {
      this.mode.set('points');
      this.points.set(
        src.points
          .filter((p): p is { image: Vec2; world: Vec2 } => isVec2(p.image) && isVec2(p.world))
          .map((p) => ({ image: sc(p.image), world: [p.world[0], p.world[1]] as [number, number] })),
      );
    } else if (src.scale && typeof src.scale === 'object') {
      const s = src.scale;
      this.mode.set('scale');
      if (isVec2(s.a) && isVec2(s.b)) this.points.set([{ image: sc(s.a), world: [null, null] }, { image: sc(s.b), world: [null, null] }]);
      this.scaleDistanceM.set(typeof s.distanceM === 'number' ? s.distanceM : null);
    } else if (src.manual && typeof src.manual === 'object') {
      this.mode.set('manual');
      this.manualAreaM2.set(typeof src.manual.floorAreaM2 === 'number' ? src.manual.floorAreaM2 : null);
    } else {
      this.mode.set(c.calibrationData ? 'points' : 'points');
    }
    this.zones.set(
      c.zones
        .filter((z) => Array.isArray(z.polygon))
        .map((z) => ({ ...z, polygon: z.polygon.filter(isVec2).map(sc) })),
    );
    const lines = c.settings.analytics?.lines;
    this.lines.set(
      (Array.isArray(lines) ? lines : [])
        .filter((l): l is CountingLine => isVec2(l.a) && isVec2(l.b))
        .map((l) => ({ ...l, a: sc(l.a), b: sc(l.b) })),
    );
    const roi = c.settings.detection?.roi;
    this.roi.set(Array.isArray(roi) ? roi.filter(isVec2).map((p) => [round(p[0] * frame.width), round(p[1] * frame.height)] as Vec2) : []);
  }

  /** Client-side hints before asking the server. */
  hints(): string[] {
    const h: string[] = [];
    const pts = this.points();
    if (this.mode() === 'points') {
      if (pts.length < 4) h.push(`Place at least 4 ground points (${pts.length} placed); 6 or more spread over the floor are better.`);
      pts.forEach((p, i) => {
        if (p.world[0] === null || p.world[1] === null) h.push(`Point ${i + 1}: enter its floor position X and Y in metres.`);
      });
    } else if (this.mode() === 'scale') {
      if (pts.length < 2) h.push('Click both ends of a known distance on the floor.');
      const d = this.scaleDistanceM();
      if (d === null || !(d > 0 && d <= 10_000)) h.push('Enter the real distance between the two points (metres, > 0).');
    } else if (this.mode() === 'manual') {
      const a = this.manualAreaM2();
      if (a === null || !(a > 0 && a <= 10_000_000)) h.push('Enter the floor area in m² (> 0).');
    }
    for (const z of this.zones()) {
      if (!z.name.trim()) h.push('Every zone needs a name.');
      if (z.polygon.length < 3) h.push(`Zone "${z.name}" needs at least 3 vertices.`);
    }
    if (this.roi().length > 0 && this.roi().length < 3) h.push('The ROI needs at least 3 vertices (or none).');
    return h;
  }

  calibration(): CalibrationInput | null {
    const frame = this.frame();
    const pts = this.points();
    switch (this.mode()) {
      case 'points':
        return { frame, points: pts.map((p) => ({ image: p.image, world: [p.world[0] ?? NaN, p.world[1] ?? NaN] as Vec2 })) };
      case 'scale':
        return pts.length >= 2 ? { frame, scale: { a: pts[0].image, b: pts[1].image, distanceM: this.scaleDistanceM() ?? 0 } } : { frame, scale: { a: [0, 0], b: [0, 0], distanceM: this.scaleDistanceM() ?? 0 } };
      case 'manual':
        return { frame, manual: { floorAreaM2: this.manualAreaM2() ?? 0 } };
      case 'none':
        return null;
    }
  }

  /** ROI normalised to 0..1 (as settings.detection.roi), or undefined for none. */
  normalisedRoi(): Vec2[] | undefined {
    const { width, height } = this.frame();
    const r = this.roi();
    return r.length >= 3 ? r.map(([x, y]) => [Math.round((x / width) * 1e4) / 1e4, Math.round((y / height) * 1e4) / 1e4] as Vec2) : undefined;
  }

  // --- editing -------------------------------------------------------------------------------------------------

  clamp(p: Vec2): Vec2 {
    const { width, height } = this.frame();
    return [round(Math.min(width, Math.max(0, p[0]))), round(Math.min(height, Math.max(0, p[1])))];
  }

  /** A click on the image with the current tool. */
  click(p: Vec2): void {
    p = this.clamp(p);
    switch (this.tool()) {
      case 'points':
        if (this.mode() === 'manual' || this.mode() === 'none') return;
        if (this.points().length >= this.pointLimit()) return;
        this.points.update((ps) => [...ps, { image: p, world: [null, null] }]);
        this.selection.set({ kind: 'point', index: this.points().length - 1 });
        return;
      case 'roi':
      case 'zone':
        if (this.draft().length < MAX_VERTICES) this.draft.update((d) => [...d, p]);
        this.selection.set({ kind: 'draft' });
        return;
      case 'line': {
        const a = this.lineStart();
        if (!a) {
          this.lineStart.set(p);
          return;
        }
        if (Math.hypot(a[0] - p[0], a[1] - p[1]) < 2 || this.lines().length >= MAX_ITEMS) return;
        const id = this.nextId('line', this.lines().map((l) => l.id));
        this.lines.update((ls) => [...ls, { id, name: `Line ${ls.length + 1}`, a, b: p, inDirection: 'left', widthM: 2 }]);
        this.lineStart.set(null);
        this.selection.set({ kind: 'line', index: this.lines().length - 1 });
        return;
      }
      case 'select':
        this.selection.set(null);
    }
  }

  /** Closes the draft polygon into the ROI or a new zone. */
  finishDraft(): boolean {
    const d = this.draft();
    if (d.length < 3) return false;
    if (this.tool() === 'roi') {
      this.roi.set(d);
      this.selection.set({ kind: 'roi' });
    } else {
      if (this.zones().length >= MAX_ITEMS) return false;
      const id = this.nextId('zone', this.zones().map((z) => z.id));
      this.zones.update((zs) => [...zs, { id, name: `Zone ${zs.length + 1}`, polygon: d }]);
      this.selection.set({ kind: 'zone', index: this.zones().length - 1 });
    }
    this.draft.set([]);
    return true;
  }

  cancelDraft(): void {
    this.draft.set([]);
    this.lineStart.set(null);
  }

  /** Moves one vertex (drag). `vertex` is the index within the item (0/1 = a/b for lines). */
  move(sel: NonNullable<Selection>, vertex: number, p: Vec2): void {
    p = this.clamp(p);
    const setAt = (arr: Vec2[]): Vec2[] => arr.map((v, i) => (i === vertex ? p : v));
    switch (sel.kind) {
      case 'point':
        this.points.update((ps) => ps.map((x, i) => (i === sel.index ? { ...x, image: p } : x)));
        return;
      case 'roi':
        this.roi.update(setAt);
        return;
      case 'draft':
        this.draft.update(setAt);
        return;
      case 'zone':
        this.zones.update((zs) => zs.map((z, i) => (i === sel.index ? { ...z, polygon: setAt(z.polygon) } : z)));
        return;
      case 'line':
        this.lines.update((ls) => ls.map((l, i) => (i === sel.index ? { ...l, ...(vertex === 0 ? { a: p } : { b: p }) } : l)));
    }
  }

  /** Deletes one vertex of a polygon (keeps at least 3) or a whole point. */
  deleteVertex(sel: NonNullable<Selection>, vertex: number): void {
    const drop = (arr: Vec2[]): Vec2[] => arr.filter((_, i) => i !== vertex);
    if (sel.kind === 'point') return this.deleteItem(sel);
    if (sel.kind === 'roi' && this.roi().length > 3) this.roi.update(drop);
    if (sel.kind === 'draft') this.draft.update(drop);
    if (sel.kind === 'zone') this.zones.update((zs) => zs.map((z, i) => (i === sel.index && z.polygon.length > 3 ? { ...z, polygon: drop(z.polygon) } : z)));
  }

  deleteItem(sel: Selection): void {
    if (!sel) return;
    switch (sel.kind) {
      case 'point':
        this.points.update((ps) => ps.filter((_, i) => i !== sel.index));
        break;
      case 'roi':
        this.roi.set([]);
        break;
      case 'zone':
        this.zones.update((zs) => zs.filter((_, i) => i !== sel.index));
        break;
      case 'line':
        this.lines.update((ls) => ls.filter((_, i) => i !== sel.index));
        break;
      case 'draft':
        this.draft.set([]);
    }
    this.selection.set(null);
  }

  setWorld(index: number, axis: 0 | 1, v: number | null): void {
    this.points.update((ps) => ps.map((p, i) => (i === index ? { ...p, world: (axis === 0 ? [v, p.world[1]] : [p.world[0], v]) as GroundPoint['world'] } : p)));
  }

  private nextId(prefix: string, used: string[]): string {
    let n = used.length + 1;
    while (used.includes(`${prefix}-${n}`)) n++;
    return `${prefix}-${n}`;
  }
}

/** Polygon area in image pixels (shoelace), for the "drawn area" hint. */
export function polygonAreaPx(poly: readonly Vec2[]): number {
  let a = 0;
  for (let i = 0; i < poly.length; i++) {
    const [x1, y1] = poly[i];
    const [x2, y2] = poly[(i + 1) % poly.length];
    a += x1 * y2 - x2 * y1;
  }
  return Math.abs(a) / 2;
}
