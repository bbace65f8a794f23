/**
 * Frame transport through Redis: raw RGB24 vs JPEG, per 1280x720 frame (decides RedisFrameStore's format).
 *   node -r ./tools/ts-register.js libs/server/ai/src/bench/frame-transport.bench.ts \
 *     [redis://127.0.0.1:6379] [video] [iterations]
 * Decodes one real frame with ffmpeg, then times (median and mean over the iterations, after 5 warm-ups):
 *   raw:  SET PX + GET of the RGB bytes
 *   jpeg: sharp encode (q 90 and q 75) + SET PX + GET + sharp decode back to RGB, then encode and decode alone
 * Runs for a few seconds; keys use a unique prefix and expire after 10 s.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import Redis from 'ioredis';
import sharp from 'sharp';

const [url = 'redis://127.0.0.1:6379', video = resolve(__dirname, '../../../../../../shared/data/videos/hall_topdown_1280x720_25fps_reencoded.mp4'), itArg = '40'] =
  process.argv.slice(2);
// Any video works: the frame is scaled to 1280x720.
const iterations = Number(itArg);
const W = 1280;
const H = 720;

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return `median ${s[Math.floor(s.length / 2)].toFixed(2)} ms, mean ${mean.toFixed(2)} ms, p90 ${s[Math.floor(s.length * 0.9)].toFixed(2)} ms`;
}

async function time(n: number, fn: (i: number) => Promise<void>): Promise<number[]> {
  for (let i = 0; i < 5; i++) await fn(-1 - i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

async function main(): Promise<void> {
  const rgb = execFileSync('ffmpeg', ['-v', 'error', '-i', video, '-vf', `select=eq(n\\,50),scale=${W}:${H}`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
    maxBuffer: 64 << 20,
  });
  if (rgb.length !== W * H * 3) throw new Error(`expected ${W * H * 3} bytes from ffmpeg, got ${rgb.length}`);
  const redis = new Redis(url);
  const prefix = `bench-${process.pid}-${Date.now()}`;
  try {
    console.log(`frame ${W}x${H} RGB24 = ${(rgb.length / 1e6).toFixed(2)} MB, ${iterations} iterations, redis ${url}`);
    const raw = await time(iterations, async (i) => {
      const key = `${prefix}:raw:${i}`;
      await redis.set(key, rgb, 'PX', 10000);
      const back = await redis.getBuffer(key);
      if (!back || back.length !== rgb.length) throw new Error('raw round trip failed');
    });
    console.log(`raw   SET+GET                        ${stats(raw)}`);
    for (const quality of [90, 75]) {
      let size = 0;
      const jpeg = await time(iterations, async (i) => {
        const key = `${prefix}:jpeg${quality}:${i}`;
        const enc = await sharp(rgb, { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality }).toBuffer();
        size = enc.length;
        await redis.set(key, enc, 'PX', 10000);
        const back = await redis.getBuffer(key);
        if (!back) throw new Error('jpeg round trip failed');
        const dec = await sharp(back).removeAlpha().raw().toBuffer();
        if (dec.length !== rgb.length) throw new Error(`decoded ${dec.length} bytes`);
      });
      console.log(`jpeg  q${quality} encode+SET+GET+decode     ${stats(jpeg)}, ${(size / 1e6).toFixed(3)} MB stored`);
      const enc = await time(iterations, async () => {
        await sharp(rgb, { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality }).toBuffer();
      });
      const jpg = await sharp(rgb, { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality }).toBuffer();
      const dec = await time(iterations, async () => {
        await sharp(jpg).removeAlpha().raw().toBuffer();
      });
      console.log(`        encode only (api side)        ${stats(enc)}`);
      console.log(`        decode only (worker side)     ${stats(dec)}`);
    }
  } finally {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
