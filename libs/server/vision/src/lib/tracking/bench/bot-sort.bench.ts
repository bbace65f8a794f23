// Per-frame BoT-SORT update time on synthetic crowds (not a test: timings depend on the machine).
//   node -r ./tools/ts-register.js libs/server/vision/src/lib/tracking/bench/bot-sort.bench.ts [people...]
// Each scene: N people random-walking in a 1920x1080 frame (boxes ~30-60 x 80-150 px, 0.5-3 px/frame, detection
// jitter +-2 px, 5% missed detections, 10% low-score detections, 1% of people replaced by newcomers per frame).
import { BotSortTracker } from '../bot-sort';
import { scene } from './scene';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function bench(people: number): void {
  const warmup = 200;
  const measured = 1000;
  const input = scene(people, warmup + measured, people);
  const tracker = new BotSortTracker();
  const times: number[] = [];
  let confirmed = 0;
  let pool = 0;
  for (let f = 0; f < input.length; f++) {
    const t0 = performance.now();
    const out = tracker.update(input[f]);
    const dt = performance.now() - t0;
    if (f >= warmup) {
      times.push(dt);
      confirmed += out.tracks.length;
      const s = tracker.stats;
      pool += s.tracked + s.tentative + s.lost;
    }
  }
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  times.sort((a, b) => a - b);
  const fmt = (v: number): string => v.toFixed(3).padStart(7);
  console.log(
    `${String(people).padStart(4)} people | ms/frame mean ${fmt(mean)} p50 ${fmt(percentile(times, 50))} ` +
      `p95 ${fmt(percentile(times, 95))} max ${fmt(times[times.length - 1])} | ` +
      `confirmed/frame ${(confirmed / measured).toFixed(1)}, retained tracks ${(pool / measured).toFixed(0)}, ` +
      `ids issued ${tracker.stats.nextId - 1}`,
  );
}

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
for (const n of sizes.length ? sizes : [50, 300]) bench(n);
