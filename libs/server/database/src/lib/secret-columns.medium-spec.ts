// Secrets at rest on real PostgreSQL and SQLite: the raw row holds only ciphertext, the repository returns the
// plaintext, and a key rotation re-encrypts every row so that only the new key is needed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '@crowdsafe/server-config';
import { SecretBox } from '@crowdsafe/server-core';
import { CameraRepository } from './camera.repository';
import { createDataSourceOptions, openDataSource } from './data-source';
import { createEntities } from './entities';
import { type AlertRecipientRecord, EntityName, type SettingRecord } from './records';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database';
import { rotateSecrets } from './secret-columns';

jest.setTimeout(120_000);
const PG_ADMIN = process.env['TEST_PG_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const KEY_A = Buffer.alloc(32, 0xa1).toString('base64');
const KEY_B = Buffer.alloc(32, 0xb2).toString('base64');
const URL_SECRET = 'rtsp://admin:Cam-Pa55word@10.1.2.3:554/stream1';

describe.each(['postgres', 'sqlite'] as const)('secrets at rest (%s)', (dialect) => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-secrets-'));
  let scratch: ScratchDatabase | undefined;
  let env: Record<string, string>;

  /** A DataSource whose entities seal with `box` (schema already created by openDataSource). */
  async function withBox(box: SecretBox): Promise<DataSource> {
    const base = createDataSourceOptions(loadConfig(env, dir));
    const ds = new DataSource({ ...base, entities: createEntities(dialect, { secrets: box }), synchronize: false, migrationsRun: false } as never);
    return ds.initialize();
  }

  beforeAll(async () => {
    if (dialect === 'postgres') {
      scratch = await createScratchDatabase(PG_ADMIN, 'cs_secrets');
      env = { DATABASE_URL: scratch.url, DATA_DIR: dir, SECRETS_KEY: KEY_A };
    } else {
      env = { SQLITE_PATH: join(dir, 'secrets.sqlite'), DATA_DIR: dir, SECRETS_KEY: KEY_A };
    }
    const ds = await openDataSource(loadConfig(env, dir));
    await ds.destroy();
  });

  afterAll(async () => {
    await scratch?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores only ciphertext, reads plaintext, and rotation leaves every row readable with the new key only', async () => {
    const boxA = SecretBox.fromBase64(KEY_A);
    let ds = await openDataSource(loadConfig(env, dir));
    const cams = new CameraRepository(ds);
    const cam = await cams.create({
      name: `cam-${dialect}`,
      sourceType: 'rtsp',
      sourceUrl: URL_SECRET,
      sourceOptions: { transport: 'tcp', password: 'opt-Secret-1', nested: { apiToken: 'tok-Secret-2' } },
    });
    expect(cam.sourceUrl).toBe(URL_SECRET);
    await ds.getRepository<SettingRecord>(EntityName.Setting).insert({ category: 'test', key: 'webhook', value: { url: 'https://h/x', secret: 'whk-Secret-3' } });
    await ds.getRepository<AlertRecipientRecord>(EntityName.AlertRecipient).insert({ name: 'ops hook', channel: 'webhook', destination: 'https://hooks.example/T0/hook-Token-4' });

    const raw = async (d: DataSource) => {
      const q = dialect === 'postgres' ? 'SELECT source_url, source_options::text AS o FROM cameras WHERE id = $1' : 'SELECT source_url, source_options AS o FROM cameras WHERE id = ?';
      const [row] = (await d.query(q, [cam.id])) as Array<{ source_url: string; o: string }>;
      const [setting] = (await d.query(dialect === 'postgres' ? `SELECT value::text AS v FROM settings WHERE category = 'test'` : `SELECT value AS v FROM settings WHERE category = 'test'`)) as Array<{ v: string }>;
      const [rcpt] = (await d.query(`SELECT destination FROM alert_recipients`)) as Array<{ destination: string }>;
      return `${row?.source_url} ${row?.o} ${setting?.v} ${rcpt?.destination}`;
    };
    const before = await raw(ds);
    expect(before).toMatch(/v1:[0-9a-f]{8}:/);
    for (const s of ['Cam-Pa55word', '10.1.2.3', 'opt-Secret-1', 'tok-Secret-2', 'whk-Secret-3', 'hook-Token-4']) expect(before).not.toContain(s);
    expect(before).toContain('tcp'); // non-secret option fields stay queryable
    await expect(cams.findById(cam.id)).resolves.toMatchObject({
      sourceUrl: URL_SECRET,
      sourceOptions: { transport: 'tcp', password: 'opt-Secret-1', nested: { apiToken: 'tok-Secret-2' } },
    });
    await ds.destroy();

    // Rotate A -> B (B current, A still readable), in one transaction.
    ds = await withBox(boxA);
    const r = await rotateSecrets(ds, SecretBox.fromBase64(KEY_B, [KEY_A]));
    expect(r.rewritten).toMatchObject({ 'cameras.source_url': 1, 'cameras.source_options': 1, 'settings.value': 1, 'alert_recipients.destination': 1 });
    const after = await raw(ds);
    expect(after).not.toContain(`:${boxA.keyId}:`);
    await ds.destroy();
    // Idempotent: nothing left to rewrite.
    ds = await withBox(SecretBox.fromBase64(KEY_B));
    await expect(rotateSecrets(ds, SecretBox.fromBase64(KEY_B))).resolves.toMatchObject({ rewritten: { 'cameras.source_url': 0 } });
    // Only key B is needed now.
    await expect(new CameraRepository(ds).findById(cam.id)).resolves.toMatchObject({ sourceUrl: URL_SECRET });
    const setting = await ds.getRepository<SettingRecord>(EntityName.Setting).findOneByOrFail({ category: 'test', key: 'webhook' });
    expect(setting.value).toEqual({ url: 'https://h/x', secret: 'whk-Secret-3' });
    await expect(ds.getRepository<AlertRecipientRecord>(EntityName.AlertRecipient).findOneByOrFail({ name: 'ops hook' })).resolves.toMatchObject({
      destination: 'https://hooks.example/T0/hook-Token-4',
    });
    await ds.destroy();
    // And key A alone no longer opens anything.
    ds = await withBox(boxA);
    await expect(new CameraRepository(ds).findById(cam.id)).rejects.toThrow(/neither SECRETS_KEY nor in SECRETS_PREVIOUS_KEYS/);
    await ds.destroy();
  });

  it('a legacy plaintext row is readable and gets sealed by the rotation', async () => {
    const ds = await withBox(SecretBox.fromBase64(KEY_B));
    const id = '6f1c1d7e-0000-4000-8000-00000000abcd';
    const insert =
      dialect === 'postgres'
        ? `INSERT INTO cameras (id, name, source_type, source_url) VALUES ($1, 'legacy-${dialect}', 'rtsp', $2)`
        : `INSERT INTO cameras (id, name, source_type, source_url, source_options, zones, settings, is_active, status, target_fps, created_at, updated_at) VALUES (?, 'legacy-${dialect}', 'rtsp', ?, '{}', '[]', '{}', 1, 'offline', 5, datetime('now'), datetime('now'))`;
    await ds.query(insert, [id, URL_SECRET]);
    await expect(new CameraRepository(ds).findById(id)).resolves.toMatchObject({ sourceUrl: URL_SECRET });
    await rotateSecrets(ds, SecretBox.fromBase64(KEY_B));
    const [row] = (await ds.query(dialect === 'postgres' ? 'SELECT source_url FROM cameras WHERE id = $1' : 'SELECT source_url FROM cameras WHERE id = ?', [id])) as Array<{ source_url: string }>;
    expect(row?.source_url).toMatch(/^v1:/);
    await expect(new CameraRepository(ds).findById(id)).resolves.toMatchObject({ sourceUrl: URL_SECRET });
    await ds.destroy();
  });
});
