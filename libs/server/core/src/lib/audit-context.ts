import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What a handler or service can tell the audit trail about the request it is serving. The global audit interceptor
 * (libs/server/security) opens one context per state-changing HTTP request and writes it to system_logs (category
 * 'audit') when the response is sent; without a context (jobs, WebSocket, tests) the calls below do nothing.
 *
 *     AuditContext.describe({ resourceType: 'camera', resourceId: id, before: redactedOld, after: redactedNew });
 *
 * Values are redacted again (password/token/secret/key fields, credentials in URLs) and size-bounded before writing.
 */
export interface AuditDetails {
  /** Short machine name, e.g. 'camera.update' (default: '<METHOD> <route>'). */
  action?: string;
  resourceType?: string;
  resourceId?: string;
  before?: unknown;
  after?: unknown;
  /** Extra facts (e.g. { count: 3 } for a bulk action). */
  extra?: Record<string, unknown>;
  /** true: do not write an audit entry for this request (the handler writes a richer one itself). */
  skip?: boolean;
}

const storage = new AsyncLocalStorage<AuditDetails>();

export const AuditContext = {
  /** Runs `fn` with a fresh audit context (the interceptor does this). */
  run<T>(fn: () => T, initial: AuditDetails = {}): T {
    return storage.run({ ...initial }, fn);
  },
  /** The current request's details, or undefined outside a request. */
  current(): AuditDetails | undefined {
    return storage.getStore();
  },
  /** Merges `details` into the current request's audit entry. */
  describe(details: AuditDetails): void {
    const store = storage.getStore();
    if (store) Object.assign(store, details);
  },
};
