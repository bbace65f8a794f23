/**
 * Dominant movement direction per second, in the IMAGE plane (works with or without a calibration).
 *
 * Convention: heading in degrees clockwise from image up: 0 = towards the top of the picture ("N"), 90 = towards
 * the right ("E"), 180 = down ("S"), 270 = left ("W"); compass words are the 8 sectors of 45 degrees centred on
 * N, NE, E, SE, S, SW, W, NW. (A calibration has no north reference, so "N" always means "image up".)
 *
 * Per processed frame each track adds its image velocity (px/frame, e.g. the tracker's Kalman velocity of the box
 * centre) and its box height. A track is *moving* when it covers at least `movingHeightsPerS` of its own box height
 * per second (scale-free: a 1.7 m person at 0.15 heights/s walks ~0.25 m/s at any distance). At the second's close:
 * - coherence R = |mean of the movers' unit heading vectors| (1: everyone the same way, 0: chaotic or opposed);
 * - heading = direction of that mean vector, reported only when at least `minMovers` moving samples and
 *   R >= `minCoherence` (else null: people stand still, too few move, or movement is chaotic/counter-flowing).
 * Pure; O(1) memory (sums only).
 */
export type CompassPoint = 'N' | 'NE' | 'E' | 'SE' | 'S' | 'SW' | 'W' | 'NW';

const COMPASS: readonly CompassPoint[] = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'];

export interface MovementDirectionOptions {
  /** Frames per second of the processed stream (converts px/frame to px/s). */
  frameRate: number;
  /** Minimum speed to count as moving, in box heights per second (default 0.15). */
  movingHeightsPerS?: number;
  /** Minimum moving samples in the second for a heading (default 3). */
  minMovers?: number;
  /** Minimum coherence for a heading (default 0.5). */
  minCoherence?: number;
}

export interface MovementSample {
  /** Image velocity of the track, pixels per frame (x right, y down). */
  vx: number;
  vy: number;
  /** Box height in pixels (the person's size, the speed ruler). */
  height: number;
}

export interface MovementDirection {
  /** Degrees clockwise from image up, [0, 360), 0.1 precision; null when no dominant direction. */
  headingDeg: number | null;
  compass: CompassPoint | null;
  /** |mean unit heading| of the moving samples, 0..1 (0 when nobody moved). */
  coherence: number;
  /** Moving samples (track x frame) in the second. */
  movingSamples: number;
  /** All samples (track x frame) in the second. */
  samples: number;
  /** Always 'image': 0 degrees = image up. */
  reference: 'image';
}

/** The compass word of a heading (degrees clockwise from up). */
export function compassOf(headingDeg: number): CompassPoint {
  const h = ((headingDeg % 360) + 360) % 360;
  return COMPASS[Math.floor((h + 22.5) / 45) % 8];
}

export class MovementDirectionAccumulator {
  private readonly frameRate: number;
  private readonly movingHeightsPerS: number;
  private readonly minMovers: number;
  private readonly minCoherence: number;
  private sx = 0;
  private sy = 0;
  private moving = 0;
  private samples = 0;

  constructor(o: MovementDirectionOptions) {
    const pos = (name: string, v: number) => {
      if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`${name} must be a positive number, got ${v}`);
    };
    pos('frameRate', o.frameRate);
    this.frameRate = o.frameRate;
    this.movingHeightsPerS = o.movingHeightsPerS ?? 0.15;
    pos('movingHeightsPerS', this.movingHeightsPerS);
    this.minMovers = o.minMovers ?? 3;
    if (!Number.isInteger(this.minMovers) || this.minMovers < 1) throw new RangeError(`minMovers must be a positive integer, got ${o.minMovers}`);
    this.minCoherence = o.minCoherence ?? 0.5;
    if (!(this.minCoherence >= 0 && this.minCoherence <= 1)) throw new RangeError(`minCoherence must be in [0, 1], got ${o.minCoherence}`);
  }

  /** Adds one processed frame's tracks. Samples with non-finite values or no height are skipped. */
  addFrame(tracks: readonly MovementSample[]): void {
    for (const t of tracks) {
      if (!Number.isFinite(t.vx) || !Number.isFinite(t.vy) || !(t.height > 0) || !Number.isFinite(t.height)) continue;
      this.samples++;
      const speed = Math.hypot(t.vx, t.vy);
      if ((speed * this.frameRate) / t.height < this.movingHeightsPerS) continue;
      this.moving++;
      this.sx += t.vx / speed;
      this.sy += t.vy / speed;
    }
  }

  /** The second's result; resets the accumulator for the next second. */
  close(): MovementDirection {
    const coherence = this.moving ? Math.min(1, Math.hypot(this.sx, this.sy) / this.moving) : 0;
    let headingDeg: number | null = null;
    if (this.moving >= this.minMovers && coherence >= this.minCoherence) {
      // Image y grows downwards: "up" is -y; clockwise from up = atan2(x, -y).
      const deg = (Math.atan2(this.sx, -this.sy) * 180) / Math.PI;
      headingDeg = Math.round((((deg % 360) + 360) % 360) * 10) / 10;
      if (headingDeg === 360) headingDeg = 0;
    }
    const out: MovementDirection = {
      headingDeg,
      compass: headingDeg === null ? null : compassOf(headingDeg),
      coherence: Math.round(coherence * 1000) / 1000,
      movingSamples: this.moving,
      samples: this.samples,
      reference: 'image',
    };
    this.sx = 0;
    this.sy = 0;
    this.moving = 0;
    this.samples = 0;
    return out;
  }
}
