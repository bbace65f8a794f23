// Spec 6.4 annotation of the live overlay (MJPEG) and alert snapshots: person boxes coloured by the camera's risk
// level, optional confidence labels, direction arrows from the tracks' velocity. Per camera in
// `settings.annotation` { riskColors, confidence, arrows }. Pure (SVG strings).
import type { BBox, RiskLevel } from '@crowdsafe/contracts';

export interface AnnotationSettings {
  /** Colour the boxes by the camera's current risk level (default true; false = one neutral colour). */
  riskColors: boolean;
  /** Show the detector's confidence next to each box (default false). */
  confidence: boolean;
  /** Draw each moving track's direction (default true). */
  arrows: boolean;
}

export const DEFAULT_ANNOTATION: Readonly<AnnotationSettings> = Object.freeze({ riskColors: true, confidence: false, arrows: true });

/** Box colours per risk level (the console's level colours); NEUTRAL without a level or with riskColors off. */
export const RISK_COLORS: Readonly<Record<RiskLevel, string>> = Object.freeze({ SAFE: '#20c997', CAUTION: '#ffc107', WARNING: '#fd7e14', CRITICAL: '#dc3545' });
export const NEUTRAL_COLOR = '#20c997';

/** Why `settings.annotation` is invalid (one message naming the field), or null when it is valid or absent. */
export function annotationProblem(raw: unknown): string | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) return 'settings.annotation must be an object { riskColors?, confidence?, arrows? }';
  for (const [k, v] of Object.entries(raw)) {
    if (!(k in DEFAULT_ANNOTATION)) return `settings.annotation.${k}: unknown field (riskColors, confidence, arrows)`;
    if (typeof v !== 'boolean') return `settings.annotation.${k} must be true or false`;
  }
  return null;
}

/** The camera's annotation settings (defaults for absent or invalid fields). */
export function annotationSettingsOf(cameraSettings: unknown): AnnotationSettings {
  const raw = (cameraSettings as { annotation?: unknown } | null)?.annotation;
  if (annotationProblem(raw) !== null || !raw) return { ...DEFAULT_ANNOTATION };
  return { ...DEFAULT_ANNOTATION, ...(raw as Partial<AnnotationSettings>) };
}

export function boxColor(level: RiskLevel | null | undefined, settings: AnnotationSettings): string {
  return settings.riskColors && level ? RISK_COLORS[level] : NEUTRAL_COLOR;
}

/** One box to annotate, in OUTPUT pixels; velocity in output pixels per second (absent: no arrow). */
export interface AnnotatedBox {
  box: BBox;
  id?: number;
  score?: number;
  velocity?: { vx: number; vy: number };
}

const r1 = (v: number) => Math.round(v * 10) / 10;
/** Arrows show where a person will be in this many seconds, clamped to [MIN, MAX] box heights. */
const ARROW_HORIZON_S = 1;
const ARROW_MIN_PX = 4;

/** Label text of a box: "#id", "87%" or "#id 87%". */
export function boxLabel(b: Pick<AnnotatedBox, 'id' | 'score'>, confidence: boolean): string {
  const parts: string[] = [];
  if (b.id !== undefined) parts.push(`#${b.id}`);
  if (confidence && typeof b.score === 'number' && Number.isFinite(b.score)) parts.push(`${Math.round(b.score * 100)}%`);
  return parts.join(' ');
}

/**
 * The arrow of a moving box: from the box centre along its velocity (ARROW_HORIZON_S ahead, at most one box height
 * long); null when it moves less than ARROW_MIN_PX in that time.
 */
export function directionArrow(b: AnnotatedBox): { x1: number; y1: number; x2: number; y2: number } | null {
  if (!b.velocity || !Number.isFinite(b.velocity.vx) || !Number.isFinite(b.velocity.vy)) return null;
  let dx = b.velocity.vx * ARROW_HORIZON_S;
  let dy = b.velocity.vy * ARROW_HORIZON_S;
  const len = Math.hypot(dx, dy);
  if (len < ARROW_MIN_PX) return null;
  const max = Math.max(ARROW_MIN_PX * 2, b.box.y2 - b.box.y1);
  if (len > max) {
    dx *= max / len;
    dy *= max / len;
  }
  const cx = (b.box.x1 + b.box.x2) / 2;
  const cy = (b.box.y1 + b.box.y2) / 2;
  return { x1: r1(cx), y1: r1(cy), x2: r1(cx + dx), y2: r1(cy + dy) };
}

/** SVG elements of the boxes (rect, label, arrow), all in `color`. */
export function boxesSvg(boxes: readonly AnnotatedBox[], color: string, settings: AnnotationSettings, stroke: number, font: number): string {
  const parts: string[] = [];
  let arrows = false;
  for (const b of boxes) {
    const w = r1(Math.max(0, b.box.x2 - b.box.x1));
    const h = r1(Math.max(0, b.box.y2 - b.box.y1));
    parts.push(`<rect x="${b.box.x1}" y="${b.box.y1}" width="${w}" height="${h}" fill="none" stroke="${color}" stroke-width="${stroke}"/>`);
    const label = boxLabel(b, settings.confidence);
    if (label) parts.push(`<text x="${b.box.x1}" y="${r1(Math.max(font, b.box.y1 - 2))}" fill="${color}" font-size="${font}" font-family="sans-serif">${label}</text>`);
    const a = settings.arrows ? directionArrow(b) : null;
    if (a) {
      arrows = true;
      parts.push(`<line x1="${a.x1}" y1="${a.y1}" x2="${a.x2}" y2="${a.y2}" stroke="${color}" stroke-width="${stroke}" marker-end="url(#cs-arrow)"/>`);
    }
  }
  if (arrows) {
    parts.unshift(`<defs><marker id="cs-arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="4" markerHeight="4" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${color}"/></marker></defs>`);
  }
  return parts.join('');
}
