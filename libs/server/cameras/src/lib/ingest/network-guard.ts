import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { SourceInput } from './source-input';

/** Why a network source was refused. `message` is safe to show (no credentials: only the host is named). */
export class SourceRefusedError extends Error {
  constructor(
    readonly code: 'blocked' | 'unresolvable' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'SourceRefusedError';
  }
}

/** Ranges a camera URL may not reach unless CAMERA_ALLOWED_NETWORKS lists them (SSRF guard). */
export const BLOCKED_RANGES: ReadonlyArray<{ cidr: string; what: string }> = [
  { cidr: '0.0.0.0/8', what: 'unspecified' },
  { cidr: '127.0.0.0/8', what: 'loopback' },
  { cidr: '10.0.0.0/8', what: 'private' },
  { cidr: '172.16.0.0/12', what: 'private' },
  { cidr: '192.168.0.0/16', what: 'private' },
  { cidr: '100.64.0.0/10', what: 'carrier-grade NAT' },
  { cidr: '169.254.0.0/16', what: 'link-local' },
  { cidr: '192.0.0.0/24', what: 'IETF protocol assignments' },
  { cidr: '192.0.2.0/24', what: 'documentation (TEST-NET-1)' },
  { cidr: '198.51.100.0/24', what: 'documentation (TEST-NET-2)' },
  { cidr: '203.0.113.0/24', what: 'documentation (TEST-NET-3)' },
  { cidr: '198.18.0.0/15', what: 'benchmarking' },
  { cidr: '224.0.0.0/4', what: 'multicast' },
  { cidr: '240.0.0.0/4', what: 'reserved' },
  { cidr: '::/128', what: 'unspecified' },
  { cidr: '::1/128', what: 'loopback' },
  { cidr: 'fe80::/10', what: 'link-local' },
  { cidr: 'fc00::/7', what: 'unique local (private)' },
  { cidr: 'ff00::/8', what: 'multicast' },
  { cidr: '64:ff9b::/96', what: 'NAT64' },
  { cidr: '2001:db8::/32', what: 'documentation' },
];

/** Cloud metadata services: refused even when an allowed network covers them. */
export const METADATA_ADDRESSES: readonly string[] = ['169.254.169.254', '169.254.170.2', 'fd00:ec2::254', '100.100.100.200'];

function addCidr(list: BlockList, cidr: string): void {
  const [addr = '', prefix] = cidr.split('/');
  const family = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
  list.addSubnet(addr, Number(prefix ?? (family === 'ipv4' ? 32 : 128)), family);
}

