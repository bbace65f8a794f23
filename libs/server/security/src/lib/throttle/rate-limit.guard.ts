import { type ExecutionContext, Injectable } from '@nestjs/common';
import { normalizeIp, ThrottlerException, ThrottlerGuard, type ThrottlerRequest } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { unmapIpv4 } from '../trusted-proxies';

export const API_THROTTLER = 'api';
export const LOGIN_THROTTLER = 'login';
/** Paths that get the strict login limit even without the decorator (the auth controller is not ours). */
export const LOGIN_PATHS: readonly string[] = ['/api/auth/login'];
/** Never rate-limited: load-balancer health probes. */
export const RATE_LIMIT_EXEMPT_PATHS: readonly string[] = ['/api/health'];

/**
 * Per-client-IP limits: every /api request counts against `api` (RATE_LIMIT_API_PER_MIN, all routes together);
 * login requests also against `login` (RATE_LIMIT_LOGIN_PER_MIN). The client IP is Express' `req.ip`, which honours
 * TRUSTED_PROXIES. Over the limit: 429 {statusCode, message: 'Too many requests; retry in N s'} with Retry-After.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    return RATE_LIMIT_EXEMPT_PATHS.includes(req.path);
  }

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const { context, limit, ttl, throttler, blockDuration } = props;
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    if (throttler.name === LOGIN_THROTTLER && !this.isLogin(req)) return true;
    const tracker = await this.getTracker(req as unknown as Record<string, unknown>);
    const key = `${throttler.name}:${tracker}`;
    const r = await this.storageService.increment(key, ttl, limit, blockDuration, throttler.name ?? API_THROTTLER);
    if (r.isBlocked) {
      res.setHeader('Retry-After', String(r.timeToBlockExpire));
      const what = throttler.name === LOGIN_THROTTLER ? 'Too many login attempts' : 'Too many requests';
      throw new ThrottlerException(`${what}; retry in ${r.timeToBlockExpire} s`);
    }
    if (throttler.name === API_THROTTLER) {
      res.setHeader('X-RateLimit-Limit', String(limit));
      res.setHeader('X-RateLimit-Remaining', String(Math.max(0, limit - r.totalHits)));
      res.setHeader('X-RateLimit-Reset', String(r.timeToExpire));
    }
    return true;
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const ip = String((req as unknown as Request).ip ?? (req as unknown as Request).socket?.remoteAddress ?? 'unknown');
    // One IPv6 /64 is one client (a host can pick any address in its prefix).
    return normalizeIp(unmapIpv4(ip), 64);
  }

  private isLogin(req: Request): boolean {
    return req.method === 'POST' && LOGIN_PATHS.includes(req.path.replace(/\/+$/, ''));
  }
}
