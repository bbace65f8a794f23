import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';

export interface ScratchDatabase {
  name: string;
  /** The admin URL with the scratch database as its path. */
  url: string;
  /** Drops the database (disconnecting anyone still on it). */
  drop(): Promise<void>;
}

/**
 * Creates an empty, uniquely named PostgreSQL database next to the one `adminUrl` points at (usually `postgres`).
 * Used to generate migrations and by tests that need a database of their own.
 */
export async function createScratchDatabase(adminUrl: string, prefix = 'crowdsafe_scratch'): Promise<ScratchDatabase> {
  if (!/^[a-z_][a-z0-9_]{0,30}$/.test(prefix)) throw new Error(`scratch database prefix must be a short lowercase identifier, got "${prefix}"`);
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  };
}

async function withAdmin(adminUrl: string, run: (admin: DataSource) => Promise<unknown>): Promise<void> {
  const admin = new DataSource({ type: 'postgres', url: adminUrl });
  await admin.initialize();
  try {
    await run(admin);
  } finally {
    await admin.destroy();
  }
}
