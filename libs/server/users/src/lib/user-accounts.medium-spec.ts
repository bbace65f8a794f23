// The failed-login counter on real PostgreSQL and SQLite: concurrent failures are all counted (one atomic
// increment per failure, never read-modify-write from a stale record), so parallel guessing cannot stay under the
// lockout threshold.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { loadConfig } from '@crowdsafe/server-config';
import { createScratchDatabase, EntityName, openDataSource, type ScratchDatabase, type UserRecord } from '@crowdsafe/server-database';
import { PasswordHasher } from './password-hasher';
import { UserAccountsService } from './user-accounts.service';

jest.setTimeout(60_000);

const PG_ADMIN = process.env['TEST_PG_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe.each(['postgres', 'sqlite'] as const)('UserAccountsService.recordFailure (%s)', (dialect) => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-users-'));
  let ds: DataSource;
  let scratch: ScratchDatabase | null = null;
  let accounts: UserAccountsService;

  beforeAll(async () => {
    const env = { DATA_DIR: dir, AUTH_BCRYPT_COST: '4', AUTH_LOCKOUT_THRESHOLD: '5', AUTH_LOCKOUT_BASE_S: '60', AUTH_LOCKOUT_MAX_S: '3600' };
    if (dialect === 'postgres') scratch = await createScratchDatabase(PG_ADMIN, 'cs_users_lockout');
    const config = loadConfig(scratch ? { ...env, DATABASE_URL: scratch.url } : { ...env, SQLITE_PATH: join(dir, 'db.sqlite') }, dir);
    ds = await openDataSource(config);
    accounts = new UserAccountsService(ds, new PasswordHasher(config), config);
  });
  afterAll(async () => {
    await ds?.destroy();
    await scratch?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('30 concurrent failures from the same stale record count 30 and lock the account', async () => {
    const { user } = await accounts.create({ username: `guess-${dialect}`, role: 'viewer', password: 'copper-lantern-drifts-north-9' });
    const stale = (await accounts.findById(user.id)) as UserRecord; // failedLoginCount 0, as every request read it
    const locks = await Promise.all(Array.from({ length: 30 }, () => accounts.recordFailure(stale)));
    const row = await ds.getRepository<UserRecord>(EntityName.User).findOneByOrFail({ id: user.id });
    expect(row.failedLoginCount).toBe(30);
    expect(locks.filter((l) => l !== null).length).toBeGreaterThanOrEqual(1);
    expect(row.lockedUntil && new Date(row.lockedUntil).getTime()).toBeGreaterThan(Date.now());
    // A success resets it.
    await accounts.recordSuccess(row);
    expect((await ds.getRepository<UserRecord>(EntityName.User).findOneByOrFail({ id: user.id })).failedLoginCount).toBe(0);
  });
});
