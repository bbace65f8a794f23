import type { CrowdAnalyzer } from '@crowdsafe/analytics';
import type { LiveHeatmapAnswer, LiveHeatmapGrid } from '@crowdsafe/pipeline';

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

/**
 * A running camera's spatial heatmap answer from its analyzer (null: analytics off or uncalibrated, see status): the
 * grid with values rounded to 4 decimals (JSON), or the PNG (base64, so that it crosses the cluster bus as JSON).
 */
export function liveHeatmapOf(
  analyzer: Pick<CrowdAnalyzer, 'heatmap' | 'heatmapPng'> | null,
  status: { state: string; reason?: string },
  layer: 'live' | 'total',
  format: 'json' | 'png',
): LiveHeatmapAnswer {
  if (!analyzer) return { kind: 'no-analytics', state: status.state, ...(status.reason ? { reason: status.reason } : {}) };
  if (format === 'png') return { kind: 'png', pngBase64: Buffer.from(analyzer.heatmapPng({ layer })).toString('base64') };
  const h = analyzer.heatmap();
  const src = layer === 'total' ? h.totalPersonSeconds : h.live;
  let max = 0;
  const values = Array.from(src, (v) => {
    if (v > max) max = v;
    return round4(v);
  });
  const { space, originX, originY, cell, cols, rows } = h.grid;
  const grid: LiveHeatmapGrid = { layer, space, originX, originY, cell, cols, rows, halfLifeMs: h.halfLifeMs, max: round4(max), values };
  return { kind: 'json', grid };
}
