import { NetworkGuard, type Resolver, SourceRefusedError } from './network-guard';

const dns = (table: Record<string, string[]>): Resolver => async (host) => {
  const a = table[host];
  if (!a) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return a.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

describe('NetworkGuard.refusal', () => {
  const strict = new NetworkGuard([]);
  const lan = new NetworkGuard(['192.168.1.0/24', '127.0.0.1/32', 'fd12::/16', '169.254.0.0/16']);
  it.each([
    { guard: strict, address: '8.8.8.8', refused: null },
    { guard: strict, address: '2001:4860:4860::8888', refused: null },
    { guard: strict, address: '127.0.0.1', refused: /loopback address \(127\.0\.0\.0\/8\); add it to CAMERA_ALLOWED_NETWORKS/ },
    { guard: strict, address: '10.1.2.3', refused: /private address \(10\.0\.0\.0\/8\)/ },
    { guard: strict, address: '172.16.0.1', refused: /private/ },
    { guard: strict, address: '172.31.255.255', refused: /private/ },
    { guard: strict, address: '172.32.0.1', refused: null },
    { guard: strict, address: '192.168.1.20', refused: /private/ },
    { guard: strict, address: '100.64.0.1', refused: /carrier-grade NAT/ },
    { guard: strict, address: '169.254.10.10', refused: /link-local/ },
    { guard: strict, address: '169.254.169.254', refused: /cloud metadata/ },
    { guard: strict, address: '0.0.0.0', refused: /unspecified/ },
    { guard: strict, address: '::1', refused: /loopback/ },
    { guard: strict, address: 'fe80::1', refused: /link-local/ },
    { guard: strict, address: 'fc00::5', refused: /unique local/ },
    { guard: strict, address: '::ffff:127.0.0.1', refused: /127\.0\.0\.1 is a loopback/ },
    { guard: strict, address: '::ffff:7f00:1', refused: /127\.0\.0\.1 is a loopback/ },
    { guard: strict, address: '224.0.0.1', refused: /multicast/ },
    { guard: lan, address: '192.168.1.20', refused: null },
    { guard: lan, address: '192.168.2.20', refused: /private/ },
    { guard: lan, address: '127.0.0.1', refused: null },
    { guard: lan, address: '127.0.0.2', refused: /loopback/ },
    { guard: lan, address: 'fd12::9', refused: null },
    { guard: lan, address: '169.254.169.254', refused: /cloud metadata/ }, // never, even inside an allowed network
    // Documentation ranges (RFC 5737 / 3849): no camera lives there; refused so they cannot serve as decoys.
    { guard: strict, address: '192.0.2.10', refused: /documentation \(TEST-NET-1\) address \(192\.0\.2\.0\/24\)/ },
    { guard: strict, address: '198.51.100.7', refused: /TEST-NET-2/ },
    { guard: strict, address: '203.0.113.1', refused: /TEST-NET-3/ },
    { guard: strict, address: '2001:db8::1', refused: /documentation/ },
  ])('$address', ({ guard, address, refused }) => {
    const r = guard.refusal(address);
    if (refused) expect(r).toMatch(refused);
    else expect(r).toBeNull();
  });
});

describe("NetworkGuard: this server's own interface addresses", () => {
  const own = () => ['127.0.0.1', '::1', '93.184.216.34', '192.168.1.5', 'fe80::1%eth0'];
  it.each([
    { allowed: [], address: '93.184.216.34', refused: /93\.184\.216\.34 is an address of this server; list it alone \(93\.184\.216\.34\/32\)/ },
    { allowed: [], address: '93.184.216.35', refused: null },
    // A LAN range does not open the server itself; the address listed alone does.
    { allowed: ['192.168.1.0/24'], address: '192.168.1.5', refused: /address of this server/ },
    { allowed: ['192.168.1.0/24'], address: '192.168.1.6', refused: null },
    { allowed: ['192.168.1.5/32'], address: '192.168.1.5', refused: null },
    { allowed: ['192.168.1.5'], address: '192.168.1.5', refused: null },
    { allowed: [], address: '::ffff:93.184.216.34', refused: /address of this server/ },
    // Loopback follows the loopback range (CAMERA_ALLOWED_NETWORKS=127.0.0.0/8 allows a local restreamer).
    { allowed: ['127.0.0.0/8'], address: '127.0.0.1', refused: null },
    { allowed: [], address: '127.0.0.1', refused: /loopback/ },
  ])('$allowed $address', ({ allowed, address, refused }) => {
    const r = new NetworkGuard(allowed, undefined, undefined, own).refusal(address);
    if (refused) expect(r).toMatch(refused);
    else expect(r).toBeNull();
  });

  it('uses the real interfaces by default', () => {
    const guard = new NetworkGuard([]);
    expect(guard.refusal('127.0.0.1')).toMatch(/loopback/);
  });
});

describe('NetworkGuard.checkHost / checkSource', () => {
  const guard = new NetworkGuard(['10.0.0.0/24'], dns({ 'cam.example': ['93.184.216.34'], 'lan.cam': ['10.0.0.7'], 'rebind.example': ['93.184.216.34', '127.0.0.1'], 'meta.example': ['169.254.169.254'] }));
  it.each([
    { host: '', error: /no host/ },
    { host: 'cam.example', ok: ['93.184.216.34'] },
    { host: 'lan.cam', ok: ['10.0.0.7'] },
    { host: '10.0.0.9', ok: ['10.0.0.9'] },
    { host: '[::1]', error: /host ::1 refused: ::1 is a loopback address/ },
    { host: 'rebind.example', error: /host rebind.example refused: 127\.0\.0\.1 is a loopback/ },
    { host: 'meta.example', error: /cloud metadata/ },
    { host: 'nowhere.invalid', error: /host nowhere.invalid cannot be resolved \(ENOTFOUND\)/ },
  ])('$host', async ({ host, ok, error }) => {
    if (error) await expect(guard.checkHost(host)).rejects.toThrow(error);
    else await expect(guard.checkHost(host)).resolves.toEqual(ok);
  });

  it.each([
    { input: { kind: 'file' as const, path: '/x.mp4', loop: true }, error: null },
    { input: { kind: 'device' as const, device: '/dev/video0' }, error: null },
    { input: { kind: 'url' as const, url: 'rtsp://admin:hunter22@meta.example/s' }, error: /meta.example refused/ },
    { input: { kind: 'url' as const, url: 'rtsp://cam.example/s' }, error: null },
  ])('checkSource $input.kind', async ({ input, error }) => {
    if (error) {
      const err = await guard.checkSource(input).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SourceRefusedError);
      expect((err as Error).message).toMatch(error);
      expect((err as Error).message).not.toMatch(/hunter22/);
    } else await expect(guard.checkSource(input)).resolves.toBeUndefined();
  });

  it('times out a hanging resolver', async () => {
    const slow = new NetworkGuard([], () => new Promise(() => undefined), 50);
    await expect(slow.checkHost('slow.example')).rejects.toThrow(/cannot be resolved \(timed out after 50 ms\)/);
  });
});
