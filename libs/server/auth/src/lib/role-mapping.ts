import type { UserRole } from '@crowdsafe/contracts';
import type { AuthRoleMapping } from '@crowdsafe/server-config';

/** Reads a claim by dotted path (`realm_access.roles`); a direct key with dots wins. */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (path in claims) return claims[path];
  let cur: unknown = claims;
  for (const part of path.split('.')) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Groups from a claim or header value: array of strings, or a comma/space-separated string. Bounded. */
export function groupsOf(value: unknown): string[] {
  const raw = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? value.split(/[,\s]+/) : [];
  return raw.map((g) => g.trim()).filter((g) => g && g.length <= 256).slice(0, 256);
}

/** Highest role whose configured groups intersect the user's; else the default role, or null = deny. */
export function mapRole(groups: string[], m: AuthRoleMapping): UserRole | null {
  const has = (list: string[]) => list.some((g) => groups.includes(g));
  if (has(m.adminGroups)) return 'admin';
  if (has(m.operatorGroups)) return 'operator';
  if (has(m.viewerGroups)) return 'viewer';
  return m.defaultRole === 'viewer' ? 'viewer' : null;
}

/** Username from an external identity: lower-cased, invalid characters replaced, at most 64. */
export function sanitizeUsername(value: string): string {
  return value.trim().toLowerCase().replace(/[^a-z0-9._@-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
}
