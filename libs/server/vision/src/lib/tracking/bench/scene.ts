// Synthetic crowd scenes for tracker benchmarks: N people random-walking in a 1920x1080 frame (boxes ~30-60 x
// 80-150 px, 0.5-3 px/frame, detection jitter +-2 px, 5% missed detections, 10% low-score detections, 1% of people
// replaced by newcomers per frame). Deterministic for a given seed.
import type { Detection } from '@crowdsafe/contracts';
import { prng } from '../testing/prng.test-util';

interface Person {
  x: number;
  y: number;
  w: number;
  h: number;
  vx: number;
  vy: number;
}

export function scene(people: number, frames: number, seed: number): Detection[][] {
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

