import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { UserRole } from '@crowdsafe/contracts';

/**
 * Access declarations. EVERY HTTP route and every gateway event handler carries exactly one of these; the global
 * auth guard (libs/server/auth) enforces them and a route-walk test fails on any handler without one.
 *
 * - `@Public()`: no authentication (health, login, OIDC callback, docs).
 * - `@Roles('admin', 'operator', 'viewer')`: an authenticated user whose role is listed.
 *
 * Role meanings (spec): admin = everything; operator = view + manage cameras + acknowledge alerts; viewer = view only.
 */
export const ACCESS_PUBLIC_KEY = 'crowdsafe:access:public';
export const ACCESS_ROLES_KEY = 'crowdsafe:access:roles';

export const Public = () => SetMetadata(ACCESS_PUBLIC_KEY, true);
export const Roles = (...roles: [UserRole, ...UserRole[]]) => SetMetadata(ACCESS_ROLES_KEY, roles);

/** Shorthands for the three usual declarations. */
export const ANY_ROLE: [UserRole, ...UserRole[]] = ['admin', 'operator', 'viewer'];
export const OPERATOR_ROLES: [UserRole, ...UserRole[]] = ['admin', 'operator'];
export const ViewerAccess = () => Roles(...ANY_ROLE);
export const OperatorAccess = () => Roles(...OPERATOR_ROLES);
export const AdminAccess = () => Roles('admin');

/** The authenticated principal the guard puts on `request.user` (HTTP) or `socket.data.user` (WebSocket). */
export interface AuthUser {
  id: string;
  username: string;
  role: UserRole;
  /** Session id (refresh-token family); null for tokens not bound to a session. */
  sessionId: string | null;
}

/** `@CurrentUser() user: AuthUser | undefined` in a controller or gateway handler. */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser | undefined => {
  if (ctx.getType() === 'ws') {
    const client = ctx.switchToWs().getClient<{ data?: { user?: AuthUser } }>();
    return client.data?.user;
  }
  return ctx.switchToHttp().getRequest<{ user?: AuthUser }>().user;
});

/** The client address as resolved by the app (Express `req.ip`, honouring the configured trusted proxies). */
export const ClientIp = createParamDecorator((_data: unknown, ctx: ExecutionContext): string | undefined => {
  return ctx.switchToHttp().getRequest<{ ip?: string }>().ip;
});
