// Tracker option grid on cached detections (see tune-mot.ts for how to make them): TUD-Campus at the source rate
// and at 5 fps, camera confidence 0.25 and 0.5, plus MOT17-02 frames 1-4 (4 frames: recall/precision only).
//   node -r ./tools/ts-register.js libs/server/vision/src/lib/tracking/bench/tune-grid.ts <shared/data> <tud.json> <mot17.json> \
//     '[["name", {"opts": {"activateThresh": 0.6}, "output": "activated", "low": true}], ...]'
// Cells: IDF1/MOTA/IDSW/ids per TUD case; recall/precision/ids per MOT17 case.
import { join } from 'node:path';
import type { BotSortOptions } from '../types';
import { loadCase, runCase } from './tune-mot';

interface GridConfig {
  opts?: Partial<BotSortOptions>;
  output?: 'confirmed' | 'activated' | 'confirmed-from-activation';
  low?: boolean;
}

const [D, tudDets, m17Dets, grid] = process.argv.slice(2);
const tud = loadCase(tudDets, join(D, 'mot/TUD-Campus/gt/gt.txt'), join(D, 'mot/TUD-Campus/seqinfo.ini'));
const m17 = loadCase(m17Dets, join(D, 'mot/MOT17-02-FRCNN_frames1-4/gt/gt.txt'), join(D, 'mot/MOT17-02-FRCNN_frames1-4/seqinfo.ini'));
const configs = JSON.parse(grid) as Array<[string, GridConfig]>;
console.log('config'.padEnd(28), 'TUD 25fps c.25 | 25fps c.5 | 5fps c.25 | 5fps c.5 (IDF1/MOTA/IDSW/ids) | MOT17 c.25 | c.5 (recall/precision/ids)');
for (const [name, cfg] of configs) {
  const run = { low: !!cfg.low, output: cfg.output ?? 'confirmed-from-activation', opts: cfg.opts ?? {} } as const;
  const cells: string[] = [];
  for (const fps of [undefined, 5]) {
    for (const conf of [0.25, 0.5]) {
      const { metrics: m, ids } = runCase(tud, { ...run, fps, conf });
      cells.push(`${m.idf1.toFixed(3)}/${m.mota.toFixed(2)}/${m.idsw}/${ids}`);
    }
  }
  for (const conf of [0.25, 0.5]) {
    const { metrics: m, ids } = runCase(m17, { ...run, conf });
    cells.push(`${m.recall.toFixed(2)}/${m.precision.toFixed(2)}/${ids}`);
  }
  console.log(name.padEnd(28), cells.join('  '));
}
