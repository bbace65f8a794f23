/** A write broke a unique rule (e.g. two cameras with one name). The API maps it to 409 Conflict. */
export class DuplicateError extends Error {
  constructor(
    readonly entity: string,
    readonly field: string,
    readonly value: string,
  ) {
    super(`A ${entity} with ${field} "${value}" already exists`);
    this.name = 'DuplicateError';
  }
}

/** True for a unique / primary-key violation on PostgreSQL (23505) or SQLite. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = String(e?.driverError?.code ?? e?.code ?? '');
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids are uuids; anything else can't exist (and PostgreSQL would reject it with a syntax error). */
export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

/** True for a foreign-key violation on PostgreSQL (23503) or SQLite (e.g. a row for a camera deleted meanwhile). */
export function isForeignKeyViolation(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = String(e?.driverError?.code ?? e?.code ?? '');
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
