import { Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { type AuditDetails, AuditContext, type AuthUser } from '@crowdsafe/server-core';
import { type JsonObject, SystemLogRepository } from '@crowdsafe/server-database';
import { redactForAudit } from './redact';

export const AUDITED_METHODS: readonly string[] = ['POST', 'PUT', 'PATCH', 'DELETE'];
/** Not audited here: the auth module writes richer 'auth' entries for these (logins, failures, refresh). */
export const AUDIT_EXEMPT_PATHS: readonly string[] = ['/api/auth/login', '/api/auth/refresh'];

/** The audit entry for one finished request, or null when it is not audited. Exported for unit tests. */
export function auditEntry(
  req: Pick<Request, 'method' | 'path' | 'params' | 'body' | 'ip'> & { route?: { path?: string }; user?: AuthUser },
  status: number,
  details: AuditDetails,
) {
  if (!AUDITED_METHODS.includes(req.method) || details.skip) return null;
  const path = req.path.replace(/\/+$/, '');
  if (!path.startsWith('/api/') || AUDIT_EXEMPT_PATHS.includes(path)) return null;
  // Throttled (429) and unknown routes change nothing and would let a flood fill the table.
  if (status === 429 || (status === 404 && !req.route)) return null;
  const route = req.route?.path ?? path;
  const segment = route.replace(/^\/api\//, '').split('/')[0] ?? '';
  const id = typeof req.params?.['id'] === 'string' ? req.params['id'] : undefined;
  const user = req.user;
  const hasDiff = details.before !== undefined || details.after !== undefined;
  const detailObj: JsonObject = { method: req.method, route, status };
  if (details.before !== undefined) detailObj['before'] = redactForAudit(details.before);
  if (details.after !== undefined) detailObj['after'] = redactForAudit(details.after);
  if (!hasDiff && req.body !== undefined && req.body !== null && Object.keys(req.body as object).length > 0) {
    detailObj['body'] = redactForAudit(req.body);
  }
  if (details.extra) detailObj['extra'] = redactForAudit(details.extra);
  const outcome = status < 400 ? 'ok' : status === 401 || status === 403 ? 'denied' : 'failed';
  return {
    level: (status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info') as 'error' | 'warn' | 'info',
    category: 'audit' as const,
    action: details.action ?? `${req.method} ${route}`.slice(0, 64),
    message: `${user?.username ?? 'anonymous'} ${req.method} ${path.slice(0, 200)} → ${status} (${outcome})`,
    userId: user?.id ?? null,
    ip: req.ip ?? null,
    resourceType: (details.resourceType ?? segment).slice(0, 32) || null,
    resourceId: (details.resourceId ?? id ?? null)?.slice(0, 64) ?? null,
    details: detailObj,
  };
}

/**
 * Writes one system_logs row (category 'audit') for every state-changing /api request when its response is sent:
 * who (user id/name), what (method, route, resource), the outcome status, the client IP, and `before`/`after`
 * supplied by the handler through AuditContext.describe() — otherwise the request body — redacted and bounded.
 * Denied requests (401/403) are audited too. Failures to write are logged, never thrown at the client.
 */
@Injectable()
export class AuditMiddleware implements NestMiddleware {
  private readonly logger = new Logger('Audit');

  constructor(private readonly logs: SystemLogRepository) {}

  use(req: Request, res: Response, next: NextFunction): void {
    if (!AUDITED_METHODS.includes(req.method)) return next();
    AuditContext.run(() => {
      const details = AuditContext.current() as AuditDetails;
      res.once('finish', () => {
        const entry = auditEntry(req as Parameters<typeof auditEntry>[0], res.statusCode, details);
        if (!entry) return;
        this.logs.write(entry).catch((e: Error) => this.logger.warn(`audit entry not written: ${e.message.slice(0, 200)}`));
      });
      next();
    });
  }
}
