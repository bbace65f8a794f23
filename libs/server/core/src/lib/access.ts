import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { UserRole } from '@crowdsafe/contracts';

/**
 * Access declarations. EVERY HTTP route and every gateway event handler carries exactly one of these; the global
 * auth guard (libs/server/auth) enforces them and a route-walk test fails on any handler without one.
 *
 * - `@Public()`: no authentication (health, login, OIDC callback, docs).
 * - `@Roles('admin', 'operator', 'viewer')`: an authenticated user whose role is listed.
 *
 * Role meanings (spec): admin = everything; operator = view + manage cameras + acknowledge alerts; viewer = view only.
 *
 * `@Roles` (and the shorthands) also write the operation's OpenAPI declaration, so no route can forget it: bearer
 * security, the 401 and 403 responses, `x-required-roles`, and "Requires role: …" in the description. On a class
 * it does so for every method that has no declaration of its own. apps/api's openapi-security spec checks the
 * committed document.
 */
export const ACCESS_PUBLIC_KEY = 'crowdsafe:access:public';
export const ACCESS_ROLES_KEY = 'crowdsafe:access:roles';

export const Public = () => SetMetadata(ACCESS_PUBLIC_KEY, true);
export const Roles = (...roles: [UserRole, ...UserRole[]]) => applyDecorators(SetMetadata(ACCESS_ROLES_KEY, roles), ApiAccessDocs(roles));

/** The sentence every protected operation's description carries (also the 403 message of the guard). */
export const requiresRoleText = (roles: readonly UserRole[]): string => `Requires role: ${roles.join(' or ')}`;

/** The OpenAPI extension listing the roles an operation accepts. */
export const REQUIRED_ROLES_EXTENSION = 'x-required-roles';

type AnyFn = (...args: unknown[]) => unknown;
/** @nestjs/swagger's metadata key of @ApiOperation (its DECORATORS.API_OPERATION; the constants module is not exported). */
const API_OPERATION_KEY = 'swagger/apiOperation';

/** OpenAPI side of an access declaration (see Roles). */
function ApiAccessDocs(roles: readonly UserRole[]): ClassDecorator & MethodDecorator {
  const text = requiresRoleText(roles);
  const method = (target: object, key: string | symbol, descriptor: PropertyDescriptor) => {
    ApiBearerAuth()(target, key, descriptor);
    ApiUnauthorizedResponse({ description: 'No, an invalid or an expired access token, or the session has ended' })(target, key, descriptor);
    ApiForbiddenResponse({ description: `${text} (or the password must be changed first)` })(target, key, descriptor);
    ApiExtension(REQUIRED_ROLES_EXTENSION, [...roles])(target, key, descriptor);
    // The role sentence goes into the description whatever order the decorators run in: merged here into what
    // @ApiOperation set already, and kept when @ApiOperation runs later (it merges and sets no description).
    const fn = descriptor.value as AnyFn;
    const op = (Reflect.getMetadata(API_OPERATION_KEY, fn) ?? {}) as { description?: string };
    if (!op.description?.includes(text)) {
      Reflect.defineMetadata(API_OPERATION_KEY, { ...op, description: op.description ? `${op.description}\n\n${text}.` : `${text}.` }, fn);
    }
    return descriptor;
  };
  return ((target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (key !== undefined && descriptor) return method(target, key, descriptor);
    // Class: every handler without its own declaration (method decorators have run before class decorators).
    const proto = (target as { prototype: object }).prototype;
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor') continue;
      const d = Object.getOwnPropertyDescriptor(proto, name);
      if (!d || typeof d.value !== 'function') continue;
      if (Reflect.getMetadata(ACCESS_ROLES_KEY, d.value) !== undefined || Reflect.getMetadata(ACCESS_PUBLIC_KEY, d.value) !== undefined) continue;
      method(proto, name, d);
    }
    return undefined;
  }) as ClassDecorator & MethodDecorator;
}

/**
 * Document-level guarantee (applied to the generated OpenAPI document): every operation with x-required-roles says
 * "Requires role: …" in its description even when a later @ApiOperation({ description }) replaced the decorator's.
 */
export function withRoleDescriptions<T extends { paths: Record<string, object> }>(doc: T): T {
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item) as Array<{ description?: string; [REQUIRED_ROLES_EXTENSION]?: UserRole[] }>) {
      const roles = op?.[REQUIRED_ROLES_EXTENSION];
      if (!roles?.length) continue;
      const text = requiresRoleText(roles);
      if (!op.description?.includes(text)) op.description = op.description ? `${op.description}\n\n${text}.` : `${text}.`;
    }
  }
  return doc;
}

/**
 * A media route that a `<video>`, `<img>` or HLS player calls with a short-lived `?ticket=` (it cannot send an
 * Authorization header): public to the global guard, the handler checks the ticket (or a Bearer token when
 * `bearerToo`). Documented like the protected routes: the ticket scheme (registered in the OpenAPI document under
 * `scheme`), optionally Bearer, 401, 403 and the roles that may obtain a ticket.
 */
export function TicketAccess(scheme: string, roles: readonly UserRole[], bearerToo = true): MethodDecorator {
  const text = requiresRoleText(roles);
  return applyDecorators(
    Public(),
    ...(bearerToo ? [ApiBearerAuth()] : []),
    ApiSecurity(scheme),
    ApiUnauthorizedResponse({ description: 'No, an invalid or an expired ticket' + (bearerToo ? ' or access token' : '') }),
    ApiForbiddenResponse({ description: `A ticket for another resource (${text})` }),
    ApiExtension(REQUIRED_ROLES_EXTENSION, [...roles]),
  );
}

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
