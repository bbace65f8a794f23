import { rendezvousOwner } from './rendezvous';
import type { CameraLeases } from './camera-leases';

/** Slack after a heartbeat or lease is due to expire before looking again (Redis expiry is not to the ms). */
export const EXPIRY_SLACK_MS = 30;

/** What the ownership loop drives: the camera supervisor. */
export interface OwnershipHost {
  /** Ids of the cameras that should run somewhere (active in the database). */
  activeCameraIds(): Promise<string[]>;
  /** Runs a camera this node now holds the lease of. */
  startOwned(cameraId: string): Promise<void>;
  /** Stops a camera this node no longer holds. */
  stopOwned(cameraId: string): Promise<void>;
  log(message: string): void;
  warn(message: string): void;
}

export interface OwnershipStatus {
  nodeId: string;
  nodes: string[];
  owned: Array<{ cameraId: string; token: number }>;
}

/**
 * One owner per camera across camera processes (distributed mode). Every tick (a quarter of the lease TTL) each node:
 * heartbeats and reads the live nodes; for every active camera, the rendezvous owner among them takes the lease when
 * it is free and starts the camera, renews it while it runs, and hands it back (release + stop) when the node list
 * says another node should have it (a node joined); a lease it failed to renew (stalled past the TTL, Redis lost)
 * stops the camera at once. When a node dies its heartbeat and leases expire after the TTL and the survivors, now
 * the rendezvous owners of its cameras, take them over. A node does not wait for its next tick for that: each tick
 * learns when the first other node's heartbeat (and a lease it wants) runs out and ticks again right then, so a dead
 * node's cameras are taken within the TTL of its last renewal (3/4 TTL to TTL after the kill) plus their start, and
 * their leases are taken together (one round trip each, in parallel) and their starts run in parallel.
 * While Redis is unreachable nothing is renewed: a node stops its cameras once their leases would have expired,
 * because another node may already have taken them.
 */
export class CameraOwnership {
  private readonly held = new Map<string, { token: number; renewedAt: number }>();
  private nodes: string[] = [];
  private timer?: NodeJS.Timeout;
  /** One early tick, due when another node's heartbeat or a wanted lease expires before the next regular tick. */
  private early?: { at: number; timer: NodeJS.Timeout };
  private running?: Promise<void>;
  private stopped = false;
  /** Camera starts begun by the current tick (awaited at boot only, so a process is up with its cameras running). */
  private starting: Array<Promise<void>> = [];

  constructor(
    private readonly leases: CameraLeases,
    private readonly host: OwnershipHost,
    private readonly now: () => number = Date.now,
  ) {}

  get tickMs(): number {
    return Math.max(250, Math.floor(this.leases.ttlMs / 4));
  }

  /** First tick and its camera starts (awaited: the node boots with its cameras running), then one per tickMs. */
  async start(): Promise<void> {
    await this.tick();
    await Promise.allSettled(this.starting);
    this.starting = [];
    this.timer = setInterval(() => void this.tick(), this.tickMs);
    this.timer.unref();
  }

  /** Releases every lease and leaves the node set (graceful shutdown: the others take over at their next tick). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    if (this.early) clearTimeout(this.early.timer);
    this.early = undefined;
    await this.running;
    for (const [cameraId, { token }] of this.held) {
      await this.host.stopOwned(cameraId).catch((e: unknown) => this.host.warn(`stopping camera ${cameraId}: ${String(e)}`));
      await this.leases.release(cameraId, token).catch(() => undefined);
    }
    this.held.clear();
    await this.leases.leave().catch(() => undefined);
  }

  owns(cameraId: string): boolean {
    return this.held.has(cameraId);
  }

  fenceOf(cameraId: string): number | undefined {
    return this.held.get(cameraId)?.token;
  }

  status(): OwnershipStatus {
    return { nodeId: this.leases.nodeId, nodes: [...this.nodes], owned: [...this.held].map(([cameraId, h]) => ({ cameraId, token: h.token })) };
  }

  /** Re-examines the cameras now (a camera was created, activated or deactivated). */
  reconcile(): Promise<void> {
    return this.tick();
  }

