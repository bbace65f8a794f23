import { Injectable, type OnApplicationBootstrap, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { GATEWAY_METADATA, GATEWAY_OPTIONS, MESSAGE_METADATA, MESSAGE_MAPPING_METADATA } from '@nestjs/websockets/constants';
import { StartupError } from '@crowdsafe/server-core';
import { type Declaration, readDeclaration } from './access.guard';

export interface HttpHandlerInfo {
  kind: 'http';
  name: string;
  /** 'GET', 'POST', ... */
  method: string;
  /** Path below the global prefix, e.g. 'users/:id' (no leading slash). */
  path: string;
  declaration: Declaration;
}
export interface WsHandlerInfo {
  kind: 'ws';
  name: string;
  /** socket.io namespace of the gateway ('/' when none). */
  namespace: string;
  event: string;
  declaration: Declaration;
}
export type HandlerInfo = HttpHandlerInfo | WsHandlerInfo;

const join = (...parts: string[]) => parts.map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/');
const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [''] : [String(v)]);

/** Every HTTP route handler and gateway message handler registered in the app, with its access declaration. */
export function discoverHandlers(discovery: DiscoveryService, scanner: MetadataScanner, reflector: Reflector): HandlerInfo[] {
  const out: HandlerInfo[] = [];
  for (const wrapper of discovery.getControllers()) {
    const cls = wrapper.metatype as (new (...a: unknown[]) => unknown) | undefined;
    if (!cls || !wrapper.instance) continue;
    const proto = Object.getPrototypeOf(wrapper.instance) as Record<string, unknown>;
    const base = asList(Reflect.getMetadata(PATH_METADATA, cls));
    for (const name of scanner.getAllMethodNames(proto)) {
      const handler = proto[name] as object;
      const sub = Reflect.getMetadata(PATH_METADATA, handler) as unknown;
      if (sub === undefined) continue;
      const rm = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
      const declaration = readDeclaration(reflector, handler, cls);
      for (const b of base) for (const s of asList(sub)) out.push({ kind: 'http', name: `${cls.name}.${name}`, method: RequestMethod[rm], path: join(b, s), declaration });
    }
  }
  for (const wrapper of discovery.getProviders()) {
    const cls = wrapper.metatype as (new (...a: unknown[]) => unknown) | undefined;
    if (!cls || !wrapper.instance || !Reflect.getMetadata(GATEWAY_METADATA, cls)) continue;
    const proto = Object.getPrototypeOf(wrapper.instance) as Record<string, unknown>;
    const ns = (Reflect.getMetadata(GATEWAY_OPTIONS, cls) as { namespace?: unknown } | undefined)?.namespace;
    const namespace = typeof ns === 'string' ? (ns.startsWith('/') ? ns : `/${ns}`) : '/';
    for (const name of scanner.getAllMethodNames(proto)) {
      const handler = proto[name] as object;
      if (!Reflect.getMetadata(MESSAGE_MAPPING_METADATA, handler)) continue;
      out.push({ kind: 'ws', name: `${cls.name}.${name}`, namespace, event: String(Reflect.getMetadata(MESSAGE_METADATA, handler)), declaration: readDeclaration(reflector, handler, cls) });
    }
  }
  return out;
}

export const isDeclared = (d: Declaration) => d.public || (d.roles?.length ?? 0) > 0;

/** Fails startup listing every HTTP route / gateway event handler that carries no @Public()/@Roles() declaration. */
@Injectable()
export class AccessDeclarationCheck implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  handlers(): HandlerInfo[] {
    return discoverHandlers(this.discovery, this.scanner, this.reflector);
  }

  onApplicationBootstrap(): void {
    const missing = this.handlers().filter((h) => !isDeclared(h.declaration));
    if (missing.length) {
      throw new StartupError(
        `handlers without an access declaration: ${missing.map((h) => (h.kind === 'http' ? `${h.name} (${h.method} /${h.path})` : `${h.name} (ws ${h.event})`)).join(', ')}`,
        'add @Public(), @ViewerAccess(), @OperatorAccess(), @AdminAccess() or @Roles(...) from @crowdsafe/server-core',
      );
    }
  }
}
