import { BlockList, isIP } from 'node:net';

/** An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, how a dual-stack socket reports IPv4 peers) as plain IPv4. */
export const unmapIpv4 = (address: string): string => address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');

/**
 * `isTrustedProxy(peerAddress)` for a TRUSTED_PROXIES list (config.security.trustedProxies): the same entries Express'
 * `trust proxy` gets — IPs, CIDRs, and the names loopback / linklocal / uniquelocal. For code that must decide itself
 * whether to believe proxy headers (the proxy-header login mode, AUTH_PROXY_TRUSTED_CIDRS). IPv4-mapped IPv6 peers are
 * matched as IPv4.
 */
export function trustedProxyMatcher(entries: readonly string[]): (address: string | undefined) => boolean {
  const list = new BlockList();
  const add = (spec: string) => {
    const [addr, prefix] = spec.split('/');
    const family = isIP(addr ?? '');
    if (!family) return;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(addr as string, type);
    else list.addSubnet(addr as string, Number(prefix), type);
  };
  const named: Record<string, string[]> = {
    loopback: ['127.0.0.1/8', '::1/128'],
    linklocal: ['169.254.0.0/16', 'fe80::/10'],
    uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
  };
  for (const e of entries) for (const spec of named[e] ?? [e]) add(spec);
  return (address) => {
    if (!address) return false;
    const a = unmapIpv4(address);
    const family = isIP(a);
    if (!family) return false;
    return list.check(a, family === 4 ? 'ipv4' : 'ipv6');
  };
}