  private tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    // One tick at a time; a request for another while one runs waits for it and then runs.
    const prev = this.running ?? Promise.resolve();
    const next = prev.then(() => this.once()).catch((e: unknown) => this.host.warn(`camera ownership: ${e instanceof Error ? e.message : String(e)}`));
    this.running = next;
    return next;
  }

  private async once(): Promise<void> {
    if (this.stopped) return;
    let active: string[];
    let nextExpiryMs: number | null;
    try {
      ({ nodes: this.nodes, nextExpiryMs } = await this.leases.heartbeat());
      active = await this.host.activeCameraIds();
    } catch (err) {
      await this.expireUnrenewed();
      throw err;
    }
    const wanted = new Set(active);
    const mineNow = (cameraId: string) => wanted.has(cameraId) && rendezvousOwner(cameraId, this.nodes) === this.leases.nodeId;
    // Renewals first and together: nothing slow (a camera starting or stopping) may delay them past the TTL.
    const held = [...this.held];
    await Promise.all(held.filter(([id]) => mineNow(id)).map(([id, h]) => this.renew(id, h.token)));
    for (const [cameraId, { token }] of held) {
      if (!mineNow(cameraId)) this.handOver(cameraId, token, wanted.has(cameraId) ? 'another node is its owner now' : 'deactivated or deleted');
    }
    // Leases to take, together: a dead node's cameras all come back at once, not one round trip after another.
    const toTake = active.filter((cameraId) => !this.held.has(cameraId) && mineNow(cameraId));
    const heldFor = await Promise.all(toTake.map((cameraId) => this.take(cameraId)));
    // Look again the moment something frees up: another node's heartbeat (its cameras may become ours) or a lease
    // still held by a node that died or is handing over.
    const due = [nextExpiryMs, ...heldFor].filter((ms): ms is number => ms !== null);
    if (due.length) this.wakeIn(Math.min(...due) + EXPIRY_SLACK_MS);
  }

  /** An extra tick in `ms` when that is before the next regular one (only while the regular loop runs). */
  private wakeIn(ms: number): void {
    if (!this.timer || this.stopped || ms >= this.tickMs) return;
    const at = this.now() + ms;
    if (this.early && this.early.at <= at) return;
    if (this.early) clearTimeout(this.early.timer);
    const timer = setTimeout(() => {
      this.early = undefined;
      void this.tick();
    }, ms);
    timer.unref();
    this.early = { at, timer };
  }

  /** Takes the lease and starts the camera; null, or how long another node still holds the lease (ms). */
  private async take(cameraId: string): Promise<number | null> {
    const got = await this.leases.acquire(cameraId);
    if (!('token' in got)) return got.heldMs; // still held by a node that died or is handing over: retried then
    const { token } = got;
    this.held.set(cameraId, { token, renewedAt: this.now() });
    this.host.log(`camera ${cameraId}: lease taken (fencing token ${token})`);
    // Not awaited: a camera takes seconds to start (probe, ffmpeg), the loop must keep renewing meanwhile.
    const started = this.host.startOwned(cameraId).catch((err: unknown) => {
      this.host.warn(`camera ${cameraId} did not start: ${err instanceof Error ? err.message : String(err)}`);
    });
    if (!this.timer) this.starting.push(started);
    return null;
  }

  private async renew(cameraId: string, token: number): Promise<void> {
    if (await this.leases.renew(cameraId, token)) {
      this.held.set(cameraId, { token, renewedAt: this.now() });
      return;
    }
    this.held.delete(cameraId);
    this.host.warn(`camera ${cameraId}: lease lost (not renewed in time): stopped here`);
    this.host.stopOwned(cameraId).catch((e: unknown) => this.host.warn(`stopping camera ${cameraId}: ${String(e)}`));
  }

  /** Stops the camera, THEN gives the lease back (never two runners); in the background, the loop goes on. */
  private handOver(cameraId: string, token: number, why: string): void {
    this.held.delete(cameraId);
    void this.host
      .stopOwned(cameraId)
      .then(() => this.leases.release(cameraId, token))
      .then(() => this.host.log(`camera ${cameraId}: lease released (${why})`))
      .catch((e: unknown) => this.host.warn(`handing over camera ${cameraId}: ${String(e)}`));
  }

  /** Redis unreachable: cameras whose lease has run out since its last renewal may belong to someone else now. */
  private async expireUnrenewed(): Promise<void> {
    const now = this.now();
    for (const [cameraId, h] of [...this.held]) {
      if (now - h.renewedAt < this.leases.ttlMs) continue;
      this.held.delete(cameraId);
      this.host.warn(`camera ${cameraId}: lease could not be renewed (Redis unreachable): stopped here`);
      await this.host.stopOwned(cameraId).catch(() => undefined);
    }
  }
}
