import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import Redis from 'ioredis';
import type { AppConfig } from '@crowdsafe/server-config';
import { redactUrl } from '@crowdsafe/server-core';
import { UserSessionRevoker, UsersModule } from '@crowdsafe/server-users';
import { AccessDeclarationCheck } from './access-declarations';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import { resolveJwtSecret } from './jwt-secret';
import { JWT_SECRET_TOKEN, JwtStrategy } from './jwt.strategy';
import { LoginService } from './login.service';
import { OidcService } from './oidc.service';
import { ProxyAuthService } from './proxy-auth.service';
import { MemorySessionStore } from './session/memory-session-store';
import { RedisSessionStore } from './session/redis-session-store';
import { SESSION_STORE, SessionService } from './session/session.service';
import type { SessionStore } from './session/session-store';
import { WsGuardBinder } from './ws-guard.binder';

function createSessionStore(config: AppConfig): SessionStore {
  if (!config.queue.redisUrl) return new MemorySessionStore(config.auth.maxSessions);
  const redis = new Redis(config.queue.redisUrl, { maxRetriesPerRequest: 2, connectTimeout: 5000 });
  // The store logs an outage once when it starts and once when it ends; meanwhile requests answer 503.
  return new RedisSessionStore(redis, `${config.queue.prefix}:auth:`, true, new Logger('Auth'), `Redis ${redactUrl(config.queue.redisUrl)}`);
}

/**
 * Authentication for the whole app: login/refresh/logout/me, OIDC and trusted-proxy SSO, sessions (Redis with
 * REDIS_URL, else in-process), the global AccessGuard (APP_GUARD) and the startup check that every handler carries
 * an access declaration. Global: provides UserSessionRevoker to UsersModule (imported and re-exported here).
 * Register once: `AuthModule.forRoot(config)`; for sockets use `app.useWebSocketAdapter(new WsAuthAdapter(app))`.
 */
@Module({})
export class AuthModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: [PassportModule, DiscoveryModule, UsersModule],
      controllers: [AuthController],
      providers: [
        { provide: JWT_SECRET_TOKEN, useFactory: () => resolveJwtSecret(config) },
        { provide: JwtService, useFactory: (secret: string) => new JwtService({ secret, signOptions: { algorithm: 'HS256' } }), inject: [JWT_SECRET_TOKEN] },
        { provide: SESSION_STORE, useFactory: () => createSessionStore(config) },
        SessionService,
        { provide: UserSessionRevoker, useExisting: SessionService },
        LoginService,
        OidcService,
        ProxyAuthService,
        JwtStrategy,
        AccessGuard,
        AccessDeclarationCheck,
        WsGuardBinder,
        { provide: APP_GUARD, useExisting: AccessGuard },
      ],
      exports: [SessionService, UserSessionRevoker, ProxyAuthService, AccessDeclarationCheck, UsersModule],
    };
  }
}
