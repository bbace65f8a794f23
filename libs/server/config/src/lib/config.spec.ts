import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseEnv } from './config';
import { EnvSchema } from './env.schema';

const ALL_VARS = [...new Set([...Object.keys(new EnvSchema()), 'DATABASE_URL', 'REDIS_URL', 'SQLITE_PATH'])];

describe('loadConfig', () => {
  it('empty environment -> embedded defaults', () => {
    const c = loadConfig({}, '/srv/cs');
    expect(c.embedded).toBe(true);
    expect(c.database).toEqual({ type: 'sqlite', path: '/srv/cs/data/crowdsafe.sqlite', connectTimeoutS: 10 });
    expect(c.queue.redisUrl).toBeUndefined();
    expect(c.inference.modelPath).toBe('/srv/cs/models/yolo11n.onnx');
    expect(c.inference.confidence).toBe(0.5);
    expect(c.inference.iou).toBe(0.7);
    expect(c.cameras.sampleVideo).toBe('/srv/cs/media/sample.mp4');
    expect(c.port).toBe(3000);
    expect(c.dense).toEqual({ modelPath: null, maxSide: 1024, threads: 0, intervalMs: 1000 });
  });

  it.each([
    { name: 'unset -> dense model off', env: {}, dense: { modelPath: null, maxSide: 1024, threads: 0, intervalMs: 1000 } },
    { name: 'blank path -> off', env: { FIDT_MODEL_PATH: '  ' }, dense: { modelPath: null, maxSide: 1024, threads: 0, intervalMs: 1000 } },
    {
      name: 'relative path resolved, numbers parsed',
      env: { FIDT_MODEL_PATH: 'models/fidt_light_B.onnx', FIDT_MAX_SIDE: '640', FIDT_THREADS: '2', DENSITY_INTERVAL_MS: '5000' },
      dense: { modelPath: '/srv/cs/models/fidt_light_B.onnx', maxSide: 640, threads: 2, intervalMs: 5000 },
    },
    { name: 'absolute path kept', env: { FIDT_MODEL_PATH: '/m/f.onnx' }, dense: { modelPath: '/m/f.onnx', maxSide: 1024, threads: 0, intervalMs: 1000 } },
  ])('dense counting config: $name', ({ env, dense }) => {
    expect(loadConfig(env, '/srv/cs').dense).toEqual(dense);
  });

  it.each([
    { name: 'DATABASE_URL -> postgres, not embedded', env: { DATABASE_URL: 'postgres://u:p@db:5432/x' }, embedded: false, db: 'postgres' },
    { name: 'REDIS_URL alone -> not embedded, sqlite', env: { REDIS_URL: 'redis://r:6379' }, embedded: false, db: 'sqlite' },
    { name: 'empty strings count as unset', env: { DATABASE_URL: '', REDIS_URL: ' ' }, embedded: true, db: 'sqlite' },
  ])('$name', ({ env, embedded, db }) => {
    const c = loadConfig(env, '/x');
    expect(c.embedded).toBe(embedded);
    expect(c.database.type).toBe(db);
  });

  it.each([
    { name: 'port out of range', env: { PORT: '70000' }, names: ['PORT'] },
    { name: 'port not a number', env: { PORT: 'abc' }, names: ['PORT'] },
    { name: 'confidence above 1', env: { DETECT_CONFIDENCE: '1.5' }, names: ['DETECT_CONFIDENCE'] },
    { name: 'bad database scheme', env: { DATABASE_URL: 'mysql://x' }, names: ['DATABASE_URL'] },
    { name: 'bad redis scheme', env: { REDIS_URL: 'http://x' }, names: ['REDIS_URL'] },
    { name: 'bad boolean', env: { SAMPLE_CAMERA: 'maybe' }, names: ['SAMPLE_CAMERA'] },
    { name: 'unknown execution provider', env: { EXECUTION_PROVIDER: 'tpu' }, names: ['EXECUTION_PROVIDER'] },
    { name: 'FIDT max side too small', env: { FIDT_MAX_SIDE: '128' }, names: ['FIDT_MAX_SIDE'] },
    { name: 'FIDT max side too large', env: { FIDT_MAX_SIDE: '5000' }, names: ['FIDT_MAX_SIDE'] },
    { name: 'FIDT threads negative', env: { FIDT_THREADS: '-1' }, names: ['FIDT_THREADS'] },
    { name: 'density interval too short', env: { DENSITY_INTERVAL_MS: '100' }, names: ['DENSITY_INTERVAL_MS'] },
    { name: 'density interval not a number', env: { DENSITY_INTERVAL_MS: 'often' }, names: ['DENSITY_INTERVAL_MS'] },
    { name: 'two bad values are both named', env: { PORT: '0', FRAME_QUEUE_SIZE: '0' }, names: ['PORT', 'FRAME_QUEUE_SIZE'] },
  ])('rejects $name, naming the variable', ({ env, names }) => {
    let error: unknown;
    try {
      parseEnv(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    for (const n of names) expect((error as ConfigError).message).toContain(n);
    expect((error as ConfigError).message).not.toContain('\n');
  });

  // ---- security ----
  it.each([
    { name: 'defaults', env: {}, problem: null },
    { name: 'a malformed SECRETS_KEY', env: { SECRETS_KEY: 'short' }, problem: 'SECRETS_KEY' },
    { name: 'a malformed SECRETS_PREVIOUS_KEYS entry', env: { SECRETS_PREVIOUS_KEYS: `${Buffer.alloc(32).toString('base64')},nope` }, problem: 'SECRETS_PREVIOUS_KEYS' },
    { name: 'production without SECRETS_KEY', env: { NODE_ENV: 'production' }, problem: 'SECRETS_KEY' },
    { name: 'a TRUSTED_PROXIES entry that is no IP/CIDR', env: { TRUSTED_PROXIES: '10.0.0.0/8, proxy.local' }, problem: 'TRUSTED_PROXIES' },
    { name: 'a CIDR prefix out of range', env: { TRUSTED_PROXIES: '10.0.0.0/33' }, problem: 'TRUSTED_PROXIES' },
    { name: 'rate limit zero', env: { RATE_LIMIT_API_PER_MIN: '0' }, problem: 'RATE_LIMIT_API_PER_MIN' },
  ])('security config: $name', ({ env, problem }) => {
    if (problem === null) {
      expect(loadConfig(env, '/x').security).toEqual({
        rateLimit: { enabled: true, apiPerMinute: 100, loginPerMinute: 5 },
        trustedProxies: [],
        secretsKey: null,
        previousSecretsKeys: [],
        logRetentionDays: 90,
      });
      return;
    }
    expect(() => loadConfig(env, '/x')).toThrow(ConfigError);
    expect(() => loadConfig(env, '/x')).toThrow(problem);
  });

  // ---- live HLS rendition size ----
  it.each([
    { name: 'default', env: {}, maxHeight: 540, problem: null },
    { name: 'a lower bound for a busy host', env: { LIVE_HLS_MAX_HEIGHT: '360' }, maxHeight: 360, problem: null },
    { name: 'not a number', env: { LIVE_HLS_MAX_HEIGHT: 'tall' }, maxHeight: null, problem: 'LIVE_HLS_MAX_HEIGHT' },
    { name: 'too small', env: { LIVE_HLS_MAX_HEIGHT: '100' }, maxHeight: null, problem: 'LIVE_HLS_MAX_HEIGHT' },
    { name: 'not an integer', env: { LIVE_HLS_MAX_HEIGHT: '360.5' }, maxHeight: null, problem: 'LIVE_HLS_MAX_HEIGHT' },
    { name: 'above 2160', env: { LIVE_HLS_MAX_HEIGHT: '4320' }, maxHeight: null, problem: 'LIVE_HLS_MAX_HEIGHT' },
  ])('live HLS max height: $name', ({ env, maxHeight, problem }) => {
    if (problem === null) {
      expect(loadConfig(env, '/x').recordings.hls).toMatchObject({ maxWidth: 960, maxHeight, fps: 15 });
      return;
    }
    expect(() => loadConfig(env, '/x')).toThrow(ConfigError);
    expect(() => loadConfig(env, '/x')).toThrow(problem);
  });

  it('parses TRUSTED_PROXIES and keys', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const c = loadConfig({ TRUSTED_PROXIES: 'loopback, 10.0.0.0/8,fd00::1', SECRETS_KEY: key, SECRETS_PREVIOUS_KEYS: `${key}, ${key}` }, '/x');
    expect(c.security.trustedProxies).toEqual(['loopback', '10.0.0.0/8', 'fd00::1']);
    expect(c.security.secretsKey).toBe(key);
    expect(c.security.previousSecretsKeys).toEqual([key, key]);
  });

  it('parses booleans and numbers', () => {
    const e = parseEnv({ SAMPLE_CAMERA: 'false', CAMERAS_ENABLED: '0', PORT: '8080', NMS_IOU: '0.45' });
    expect(e.SAMPLE_CAMERA).toBe(false);
    expect(e.CAMERAS_ENABLED).toBe(false);
    expect(e.PORT).toBe(8080);
    expect(e.NMS_IOU).toBe(0.45);
  });

  it('.env.example lists every variable and nothing else', () => {
    const text = readFileSync(join(__dirname, '../../../../../.env.example'), 'utf8');
    const listed = [...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect([...new Set(listed)].sort()).toEqual([...ALL_VARS].sort());
  });
});
