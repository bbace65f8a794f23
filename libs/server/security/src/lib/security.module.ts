import {
  type DynamicModule,
  Inject,
  Injectable,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  type OnApplicationShutdown,
  RequestMethod,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule, type ThrottlerStorage } from '@nestjs/throttler';
import type { AppConfig } from '@crowdsafe/server-config';
import { AuditMiddleware } from './audit/audit.middleware';
import { LogRetentionJob } from './audit/log-retention.job';
import { RATE_LIMIT_STORAGE, SECURITY_CONFIG } from './security.tokens';
import { MemoryThrottlerStorage } from './throttle/memory-throttler.storage';
import { API_THROTTLER, LOGIN_THROTTLER, RateLimitGuard } from './throttle/rate-limit.guard';
import { RedisThrottlerStorage } from './throttle/redis-throttler.storage';

@Injectable()
class RateLimitStorageCloser implements OnApplicationShutdown {
  constructor(@Inject(RATE_LIMIT_STORAGE) private readonly storage: ThrottlerStorage) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.storage instanceof RedisThrottlerStorage) await this.storage.close();
  }
}

/**
 * Rate limits (global guard, Redis-backed with REDIS_URL, bounded in-process otherwise), the audit trail (middleware
 * on every state-changing /api request) and system_logs retention. Import it FIRST in the app module so throttling
 * runs before authentication. Express-level headers/CSP/CSRF are installed by applyHttpSecurity() in createApp.
 */
@Module({})
export class SecurityModule implements NestModule {
  static forRoot(config: AppConfig): DynamicModule {
    const rl = config.security.rateLimit;
    const storage: ThrottlerStorage =
      rl.enabled && config.queue.redisUrl ? new RedisThrottlerStorage(config.queue.redisUrl, config.queue.prefix) : new MemoryThrottlerStorage();
    return {
      module: SecurityModule,
      imports: rl.enabled
        ? [
            ThrottlerModule.forRoot({
              throttlers: [
                { name: API_THROTTLER, ttl: 60_000, limit: rl.apiPerMinute },
                { name: LOGIN_THROTTLER, ttl: 60_000, limit: rl.loginPerMinute },
              ],
              storage,
            }),
          ]
        : [],
      providers: [
        { provide: SECURITY_CONFIG, useValue: config.security },
        { provide: RATE_LIMIT_STORAGE, useValue: storage },
        RateLimitStorageCloser,
        LogRetentionJob,
        AuditMiddleware,
        ...(rl.enabled ? [{ provide: APP_GUARD, useClass: RateLimitGuard }] : []),
      ],
      exports: [RATE_LIMIT_STORAGE],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AuditMiddleware).forRoutes({ path: '{*splat}', method: RequestMethod.ALL });
  }
}
