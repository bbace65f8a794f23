import { CameraOwnership, type OwnershipHost } from './camera-ownership';
import type { CameraLeases } from './camera-leases';
import { rendezvousOwner } from './rendezvous';

/** Leases and node liveness in memory, with a clock the test moves (the Redis scripts' semantics). */
class FakeRedis {
  now = 0;
  readonly beats = new Map<string, number>();
  readonly leases = new Map<string, { node: string; token: number; until: number }>();
  readonly fences = new Map<string, number>();
  down = false;
}

function leasesFor(r: FakeRedis, nodeId: string, ttlMs = 8000): CameraLeases {
  const live = (id: string) => {
    const l = r.leases.get(id);
    return l && l.until > r.now ? l : undefined;
  };
  const check = () => {
    if (r.down) throw new Error('redis down');
  };
  return {
    nodeId,
    ttlMs,
    heartbeat: async () => {
      check();
      r.beats.set(nodeId, r.now);
      for (const [n, t] of r.beats) if (t <= r.now - ttlMs) r.beats.delete(n);
      const others = [...r.beats].filter(([n]) => n !== nodeId).map(([, t]) => t + ttlMs - r.now);
      return { nodes: [...r.beats.keys()].sort(), nextExpiryMs: others.length ? Math.min(...others) : null };
    },
    leave: async () => void r.beats.delete(nodeId),
    acquire: async (id: string) => {
      check();
      const held = live(id);
      if (held) return { heldMs: held.until - r.now };
      const token = (r.fences.get(id) ?? 0) + 1;
      r.fences.set(id, token);
      r.leases.set(id, { node: nodeId, token, until: r.now + ttlMs });
      return { token };
    },
    renew: async (id: string, token: number) => {
      check();
      const l = live(id);
      if (!l || l.node !== nodeId || l.token !== token) return false;
      l.until = r.now + ttlMs;
      return true;
    },
    release: async (id: string, token: number) => {
      const l = r.leases.get(id);
      if (l && l.node === nodeId && l.token === token) r.leases.delete(id);
    },
    holder: async (id: string) => {
      const l = live(id);
      return l ? { nodeId: l.node, token: l.token } : null;
    },
  } as unknown as CameraLeases;
}

function node(r: FakeRedis, id: string, cameras: () => string[]) {
  const running = new Set<string>();
  const logs: string[] = [];
  const host: OwnershipHost = {
    activeCameraIds: async () => cameras(),
    startOwned: async (c) => void running.add(c),
    stopOwned: async (c) => void running.delete(c),
    log: (m) => logs.push(m),
    warn: (m) => logs.push(m),
  };
  const ownership = new CameraOwnership(leasesFor(r, id), host, () => r.now);
  return { id, ownership, running, logs, tick: () => ownership.reconcile() };
}

const flush = () => new Promise((res) => setImmediate(res));
const CAMS = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];

