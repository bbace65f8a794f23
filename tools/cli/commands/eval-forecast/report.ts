// Markdown tables of backtest results (pure).
import type { BacktestRow, ErrorStats, ForecastMethod } from './backtest';

/** 3 significant digits ('—' for null; float round-off below 1e-12 reads '<1e-12'). */
export function sig3(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  if (v === 0) return '0';
  if (Math.abs(v) < 1e-12) return '<1e-12';
  return String(Number(v.toPrecision(3)));
}

/** A share as a whole percent ('—' for null). */
export function pct(v: number | null): string {
  return v === null || !Number.isFinite(v) ? '—' : `${Math.round(v * 100)} %`;
}

/** `MAE (x % of level)` when the level is known and > 0. */
function maeCell(s: ErrorStats, level: number | null): string {
  if (s.mae === null) return '—';
  return level && level > 0 ? `${sig3(s.mae)} (${Math.round((s.mae / level) * 100)} %)` : sig3(s.mae);
}

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export const RESULT_HEADER = [
  'series', 'h (s)', 'n', 'Theil–Sen MAE', 'RMSE', '95 % cov.', 'bias', 'persistence MAE', 'RMSE', 'mean MAE', 'RMSE',
] as const;

/**
 * One table row per horizon of a backtest: `label` names the series (with its unit), `level` (its mean) turns MAEs
 * into a share too. A horizon no origin reached reads "too short".
 */
export function resultRows(label: string, level: number | null, rows: readonly BacktestRow[], horizonLabel: (h: number) => string = String): string[][] {
  const horizons = [...new Set(rows.map((r) => r.horizonS))];
  return horizons.map((h) => {
    const get = (m: ForecastMethod): ErrorStats =>
      rows.find((r) => r.horizonS === h && r.method === m)?.stats ?? { n: 0, mae: null, rmse: null, bias: null, coverage: null };
    const ts = get('theil-sen');
    const p = get('persistence');
    const m = get('mean');
    if (ts.n === 0 && p.n === 0) return [label, horizonLabel(h), '0', 'clip too short', '', '', '', '', '', '', ''];
    const n = ts.n === p.n ? String(p.n) : `${p.n} (Theil–Sen ${ts.n})`;
    return [label, horizonLabel(h), n, maeCell(ts, level), sig3(ts.rmse), pct(ts.coverage), sig3(ts.bias), maeCell(p, level), sig3(p.rmse), maeCell(m, level), sig3(m.rmse)];
  });
}
