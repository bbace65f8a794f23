// Generates the next PostgreSQL migration from the entities:
//   node -r ./tools/ts-register.js libs/server/database/src/scripts/generate-migration.ts \
//     postgres://postgres@127.0.0.1:5432/postgres AddSomething
// Creates a scratch database next to the given one, applies ALL_MIGRATIONS, writes the schema builder's remaining
// SQL to migrations/<timestamp>-<name>.ts, then drops the scratch database. Register the class in migrations/index.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ALL_MIGRATIONS } from '@crowdsafe/migrations';
import { createEntities } from '../lib/entities';
import { generateMigrationSource } from '../lib/migration-generator';
import { createScratchDatabase } from '../lib/scratch-database';

async function main(adminUrl: string, name: string): Promise<void> {
  const stamp = Date.now();
  const className = `${name}${stamp}`;
  const scratch = await createScratchDatabase(adminUrl, 'crowdsafe_migration_gen');
  const ds = new DataSource({
    type: 'postgres',
    url: scratch.url,
    entities: createEntities('postgres'),
    migrations: ALL_MIGRATIONS,
    migrationsTableName: 'migrations',
    uuidExtension: 'pgcrypto',
    installExtensions: false,
  });
  try {
    await ds.initialize();
    await ds.runMigrations();
    const source = await generateMigrationSource(ds, className);
    if (!source) {
      process.stdout.write('The migrations already match the entities: nothing to generate.\n');
      return;
    }
    const kebab = name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
    const file = join(__dirname, '../../../../../migrations', `${stamp}-${kebab}.ts`);
    writeFileSync(file, source);
    process.stdout.write(`Wrote ${file}: add ${className} to ALL_MIGRATIONS in migrations/index.ts\n`);
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await scratch.drop();
  }
}

const [adminUrl, name] = process.argv.slice(2);
if (!adminUrl || !name || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
  process.stderr.write('usage: generate-migration.ts <postgres-admin-url> <PascalCaseName>\n');
  process.exit(2);
}
main(adminUrl, name).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