/** The IPv4 address inside an IPv4-mapped/compatible IPv6 address (::ffff:a.b.c.d), else null. */
function embeddedIpv4(address: string): string | null {
  const m = /^::(?:ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (m) return m[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return null;
  const hi = parseInt(hex[1], 16);
  const lo = parseInt(hex[2], 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

export type Resolver = (host: string) => Promise<Array<{ address: string; family: number }>>;

/** The addresses of this machine's network interfaces (os.networkInterfaces), without IPv6 zone ids. */
export type OwnAddresses = () => readonly string[];

const systemOwnAddresses: OwnAddresses = () =>
  Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .map((i) => i.address.replace(/%.*$/, ''));

const systemResolver: Resolver = (host) => lookup(host, { all: true, verbatim: true });

/**
 * SSRF guard for network camera sources: resolves the URL's host and refuses any address in a blocked range
 * (loopback, private, link-local, CGNAT, multicast...) that no allowed network covers, and cloud metadata addresses
 * always. Called at create/update/test (-> 400) and before EVERY (re)connect (DNS rebinding -> status error).
 */
export class NetworkGuard {
  private readonly blocked = new BlockList();
  private readonly allowed = new BlockList();
  private readonly metadata = new BlockList();
  /** Single addresses listed in CAMERA_ALLOWED_NETWORKS (/32, /128, or no prefix): the only way to allow one of our own. */
  private readonly allowedHosts = new BlockList();
  private own: { at: number; list: BlockList } | null = null;

  constructor(
    readonly allowedNetworks: readonly string[] = [],
    private readonly resolve: Resolver = systemResolver,
    private readonly resolveTimeoutMs = 5000,
    private readonly ownAddresses: OwnAddresses = systemOwnAddresses,
  ) {
    for (const r of BLOCKED_RANGES) addCidr(this.blocked, r.cidr);
    for (const cidr of allowedNetworks) {
      addCidr(this.allowed, cidr);
      const [addr = '', prefix] = cidr.split('/');
      if (prefix === undefined || Number(prefix) === (isIP(addr) === 6 ? 128 : 32)) addCidr(this.allowedHosts, cidr);
    }
    for (const a of METADATA_ADDRESSES) addCidr(this.metadata, a);
  }

  /** This server's own interface addresses (refreshed every 10 s: DHCP, VPNs and containers change them). */
  private ownList(): BlockList {
    const now = Date.now();
    if (this.own && now - this.own.at < 10_000) return this.own.list;
    const list = new BlockList();
    for (const a of this.ownAddresses()) {
      if (isIP(a)) addCidr(list, a);
    }
    this.own = { at: now, list };
    return list;
  }

  /** Why `address` may not be reached, or null when it may. */
  refusal(address: string): string | null {
    const v4 = embeddedIpv4(address);
    if (v4) return this.refusal(v4);
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (this.metadata.check(address, type)) return `${address} is a cloud metadata address`;
    // The server's own (non-loopback) addresses reach its own services (database, Redis, admin ports): a LAN range in
    // CAMERA_ALLOWED_NETWORKS does not open them, only the address itself listed as /32 or /128. Loopback follows the
    // loopback range below.
    const loopback = type === 'ipv4' ? address.startsWith('127.') : address === '::1';
    if (!loopback && this.ownList().check(address, type) && !this.allowedHosts.check(address, type)) {
      return `${address} is an address of this server; list it alone (${address}/${type === 'ipv4' ? 32 : 128}) in CAMERA_ALLOWED_NETWORKS to allow it`;
    }
    if (this.allowed.check(address, type)) return null;
    if (!this.blocked.check(address, type)) return null;
    const range = BLOCKED_RANGES.find((r) => {
      const one = new BlockList();
      addCidr(one, r.cidr);
      return one.check(address, type);
    });
    return `${address} is a ${range?.what ?? 'blocked'} address (${range?.cidr ?? '?'}); add it to CAMERA_ALLOWED_NETWORKS to allow it`;
  }

  /** Resolves `host` (a name or an IP literal) and throws SourceRefusedError if it is refused; returns its addresses. */
  async checkHost(host: string): Promise<string[]> {
    const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
    if (!bare) throw new SourceRefusedError('invalid', 'the URL has no host');
    let addresses: string[];
    if (isIP(bare)) addresses = [bare];
    else {
      let timer: NodeJS.Timeout | undefined;
      try {
        const found = await Promise.race([
          this.resolve(bare),
          new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${this.resolveTimeoutMs} ms`)), this.resolveTimeoutMs))),
        ]);
        addresses = found.map((a) => a.address);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new SourceRefusedError('unresolvable', `host ${bare} cannot be resolved (${code ?? (err as Error).message})`);
      } finally {
        clearTimeout(timer);
      }
      if (!addresses.length) throw new SourceRefusedError('unresolvable', `host ${bare} cannot be resolved (no address)`);
    }
    for (const a of addresses) {
      const why = this.refusal(a);
      if (why) throw new SourceRefusedError('blocked', `host ${bare} refused: ${why}`);
    }
    return addresses;
  }

  /** Checks a source before it is opened: network sources by host; files and devices pass. */
  async checkSource(input: SourceInput): Promise<void> {
    if (input.kind !== 'url') return;
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw new SourceRefusedError('invalid', 'invalid stream URL (not a parseable URL)');
    }
    await this.checkHost(url.hostname);
  }
}
