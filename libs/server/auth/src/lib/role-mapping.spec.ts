import { trustedProxyMatcher } from '@crowdsafe/server-security';
import { claimAt, groupsOf, mapRole, sanitizeUsername } from './role-mapping';

const mapping = { adminGroups: ['cs-admins'], operatorGroups: ['cs-ops', 'control-room'], viewerGroups: ['cs-view'], defaultRole: 'deny' as const };

describe('mapRole', () => {
  it.each<[string, string[], 'viewer' | 'deny', string | null]>([
    ['no groups, deny', [], 'deny', null],
    ['no groups, default viewer', [], 'viewer', 'viewer'],
    ['admin wins over operator', ['control-room', 'cs-admins'], 'deny', 'admin'],
    ['operator', ['control-room'], 'deny', 'operator'],
    ['viewer group', ['cs-view'], 'deny', 'viewer'],
    ['unrelated groups, deny', ['staff'], 'deny', null],
  ])('%s', (_n, groups, defaultRole, expected) => {
    expect(mapRole(groups, { ...mapping, defaultRole })).toBe(expected);
  });
});

describe('claims and groups', () => {
  it.each<[string, unknown, string[]]>([
    ['undefined', undefined, []],
    ['array', ['a', 'b', 3], ['a', 'b']],
    ['comma string', 'a, b,c', ['a', 'b', 'c']],
    ['number', 5, []],
  ])('groupsOf %s', (_n, v, expected) => expect(groupsOf(v)).toEqual(expected));

  it.each<[string, Record<string, unknown>, string, unknown]>([
    ['missing', {}, 'groups', undefined],
    ['direct', { groups: ['x'] }, 'groups', ['x']],
    ['dotted path', { realm_access: { roles: ['r'] } }, 'realm_access.roles', ['r']],
    ['dotted key wins', { 'a.b': 1, a: { b: 2 } }, 'a.b', 1],
  ])('claimAt %s', (_n, claims, path, expected) => expect(claimAt(claims, path)).toEqual(expected));

  it.each([
    ['', ''],
    ['Alice Smith', 'alice-smith'],
    ['bob@example.org', 'bob@example.org'],
    ['x'.repeat(80), 'x'.repeat(64)],
  ])('sanitizeUsername %p', (v, expected) => expect(sanitizeUsername(v)).toBe(expected));
});

// AUTH_PROXY_TRUSTED_CIDRS is matched with the security library's trusted-proxy matcher.
describe('trustedProxyMatcher (AUTH_PROXY_TRUSTED_CIDRS)', () => {
  const has = trustedProxyMatcher(['10.0.0.0/8', '127.0.0.1', 'fd00::/8']);
  it.each<[string | undefined, boolean]>([
    [undefined, false],
    ['', false],
    ['10.1.2.3', true],
    ['::ffff:10.1.2.3', true],
    ['127.0.0.1', true],
    ['127.0.0.2', false],
    ['192.168.1.1', false],
    ['fd12::1', true],
    ['::1', false],
    ['not-an-ip', false],
  ])('%p -> %p', (addr, expected) => expect(has(addr)).toBe(expected));
});
