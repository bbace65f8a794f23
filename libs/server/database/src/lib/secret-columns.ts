import type { DataSource, ValueTransformer } from 'typeorm';
import { isSealed, type SecretBox } from '@crowdsafe/server-core';

/** JSON object keys whose string values are sealed at rest (e.g. sourceOptions.password, a webhook secret). */
export const SECRET_JSON_KEY = /pass(word|phrase)?$|secret|token|api[-_]?key|private[-_]?key|credential/i;

/**
 * A text column stored encrypted (AES-256-GCM, `v1:<keyId>:…`). Reads accept legacy plaintext and values sealed
 * under a previous key; writes always use the current key. Without a box (schema tools) values pass through.
 */
export function sealedColumn(box: SecretBox | undefined): ValueTransformer {
  return {
    to: (v: unknown) => (box && typeof v === 'string' ? box.seal(v) : v),
    from: (v: unknown) => (box && typeof v === 'string' ? box.open(v) : v),
  };
}

function mapJson(value: unknown, fn: (s: string, key: string | undefined) => string, key?: string, depth = 0): unknown {
  if (typeof value === 'string') return fn(value, key);
  if (value === null || typeof value !== 'object' || depth > 32) return value;
  if (Array.isArray(value)) return value.map((v) => mapJson(v, fn, key, depth + 1));
  if (value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, mapJson(v, fn, k, depth + 1)]));
}

/** A json/jsonb column whose secret-named string fields (SECRET_JSON_KEY, at any depth) are sealed at rest. */
export function sealedJsonFields(box: SecretBox | undefined): ValueTransformer {
  return {
    to: (v: unknown) =>
      box && v !== null && typeof v === 'object'
        ? mapJson(v, (s, key) => (key !== undefined && SECRET_JSON_KEY.test(key) && !isSealed(s) ? box.seal(s) : s))
        : v,
    from: (v: unknown) => (box && v !== null && typeof v === 'object' ? mapJson(v, (s) => (isSealed(s) ? box.open(s) : s)) : v),
  };
}

/** Every column holding sealed values: what `crowdsafe rotate-secrets` rewrites. */
export const SECRET_COLUMNS: ReadonlyArray<{ table: string; key: string[]; column: string; kind: 'text' | 'json' }> = [
  { table: 'cameras', key: ['id'], column: 'source_url', kind: 'text' },
  { table: 'cameras', key: ['id'], column: 'source_options', kind: 'json' },
  { table: 'alert_recipients', key: ['id'], column: 'destination', kind: 'text' },
  { table: 'settings', key: ['category', 'key'], column: 'value', kind: 'json' },
  { table: 'settings_history', key: ['id'], column: 'value', kind: 'json' },
];

export interface RotationResult {
  /** Values rewritten per "table.column". */
  rewritten: Record<string, number>;
  scanned: number;
}

/**
 * Re-encrypts every sealed value (and seals legacy plaintext) with `box`'s current key, reading with any key `box`
 * knows, in one transaction: either every row is rewritten or none is. Raw SQL, so it works whatever the entity
 * transformers' key is. Idempotent: values already under the current key are left alone.
 */
export async function rotateSecrets(dataSource: DataSource, box: SecretBox): Promise<RotationResult> {
  const pg = dataSource.options.type === 'postgres';
  const q = (name: string) => `"${name}"`;
  const result: RotationResult = { rewritten: {}, scanned: 0 };
  await dataSource.transaction(async (em) => {
    for (const target of SECRET_COLUMNS) {
      const label = `${target.table}.${target.column}`;
      result.rewritten[label] = 0;
      const exists = pg
        ? ((await em.query(`SELECT to_regclass($1) AS t`, [`public.${target.table}`])) as Array<{ t: string | null }>)[0]?.t
        : ((await em.query(`SELECT name FROM sqlite_master WHERE type='table' AND name=?`, [target.table])) as unknown[]).length;
      if (!exists) continue;
      const rows = (await em.query(
        `SELECT ${[...target.key, target.column].map(q).join(', ')} FROM ${q(target.table)}`,
      )) as Array<Record<string, unknown>>;
      for (const row of rows) {
        result.scanned++;
        let value = row[target.column];
        if (value === null || value === undefined) continue;
        let next: unknown;
        let changed = false;
        if (target.kind === 'text') {
          const s = String(value);
          if (!box.needsReseal(s)) continue;
          next = box.seal(box.open(s));
          changed = true;
        } else {
          if (!pg && typeof value === 'string') value = JSON.parse(value) as unknown;
          next = mapJson(value, (s, key) => {
            const secret = isSealed(s) || (key !== undefined && SECRET_JSON_KEY.test(key));
            if (!secret || !box.needsReseal(s)) return s;
            changed = true;
            return box.seal(box.open(s));
          });
          if (!changed) continue;
          next = JSON.stringify(next);
        }
        const params = [next, ...target.key.map((k) => row[k])];
        const where = target.key.map((k, i) => `${q(k)} = ${pg ? `$${i + 2}` : '?'}`).join(' AND ');
        const set = `${q(target.column)} = ${pg ? (target.kind === 'json' ? '$1::jsonb' : '$1') : '?'}`;
        await em.query(`UPDATE ${q(target.table)} SET ${set} WHERE ${where}`, params);
        result.rewritten[label] = (result.rewritten[label] ?? 0) + 1;
      }
    }
  });
  return result;
}
