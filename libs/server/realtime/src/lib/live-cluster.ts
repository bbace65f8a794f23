import { Logger } from '@nestjs/common';
import { createAdapter, type RedisAdapter } from '@socket.io/redis-adapter';
import Redis from 'ioredis';
import type { Namespace } from 'socket.io';
import { ClusterBus, type ClusterAnswer, type ClusterHandler, type ClusterReply, type ClusterRequest, type ClusterTopic } from '@crowdsafe/server-core';

/** Time every other process has to answer a cluster request (the adapter's requestsTimeout). */
export const CLUSTER_REQUEST_TIMEOUT_MS = 5000;
/** How often a process refreshes its view of the rooms joined on OTHER replicas (frame watchers). */
export const REMOTE_ROOMS_REFRESH_MS = 1000;

/**
 * socket.io across api replicas (distributed mode): the Redis adapter relays every room emit (metrics_update,
 * camera_status, frame, alert) to the sockets of all replicas, so a console connected to a replica that runs no
 * camera still gets every camera's events. It also answers "does anyone, on any replica, watch this camera's
 * frames?" from a cached set of all replicas' rooms (refreshed every second; `allRooms()` asks every node over
 * Redis), so the camera owner encodes live frames only while someone watches somewhere.
 *
 * Redis outages: ioredis reconnects by itself; while Redis is down, emits reach only this replica's sockets and
 * the remote room cache keeps its last value (frames keep being encoded for a watcher that may have left, never
 * the reverse for more than one refresh after Redis returns).
 *
 * It is also the deployment's ClusterBus: requests ride on socket.io's server-side emits with acknowledgements
 * (one Redis round trip to every other replica), so no second messaging layer is needed.
 */
export class LiveCluster extends ClusterBus {
  private readonly logger = new Logger('LiveCluster');
  private readonly pub: Redis;
  private readonly sub: Redis;
  private adapter?: RedisAdapter;
  private remoteRooms = new Set<string>();
  private timer?: NodeJS.Timeout;
  private refreshing = false;
  private lastError = '';
  private namespace?: Namespace;
  private readonly handlers = new Map<string, ClusterHandler<ClusterTopic>>();

  constructor(
    url: string,
    private readonly key: string,
  ) {
    super();
    const onError = (e: Error) => {
      if (e.message === this.lastError) return;
      this.lastError = e.message;
      this.logger.warn(`Redis (socket.io adapter): ${e.message}`);
    };
    this.pub = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
    this.sub = this.pub.duplicate();
    this.pub.on('error', onError);
    this.sub.on('error', onError);
    this.pub.on('ready', () => (this.lastError = ''));
  }

  /** Installs the Redis adapter on the gateway's namespace (before any client joins). */
  attach(namespace: Namespace): void {
    const server = namespace.server;
    server.adapter(createAdapter(this.pub, this.sub, { key: this.key, requestsTimeout: CLUSTER_REQUEST_TIMEOUT_MS }));
    this.adapter = namespace.adapter as unknown as RedisAdapter;
    this.namespace = namespace;
    for (const [topic, handler] of this.handlers) this.listen(topic, handler);
    this.timer = setInterval(() => void this.refresh(), REMOTE_ROOMS_REFRESH_MS);
    this.timer.unref();
    this.logger.log(`live events shared across replicas through Redis (channel prefix ${this.key})`);
  }

  /** True when a socket on any replica is in the room, as of the last refresh (this replica's rooms are exact). */
  hasRemote(room: string): boolean {
    return this.remoteRooms.has(room);
  }

  async request<T extends ClusterTopic>(topic: T, request: ClusterRequest<T>): Promise<ClusterReply<T>> {
    if (!this.namespace || this.pub.status !== 'ready') return { answers: [], complete: false };
    // The callback form keeps the answers that did come when some process does not answer in time (a process that
    // just died, a stalled one): the promise form (serverSideEmitWithAck) drops them with its rejection, so one dead
    // peer would blank every routed answer until Redis forgets its subscription.
    const ns = this.namespace as unknown as { serverSideEmit(ev: string, arg: unknown, ack: (err: Error | null, responses?: unknown[]) => void): void };
    const { err, responses } = await new Promise<{ err: Error | null; responses: unknown[] }>((resolve) => {
      try {
        ns.serverSideEmit(topic, request, (e, r) => resolve({ err: e ?? null, responses: Array.isArray(r) ? r : [] }));
      } catch (e) {
        resolve({ err: e instanceof Error ? e : new Error(String(e)), responses: [] });
      }
    });
    const answers = responses.filter((a): a is ClusterAnswer<T> => a !== null && a !== undefined);
    if (err) this.logger.warn(`cluster request ${topic} got no complete answer (${answers.length} answer(s) kept): ${err.message}`);
    return { answers, complete: !err };
  }

  handle<T extends ClusterTopic>(topic: T, handler: ClusterHandler<T>): void {
    this.handlers.set(topic, handler as unknown as ClusterHandler<ClusterTopic>);
    if (this.namespace) this.listen(topic, handler as unknown as ClusterHandler<ClusterTopic>);
  }

  private listen(topic: string, handler: ClusterHandler<ClusterTopic>): void {
    const ns = this.namespace as unknown as { removeAllListeners(e: string): void; on(e: string, l: (...args: unknown[]) => void): void };
    ns.removeAllListeners(topic);
    ns.on(topic, (request: unknown, ack?: unknown) => {
      if (typeof ack !== 'function') return;
      handler(request as ClusterRequest<ClusterTopic>).then(
        (answer) => ack(answer ?? null),
        (err: unknown) => {
          this.logger.warn(`cluster handler ${topic} failed: ${err instanceof Error ? err.message : String(err)}`);
          ack(null);
        },
      );
    });
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    // The adapter was closed with the socket.io server (it unsubscribes then); only the connections are left.
    await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
  }

  private async refresh(): Promise<void> {
    if (this.refreshing || !this.adapter || this.pub.status !== 'ready') return;
    this.refreshing = true;
    try {
      this.remoteRooms = await this.adapter.allRooms();
    } catch {
      // A replica that does not answer in time: keep the last view and try again next second.
    } finally {
      this.refreshing = false;
    }
  }
}
