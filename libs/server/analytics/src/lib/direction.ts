import { angleDiffDeg, normDeg } from './stats';
import type { DirectionStats } from './types';

/**
 * Heading statistics of the moving people. `vx`, `vy`, `speed` hold n velocities (ground m/s); only those with
 * speed >= movingSpeed take part.
 *
 * - histogram: `bins` equal sectors, bin k centred on k * 360 / bins degrees (counter-clockwise from +X);
 * - dominant heading: the histogram peak (smoothed with its neighbours 1-2-1), refined to the circular mean of
 *   the headings within 90 degrees of it. Unlike the plain circular mean this stays on the majority stream when
 *   two streams oppose each other;
 * - counter-flow index: share of moving people heading more than 90 degrees away from the dominant heading;
 * - chaotic-motion index: circular variance 1 - R, R = |mean of the unit heading vectors|.
 */
export function directionStats(
  vx: ArrayLike<number>,
  vy: ArrayLike<number>,
  speed: ArrayLike<number>,
  n: number,
  movingSpeed: number,
  bins: number,
): DirectionStats {
  const histogram = new Array<number>(bins).fill(0);
  const width = 360 / bins;
  const headings: number[] = [];
  let c = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (!(speed[i] >= movingSpeed) || speed[i] === 0) continue;
    const h = normDeg((Math.atan2(vy[i], vx[i]) * 180) / Math.PI);
    headings.push(h);
    histogram[Math.floor(normDeg(h + width / 2) / width) % bins]++;
    c += vx[i] / speed[i];
    s += vy[i] / speed[i];
  }
  const m = headings.length;
  if (m === 0) {
    return { available: true, movingCount: 0, histogram, dominantHeadingDeg: null, counterFlowIndex: 0, chaoticIndex: 0 };
  }
  const resultant = Math.min(1, Math.hypot(c, s) / m);
  let peak = 0;
  let peakScore = -1;
  for (let k = 0; k < bins; k++) {
    const score = histogram[(k - 1 + bins) % bins] + 2 * histogram[k] + histogram[(k + 1) % bins];
    if (score > peakScore) {
      peakScore = score;
      peak = k;
    }
  }
  const centre = peak * width;
  let pc = 0;
  let ps = 0;
  for (const h of headings) {
    if (angleDiffDeg(h, centre) < 90) {
      pc += Math.cos((h * Math.PI) / 180);
      ps += Math.sin((h * Math.PI) / 180);
    }
  }
  const dominant = pc === 0 && ps === 0 ? centre : normDeg((Math.atan2(ps, pc) * 180) / Math.PI);
  let counter = 0;
  for (const h of headings) if (angleDiffDeg(h, dominant) > 90) counter++;
  return {
    available: true,
    movingCount: m,
    histogram,
    dominantHeadingDeg: dominant,
    counterFlowIndex: counter / m,
    chaoticIndex: Math.max(0, 1 - resultant),
  };
}

/** The all-zero result used when no ground mapping exists. */
export function emptyDirectionStats(bins: number, available: boolean): DirectionStats {
  return {
    available,
    movingCount: 0,
    histogram: new Array<number>(bins).fill(0),
    dominantHeadingDeg: null,
    counterFlowIndex: 0,
    chaoticIndex: 0,
  };
}
