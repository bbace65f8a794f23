// Per-frame BoT-SORT update time on synthetic crowds (not a test: timings depend on the machine).
//   node -r ./tools/ts-register.js libs/server/vision/src/lib/tracking/bench/bot-sort.bench.ts [people...]
// Each scene: N people random-walking in a 1920x1080 frame (boxes ~30-60 x 80-150 px, 0.5-3 px/frame, detection
// jitter +-2 px, 5% missed detections, 10% low-score detections, 1% of people replaced by newcomers per frame).
import type { Detection } from '@crowdsafe/contracts';
import { BotSortTracker } from '../bot-sort';
import { prng } from '../testing/prng.test-util';

interface Person {
  x: number;
  y: number;
  w: number;
  h: number;
  vx: number;
  vy: number;
}

function scene(people: number, frames: number, seed: number): Detection[][] {
  const rand = prng(seed);
  const spawn = (): Person => {
    const speed = 0.5 + rand() * 2.5;
    const angle = rand() * 2 * Math.PI;
    return {
      x: rand() * 1920,
      y: rand() * 1080,
      w: 30 + rand() * 30,
      h: 80 + rand() * 70,
      vx: speed * Math.cos(angle),
      vy: speed * Math.sin(angle),
    };
  };
  const crowd = Array.from({ length: people }, spawn);
  const out: Detection[][] = [];
  for (let f = 0; f < frames; f++) {
    const dets: Detection[] = [];
    for (let i = 0; i < crowd.length; i++) {
      const p = crowd[i];
      if (rand() < 0.01) crowd[i] = spawn();
      p.vx += (rand() - 0.5) * 0.2;
      p.vy += (rand() - 0.5) * 0.2;
      p.x = (p.x + p.vx + 1920) % 1920;
      p.y = (p.y + p.vy + 1080) % 1080;
      if (rand() < 0.05) continue;
      const jx = (rand() - 0.5) * 4;
      const jy = (rand() - 0.5) * 4;
      const score = rand() < 0.1 ? 0.12 + rand() * 0.12 : 0.3 + rand() * 0.65;
      dets.push({
        box: { x1: p.x - p.w / 2 + jx, y1: p.y - p.h / 2 + jy, x2: p.x + p.w / 2 + jx, y2: p.y + p.h / 2 + jy },
        score,
        classId: 0,
      });
    }
    out.push(dets);
  }
  return out;
}

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
