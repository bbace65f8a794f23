import { Injectable } from '@nestjs/common';
import { GUARDS_METADATA } from '@nestjs/common/constants';
import { DiscoveryService } from '@nestjs/core';
import { GATEWAY_METADATA } from '@nestjs/websockets/constants';
import { AccessGuard } from './access.guard';

/**
 * Nest applies global guards (APP_GUARD) to HTTP routes only, not to gateway message handlers. This binds the
 * AccessGuard instance to every gateway class as a class-level guard, so each event enforces its declaration
 * without gateways having to remember @UseGuards. Runs while providers are instantiated, i.e. before the socket
 * module builds the handler contexts (during app.init). Replaces, never stacks, an earlier app's instance.
 */
@Injectable()
export class WsGuardBinder {
  readonly gateways: string[] = [];

  constructor(discovery: DiscoveryService, guard: AccessGuard) {
    for (const wrapper of discovery.getProviders()) {
      const cls = wrapper.metatype as (new (...a: unknown[]) => unknown) | undefined;
      if (!cls || typeof cls !== 'function' || !Reflect.getMetadata(GATEWAY_METADATA, cls)) continue;
      const existing = (Reflect.getOwnMetadata(GUARDS_METADATA, cls) as unknown[] | undefined) ?? [];
      Reflect.defineMetadata(GUARDS_METADATA, [guard, ...existing.filter((g) => !(g instanceof AccessGuard))], cls);
      this.gateways.push(cls.name);
    }
  }
}
