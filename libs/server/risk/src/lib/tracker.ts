import type { RiskLevel } from '@crowdsafe/contracts';
import { RISK_LEVELS } from '@crowdsafe/contracts';
import type { HysteresisConfig, RiskThresholds } from './types';

export interface RiskLevelUpdate {
  level: RiskLevel;
  previous: RiskLevel;
  changed: boolean;
}

/**
 * Per-camera level with minimum dwell and hysteresis. For each threshold T (caution, warning, critical) it keeps the
 * start of the current run of scores >= T and of scores < T - margin. At a sample at time t:
 * - rise: to the highest level whose threshold run has lasted >= riseDwellS (t - run start, the run starting at its
 *   first sample; riseDwellS = 0 rises on the first sample);
 * - otherwise fall, one level at a time, while the current level's "below T - margin" run has lasted >= fallDwellS.
 * A single noisy frame therefore never changes the level (unless a dwell is 0). A null score (no measurement)
 * holds the level and breaks all runs; a sample older than the last one is ignored.
 */
export class RiskLevelTracker {
  private index = 0;
  private readonly aboveSince: (number | null)[] = [null, null, null];
  private readonly belowSince: (number | null)[] = [null, null, null];
  private lastT: number | null = null;

  constructor(
    private readonly thresholds: RiskThresholds,
    private readonly hysteresis: HysteresisConfig,
    initial: RiskLevel = 'SAFE',
  ) {
    this.index = RISK_LEVELS.indexOf(initial);
  }

  get level(): RiskLevel {
    return RISK_LEVELS[this.index] as RiskLevel;
  }

  /** Feeds the score at time `tS` (seconds). `thresholds` may change per call (schedules); dwell runs carry over. */
  update(tS: number, score: number | null, thresholds: RiskThresholds = this.thresholds): RiskLevelUpdate {
    const previous = this.level;
    if (!Number.isFinite(tS) || (this.lastT !== null && tS < this.lastT)) return { level: previous, previous, changed: false };
    this.lastT = tS;
    const ts = [thresholds.caution, thresholds.warning, thresholds.critical];
    const { riseDwellS, fallDwellS, margin } = this.hysteresis;
    const valid = score !== null && Number.isFinite(score);
    for (let k = 0; k < 3; k++) {
      const T = ts[k] as number;
      const above = valid && (score as number) >= T;
      const below = valid && (score as number) < T - margin;
      this.aboveSince[k] = above ? (this.aboveSince[k] ?? tS) : null;
      this.belowSince[k] = below ? (this.belowSince[k] ?? tS) : null;
    }
    let rise = 0;
    for (let k = 0; k < 3; k++) {
      const since = this.aboveSince[k];
      if (since !== null && since !== undefined && tS - since >= riseDwellS) rise = k + 1;
    }
    if (rise > this.index) this.index = rise;
    else {
      while (this.index > 0) {
        const since = this.belowSince[this.index - 1];
        if (since === null || since === undefined || tS - since < fallDwellS) break;
        this.index--;
      }
    }
    const level = this.level;
    return { level, previous, changed: level !== previous };
  }
}
