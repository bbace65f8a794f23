import { RISK_LEVELS, type RiskLevel } from '@crowdsafe/contracts';

/** SAFE = 0 ... CRITICAL = 3. */
export function levelRank(level: RiskLevel): number {
  return RISK_LEVELS.indexOf(level);
}

export function maxLevel(a: RiskLevel, b: RiskLevel): RiskLevel {
  return levelRank(a) >= levelRank(b) ? a : b;
}
