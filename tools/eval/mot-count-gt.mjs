#!/usr/bin/env node
// Per-frame people counts from a MOTChallenge gt.txt, in the annotations format `crowdsafe eval count --gt` reads:
//   node tools/eval/mot-count-gt.mjs <seq>/gt/gt.txt [--min-visibility 0.25] > counts.json
// Frame f becomes image `%06d.jpg` (the MOT img1/ naming; extract video frames with
// `ffmpeg -i seq.mp4 -start_number 1 -q:v 2 dir/%06d.jpg`). MOT17 rows (9 columns): only considered pedestrians
// (mark 1, class 1) at or above the visibility; MOT15 rows (all people, no class/visibility) all count.
import { readFileSync } from 'node:fs';

const [, , path, ...rest] = process.argv;
if (!path) {
  console.error('usage: mot-count-gt.mjs <gt.txt> [--min-visibility V]');
  process.exit(2);
}
const i = rest.indexOf('--min-visibility');
const minVis = i >= 0 ? Number(rest[i + 1]) : 0.25;
const counts = new Map();
for (const line of readFileSync(path, 'utf8').split('\n')) {
  const c = line.trim().split(',').map(Number);
  if (c.length < 6 || !Number.isFinite(c[0])) continue;
  const frame = c[0];
  if (!counts.has(frame)) counts.set(frame, 0);
  const mot17 = c.length >= 9 && c[7] >= 1 && c[7] <= 12 && c[8] >= 0 && c[8] <= 1;
  if (mot17 && (c[6] !== 1 || c[7] !== 1 || c[8] < minVis)) continue;
  counts.set(frame, counts.get(frame) + 1);
}
const images = [...counts.keys()].sort((a, b) => a - b).map((f) => ({ image: `${String(f).padStart(6, '0')}.jpg`, count: counts.get(f) }));
process.stdout.write(JSON.stringify({ source: path, minVisibility: minVis, images }, null, 1) + '\n');