describe('CameraOwnership', () => {
  it('no camera: holds nothing', async () => {
    const r = new FakeRedis();
    const a = node(r, 'a', () => []);
    await a.tick();
    expect(a.ownership.status()).toEqual({ nodeId: 'a', nodes: ['a'], owned: [] });
  });

  it('alone, a node runs every active camera; a deactivated one is stopped and released', async () => {
    const r = new FakeRedis();
    let cams = [...CAMS];
    const a = node(r, 'a', () => cams);
    await a.tick();
    await flush();
    expect([...a.running].sort()).toEqual(CAMS);
    cams = cams.filter((c) => c !== 'c3');
    await a.tick();
    await flush();
    expect(a.running.has('c3')).toBe(false);
    expect(r.leases.has('c3')).toBe(false);
  });

  it('two nodes split the cameras by rendezvous and never run one twice', async () => {
    const r = new FakeRedis();
    const a = node(r, 'a', () => CAMS);
    const b = node(r, 'b', () => CAMS);
    await a.tick();
    await b.tick(); // b joins: the cameras b wins are handed over by a, then taken by b
    r.now += 2000;
    await a.tick();
    await flush();
    await b.tick();
    await flush();
    for (const c of CAMS) {
      const owner = rendezvousOwner(c, ['a', 'b']);
      expect(a.running.has(c)).toBe(owner === 'a');
      expect(b.running.has(c)).toBe(owner === 'b');
    }
  });

  it('a node that dies: the survivor takes its cameras after the lease TTL, with a larger fencing token', async () => {
    const r = new FakeRedis();
    const a = node(r, 'a', () => CAMS);
    const b = node(r, 'b', () => CAMS);
    for (let i = 0; i < 3; i++) {
      await a.tick();
      await b.tick();
      await flush();
      r.now += 2000;
    }
    const bHad = [...b.running];
    expect(bHad.length).toBeGreaterThan(0);
    const tokens = new Map(bHad.map((c) => [c, r.leases.get(c)?.token ?? 0]));
    // b is killed: no more ticks from it. a ticks every 2 s.
    let t = 0;
    while (a.running.size < CAMS.length && t < 20_000) {
      r.now += 2000;
      t += 2000;
      await a.tick();
      await flush();
    }
    expect(a.running.size).toBe(CAMS.length);
    expect(t).toBeLessThanOrEqual(10_000); // TTL 8 s + one tick
    for (const c of bHad) expect(r.leases.get(c)?.token).toBeGreaterThan(tokens.get(c) ?? 0);
  });

  it('a node that dies, regular loop running: its cameras are taken when its heartbeat expires, not a tick later', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    try {
      const r = new FakeRedis();
      Object.defineProperty(r, 'now', { get: () => Date.now() });
      const a = node(r, 'a', () => CAMS);
      const b = node(r, 'b', () => CAMS);
      await a.ownership.start();
      await jest.advanceTimersByTimeAsync(700); // b ticks 700 ms after a: b's leases expire between a's ticks
      await b.ownership.start();
      // Let both settle (b's join hands cameras over from a), one regular tick each is 2 s (TTL 8 s / 4).
      for (let i = 0; i < 8; i++) await jest.advanceTimersByTimeAsync(500);
      const bHad = CAMS.filter((c) => rendezvousOwner(c, ['a', 'b']) === 'b');
      expect(bHad.length).toBeGreaterThan(0);
      expect([...b.running].sort()).toEqual(bHad);
      // kill -9 of b, just after its tick: b's heartbeat and leases were renewed now.
      const lastBeat = r.beats.get('b') ?? 0;
      await b.ownership.stop().catch(() => undefined); // stop its loop only ...
      for (const c of bHad) r.leases.set(c, { node: 'b', token: r.leases.get(c)?.token ?? 0, until: lastBeat + 8000 }); // ... its leases stay
      r.beats.set('b', lastBeat);
      let tookAt = 0;
      for (let ms = 0; ms < 12_000 && !tookAt; ms += 10) {
        await jest.advanceTimersByTimeAsync(10);
        if (bHad.every((c) => a.running.has(c))) tookAt = Date.now();
      }
      // Taken once b's heartbeat and leases expired (8 s after its last beat), well before the next 2 s tick after.
      expect(tookAt - lastBeat).toBeGreaterThanOrEqual(8000);
      expect(tookAt - lastBeat).toBeLessThan(8000 + 200);
      await a.ownership.stop();
    } finally {
      jest.useRealTimers();
    }
  });

  it('a stalled node whose lease expired and was taken stops the camera at its next tick', async () => {
    const r = new FakeRedis();
    const a = node(r, 'a', () => ['c1']);
    await a.tick();
    await flush();
    expect(a.running.has('c1')).toBe(true);
    // a stalls 9 s; b (alone in the node set by then) takes c1.
    r.now += 9000;
    const b = node(r, 'b', () => ['c1']);
    await b.tick();
    await flush();
    expect(b.running.has('c1')).toBe(true);
    await a.tick(); // a wakes: its renewal fails
    await flush();
    expect(a.running.has('c1')).toBe(false);
    expect(a.logs.join('\n')).toMatch(/lease lost/);
  });

  it('Redis unreachable: cameras stop once their lease could have expired, not before', async () => {
    const r = new FakeRedis();
    const a = node(r, 'a', () => ['c1']);
    await a.tick();
    await flush();
    r.down = true;
    r.now += 4000;
    await a.tick();
    expect(a.running.has('c1')).toBe(true);
    r.now += 5000;
    await a.tick();
    await flush();
    expect(a.running.has('c1')).toBe(false);
  });

  it('stop() releases every lease and leaves, so another node takes over at once', async () => {
    const r = new FakeRedis();
    const a = node(r, 'a', () => CAMS);
    await a.tick();
    await flush();
    await a.ownership.stop();
    expect(a.running.size).toBe(0);
    expect(r.leases.size).toBe(0);
    const b = node(r, 'b', () => CAMS);
    await b.tick();
    await flush();
    expect(b.running.size).toBe(CAMS.length);
  });
});
