import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DynamicModule, Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';

/** Process roles of one build: api (HTTP + socket.io), pipeline (owns cameras), worker (inference). */
export type ProcessRole = 'api' | 'pipeline' | 'worker';

/** How often a process proves it is alive, and the age after which `crowdsafe health` calls it unhealthy. */
export const HEARTBEAT_INTERVAL_MS = 5_000;
export const HEARTBEAT_STALE_MS = 30_000;

/** The heartbeat file of a role on this host (one process per role per container): read by `crowdsafe health`. */
export function heartbeatFile(role: ProcessRole): string {
  return join(tmpdir(), 'crowdsafe-health', `${role}.json`);
}

/** The Redis key of a process's heartbeat (TTL HEARTBEAT_STALE_MS): monitoring sees every live process of a role. */
export function heartbeatKey(prefix: string, role: ProcessRole, node = `${hostname()}-${process.pid}`): string {
  return `${prefix}:health:${role}:${node}`;
}

const ROLE = Symbol('PROCESS_ROLE');

/**
 * Health for processes without an HTTP port an orchestrator can probe (pipeline, worker): every
 * HEARTBEAT_INTERVAL_MS the process pings Redis (which it cannot work without) and, when the ping succeeds, refreshes
 * its heartbeat file and a Redis key with a TTL. `./crowdsafe health --role worker|pipeline` (tools/health.mjs) is
 * healthy while the file is younger than HEARTBEAT_STALE_MS: a hung event loop, a crash or a lost Redis all make it
 * stale. The file is removed on a clean shutdown.
 */
@Injectable()
export class ProcessHeartbeat implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Heartbeat');
  private redis?: Redis;
  private timer?: NodeJS.Timeout;
  private readonly file: string;
  private readonly key: string;
  private failing = false;
  beats = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ROLE) readonly role: ProcessRole,
  ) {
    this.file = heartbeatFile(role);
    this.key = heartbeatKey(config.queue.prefix, role);
  }

  onApplicationBootstrap(): void {
    const url = this.config.queue.redisUrl;
    if (url) {
      this.redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: false });
      this.redis.on('error', () => undefined); // reported once per outage by beat()
    }
    void this.beat();
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    rmSync(this.file, { force: true });
    await this.redis?.del(this.key).catch(() => undefined);
    this.redis?.disconnect();
  }

  async beat(): Promise<boolean> {
    const at = Date.now();
    try {
      if (this.redis) await this.redis.set(this.key, String(at), 'PX', HEARTBEAT_STALE_MS);
      mkdirSync(join(this.file, '..'), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ role: this.role, pid: process.pid, at: new Date(at).toISOString() }));
      renameSync(tmp, this.file);
      if (this.failing) this.logger.log('heartbeat: Redis reachable again');
      this.failing = false;
      this.beats++;
      return true;
    } catch (e) {
      if (!this.failing) this.logger.warn(`heartbeat failed (health checks will report this process unhealthy): ${e instanceof Error ? e.message : String(e)}`);
      this.failing = true;
      return false;
    }
  }
}

/** ProcessHeartbeat for a role (pipeline, worker). Needs APP_CONFIG (AppConfigModule). */
@Module({})
export class HeartbeatModule {
  static forRole(role: ProcessRole): DynamicModule {
    return { module: HeartbeatModule, providers: [{ provide: ROLE, useValue: role }, ProcessHeartbeat], exports: [ProcessHeartbeat] };
  }
}
