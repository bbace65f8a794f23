import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  InternalServerErrorException,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { WsException } from '@nestjs/websockets';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import type { Socket } from 'socket.io';
import type { UserRole } from '@crowdsafe/contracts';
import { ACCESS_PUBLIC_KEY, ACCESS_ROLES_KEY, type AuthUser } from '@crowdsafe/server-core';
import { ProxyAuthService } from './proxy-auth.service';
import { type AuthenticatedSession, SessionService } from './session/session.service';

/** Routes a user whose password must be changed may still call (me, change-password, logout). */
export const ALLOW_PENDING_PASSWORD_CHANGE = 'crowdsafe:access:allow-pending-password-change';
export const AllowPendingPasswordChange = () => SetMetadata(ALLOW_PENDING_PASSWORD_CHANGE, true);

export interface Declaration {
  public: boolean;
  roles: UserRole[] | null;
}

export function readDeclaration(reflector: Reflector, handler: object, cls: object): Declaration {
  const targets = [handler, cls] as Array<() => unknown>;
  return {
    public: reflector.getAllAndOverride<boolean>(ACCESS_PUBLIC_KEY, targets) === true,
    roles: reflector.getAllAndOverride<UserRole[]>(ACCESS_ROLES_KEY, targets) ?? null,
  };
}

export const requiresMessage = (roles: UserRole[]) => `Requires role: ${roles.join(' or ')}`;

class JwtAuthGuard extends AuthGuard('jwt') {
  override handleRequest<T>(err: unknown, user: T, info: unknown): T {
    if (err) throw err;
    if (!user) {
      const i = info as { name?: string; message?: string } | undefined;
      if (i?.name === 'TokenExpiredError') throw new UnauthorizedException('Access token expired');
      if (i?.message === 'No auth token') throw new UnauthorizedException('Authentication required');
      throw new UnauthorizedException('Invalid access token');
    }
    return user;
  }
}

/**
 * The global guard (APP_GUARD). Reads the access declaration of the handler/controller:
 * `@Public()` passes; `@Roles(...)` needs an authenticated user (Bearer access token with a live session, or a
 * trusted proxy header) whose role is listed -> 401 / 403 otherwise. A handler without a declaration is refused
 * (startup already fails on one; see AccessDeclarationCheck). WebSocket handlers: the handshake authenticated the
 * socket (WsAuthAdapter); each event re-checks the session and the role.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly jwt = new JwtAuthGuard();

  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
    private readonly proxy: ProxyAuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const decl = readDeclaration(this.reflector, ctx.getHandler(), ctx.getClass());
    const type = ctx.getType<'http' | 'ws' | 'rpc'>();
    if (decl.public) return true;
    if (!decl.roles?.length) {
      const where = `${ctx.getClass().name}.${ctx.getHandler().name}`;
      if (type === 'ws') throw new WsException(`${where} has no access declaration`);
      throw new InternalServerErrorException(`${where} has no access declaration`);
    }
    const user = type === 'ws' ? await this.wsUser(ctx) : await this.httpUser(ctx);
    if (!decl.roles.includes(user.role)) {
      if (type === 'ws') throw new WsException(requiresMessage(decl.roles));
      throw new ForbiddenException(requiresMessage(decl.roles));
    }
    if ((user as Partial<AuthenticatedSession>).mustChangePassword && !this.reflector.getAllAndOverride<boolean>(ALLOW_PENDING_PASSWORD_CHANGE, [ctx.getHandler(), ctx.getClass()])) {
      if (type === 'ws') throw new WsException('Password change required');
      throw new ForbiddenException('Password change required');
    }
    return true;
  }

  private async httpUser(ctx: ExecutionContext): Promise<AuthUser> {
    const req = ctx.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    if (this.proxy.enabled && !req.headers.authorization) {
      const viaProxy = await this.proxy.resolve(req.headers, req.socket.remoteAddress);
      if (viaProxy) return (req.user = viaProxy);
    }
    await this.jwt.canActivate(ctx);
    if (!req.user) throw new UnauthorizedException('Authentication required');
    return req.user;
  }

  private async wsUser(ctx: ExecutionContext): Promise<AuthUser> {
    const client = ctx.switchToWs().getClient<Socket>();
    const data = client.data as { user?: AuthenticatedSession | AuthUser; claims?: Parameters<SessionService['authenticate']>[0] };
    if (!data.user) throw new WsException('unauthorized');
    if (data.claims) {
      try {
        data.user = await this.sessions.authenticate(data.claims, true);
      } catch (err) {
        client.disconnect(true);
        throw new WsException((err as Error).message);
      }
      if (data.claims.exp && data.claims.exp * 1000 < Date.now()) {
        client.disconnect(true);
        throw new WsException('Access token expired');
      }
    }
    return data.user;
  }
}
