import { type INestApplicationContext, ServiceUnavailableException } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { Namespace, Server, Socket } from 'socket.io';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { ProxyAuthService } from './proxy-auth.service';
import { type AccessClaims, SessionService } from './session/session.service';

interface SocketData {
  user?: unknown;
  claims?: AccessClaims;
}

/**
 * socket.io with authentication: the handshake must carry `auth: { token: <accessToken> }` (or come through a
 * trusted auth proxy), else the connection is refused with connect_error 'unauthorized'. Sockets whose session is
 * revoked (logout, reuse, admin change) are disconnected at once in this process, and every
 * AUTH_SOCKET_CHECK_INTERVAL_MS a sweep disconnects sockets whose session ended elsewhere, went idle or whose access
 * token expired. Per-event role checks are the global AccessGuard's.
 */
export class WsAuthAdapter extends IoAdapter {
  private readonly namespaces: Array<Namespace | Server> = [];
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private sweeping = false;

  constructor(private readonly app: INestApplicationContext) {
    super(app);
  }

  override create(port: number, options?: Parameters<IoAdapter['create']>[1]): ReturnType<IoAdapter['create']> {
    const ns = super.create(port, options) as unknown as Server | Namespace;
    const sessions = this.app.get(SessionService, { strict: false });
    const proxy = this.app.get(ProxyAuthService, { strict: false });
    ns.use((socket, next) => {
      void this.authenticate(socket, sessions, proxy).then(
        (ok) => next(ok === true ? undefined : new Error(ok === false ? 'unauthorized' : ok)),
        () => next(new Error('unauthorized')),
      );
    });
    this.namespaces.push(ns);
    if (!this.timer) {
      const config = this.app.get<AppConfig>(APP_CONFIG, { strict: false });
      this.timer = setInterval(() => void this.sweep(sessions), config.auth.socketCheckIntervalMs);
      this.timer.unref();
      this.unsubscribe = sessions.onRevoked((ids) => {
        const set = new Set(ids);
        this.forEachSocket((s) => {
          const sid = (s.data as SocketData).claims?.sid;
          if (sid && set.has(sid)) s.disconnect(true);
        });
      });
    }
    return ns as unknown as ReturnType<IoAdapter['create']>;
  }

  override async dispose(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe?.();
    await super.dispose();
  }

  /** true = accepted; false = 'unauthorized'; a string = refused with that reason. */
  private async authenticate(socket: Socket, sessions: SessionService, proxy: ProxyAuthService): Promise<boolean | string> {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const data = socket.data as SocketData;
    if (typeof token === 'string' && token.length > 0 && token.length < 8192) {
      const claims = await sessions.verifyClaims(token);
      const user = await sessions.authenticate(claims, true);
      // Until the password is changed, only me/change-password/logout answer (AccessGuard): no live events either.
      if (user.mustChangePassword) return 'password change required';
      data.user = user;
      data.claims = claims;
      return true;
    }
    if (proxy.enabled) {
      const user = await proxy.resolve(socket.handshake.headers, socket.conn.remoteAddress);
      if (user) {
        data.user = user;
        return true;
      }
    }
    return false;
  }

  private forEachSocket(fn: (s: Socket) => void): void {
    for (const ns of this.namespaces) {
      const sockets = 'sockets' in ns && ns.sockets instanceof Map ? (ns.sockets as Map<string, Socket>) : new Map<string, Socket>();
      for (const s of sockets.values()) fn(s);
    }
  }

  private async sweep(sessions: SessionService): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const sockets: Socket[] = [];
      this.forEachSocket((s) => sockets.push(s));
      const now = Date.now();
      for (const s of sockets) {
        const claims = (s.data as SocketData).claims;
        if (!claims || !s.connected) continue;
        if (claims.exp && claims.exp * 1000 <= now) {
          s.disconnect(true);
          continue;
        }
        // A session store outage (503) is not a revoked session: keep the operator's live view until it recovers.
        const live = await sessions.authenticate(claims, false).catch((err: unknown) => {
          if (!(err instanceof ServiceUnavailableException)) s.disconnect(true);
          return null;
        });
        if (live?.mustChangePassword) s.disconnect(true);
      }
    } finally {
      this.sweeping = false;
    }
  }
}
