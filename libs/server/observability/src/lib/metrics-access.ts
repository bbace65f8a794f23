import { timingSafeEqual, createHash } from 'node:crypto';
import { trustedProxyMatcher } from '@crowdsafe/server-security';

export type MetricsAccessDecision = { ok: true } | { ok: false; status: 401 | 403; message: string };

/**
 * Who may scrape /metrics (config.ops.metricsEndpoint): the client address must be in `allowedNetworks` (when the
 * list is not empty) AND, when a token is configured, the request must carry `Authorization: Bearer <token>`.
 * The token is compared in constant time (over SHA-256 digests, so its length does not leak either).
 */
export function metricsAccessChecker(opts: { token: string | null; allowedNetworks: readonly string[] }): (clientIp: string | undefined, authorization: string | undefined) => MetricsAccessDecision {
  const inNetworks = opts.allowedNetworks.length ? trustedProxyMatcher(opts.allowedNetworks) : () => true;
  const want = opts.token ? createHash('sha256').update(opts.token).digest() : null;
  return (clientIp, authorization) => {
    if (!inNetworks(clientIp)) return { ok: false, status: 403, message: 'Metrics are not served to this address (METRICS_ALLOWED_NETWORKS)' };
    if (want) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      const got = m ? createHash('sha256').update(m[1] as string).digest() : null;
      if (!got || !timingSafeEqual(got, want)) return { ok: false, status: 401, message: 'Metrics need Authorization: Bearer <METRICS_TOKEN>' };
    }
    return { ok: true };
  };
}
