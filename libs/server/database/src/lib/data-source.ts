import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Logger } from '@nestjs/common';
import { DataSource, MigrationExecutor, type DataSourceOptions, type Logger as TypeOrmLogger } from 'typeorm';
import type { AppConfig } from '@crowdsafe/server-config';
import { StartupError, redactUrl, secretBoxFor } from '@crowdsafe/server-core';
import { ALL_MIGRATIONS } from '@crowdsafe/migrations';
import { createEntities } from './entities';
import { isTimescale } from './timescale';

/** Routes TypeORM's own messages (migrations, warnings) to Nest's logger. Failed queries are not logged here:
 *  they reach the caller as exceptions, and expected ones (unique violations) must not spam the log. */
class NestTypeOrmLogger implements TypeOrmLogger {
  private readonly logger = new Logger('Database');
  logQuery(): void {
    // queries are not logged
  }
  logQueryError(): void {
    // the error reaches the caller
  }
  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`Slow query (${time} ms): ${query.slice(0, 200)}`);
  }
  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }
  logMigration(message: string): void {
    this.logger.log(message);
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else this.logger.debug(String(message));
  }
}

/**
 * TypeORM options for the configured database. PostgreSQL: migrations from @crowdsafe/migrations, never synchronize.
 * SQLite (embedded): the schema is synchronized from the entities at start, WAL journal.
 */
export function createDataSourceOptions(config: AppConfig): DataSourceOptions {
  const db = config.database;
  const common = { logger: new NestTypeOrmLogger(), maxQueryExecutionTime: 5000 } as const;
  // Secrets at rest: SECRETS_KEY, or the key generated once in DATA_DIR (embedded/dev).
  const secrets = secretBoxFor(config.security, config.dataDir);
  if (db.type === 'postgres') {
    return {
      ...common,
      type: 'postgres',
      url: db.url,
      entities: createEntities('postgres', { secrets }),
      migrations: ALL_MIGRATIONS,
      migrationsTableName: 'migrations',
      migrationsRun: db.migrationsRun,
      // Each migration in its own transaction, so a failed one leaves the earlier ones applied.
      migrationsTransactionMode: 'each',
      synchronize: false,
      // gen_random_uuid() is built into PostgreSQL >= 13: no extension to install at connect.
      uuidExtension: 'pgcrypto',
      installExtensions: false,
      connectTimeoutMS: db.connectTimeoutS * 1000,
      applicationName: 'crowdsafe',
    };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: db.path,
    entities: createEntities('sqlite', { secrets }),
    synchronize: true,
    enableWAL: true,
    // busy timeout: how long a writer waits for another connection's lock.
    timeout: db.connectTimeoutS * 1000,
  };
}

/** The DATABASE_URL without credentials or query string (which may hold a password). */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    const auth = u.username || u.password ? '***@' : '';
    return `${u.protocol}//${auth}${u.host}${u.pathname}`;
  } catch {
    return redactUrl(url).replace(/\?.*$/, '');
  }
}

/** The cause of a failure as one line, credentials redacted (Node's dual-stack connect throws AggregateErrors
 *  with an empty message, so their parts are joined). */
export function describeCause(error: unknown): string {
  let text: string;
  if (error instanceof AggregateError && error.errors.length > 0) {
    text = [...new Set(error.errors.map((e) => describeCause(e)))].join('; ');
  } else if (error instanceof Error) {
    text = error.message || (error as { code?: string }).code || error.name;
  } else {
    text = String(error);
  }
  return redactUrl(text).replace(/\s+/g, ' ').trim();
}

// Errors worth retrying while the database starts up (container still booting, server restarting).
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P03', // cannot_connect_now: the database system is starting up
]);
function isTransient(error: unknown): boolean {
  if (error instanceof AggregateError) return error.errors.some(isTransient);
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  return (code !== undefined && TRANSIENT_CODES.has(code)) || /Connection terminated|timeout expired/i.test(message);
}

export interface OpenDataSourceOptions {
  /** Run pending migrations (PostgreSQL). Default: config.database.migrationsRun. */
  migrationsRun?: boolean;
  /** Fail when migrations are pending and not run (PostgreSQL). Default true. */
  requireMigrated?: boolean;
}

/**
 * Connects to the configured database and prepares its schema. Every failure becomes a StartupError with one line
 * naming the variable to fix; connection failures that look transient are retried until DB_CONNECT_TIMEOUT_S.
 */
export async function openDataSource(config: AppConfig, options: OpenDataSourceOptions = {}): Promise<DataSource> {
  const db = config.database;
  const logger = new Logger('Database');
  const base = createDataSourceOptions(config);

  if (db.type === 'sqlite') {
    const dir = dirname(db.path);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new StartupError(`Cannot create the directory of the SQLite database ${dir} (SQLITE_PATH / DATA_DIR): ${describeCause(e)}`);
    }
    const ds = new DataSource(base);
    try {
      await ds.initialize();
    } catch (e) {
      throw new StartupError(`Cannot open the SQLite database ${db.path} (SQLITE_PATH / DATA_DIR): ${describeCause(e)}`);
    }
    return ds;
  }

  const where = `PostgreSQL at ${describeDatabaseUrl(db.url)} (DATABASE_URL)`;
  const deadline = Date.now() + db.connectTimeoutS * 1000;
  let ds: DataSource;
  for (let attempt = 1; ; attempt++) {
    // A fresh DataSource per attempt: a failed initialize() leaves the old one half set up.
    ds = new DataSource({ ...base, migrationsRun: false } as DataSourceOptions);
    try {
      await ds.initialize();
      break;
    } catch (e) {
      const remaining = deadline - Date.now();
      if (!isTransient(e) || remaining <= 0) {
        let cause = describeCause(e);
        if (/timeout expired/i.test(cause)) cause = `no answer within ${db.connectTimeoutS} s (DB_CONNECT_TIMEOUT_S)`;
        throw new StartupError(
          `Cannot connect to ${where}: ${cause}`,
          'Check that PostgreSQL is running and reachable, or unset DATABASE_URL to use the embedded SQLite database.',
        );
      }
      if (attempt === 1) {
        logger.warn(`${where} not reachable yet (${describeCause(e)}); retrying for up to ${db.connectTimeoutS} s`);
      }
      await new Promise((r) => setTimeout(r, Math.min(500 * attempt, 2000, remaining)));
    }
  }

  try {
    if (options.migrationsRun ?? db.migrationsRun) {
      await ds.runMigrations({ transaction: 'each' });
    } else if (options.requireMigrated ?? true) {
      const pending = await new MigrationExecutor(ds).getPendingMigrations();
      if (pending.length > 0) {
        throw new StartupError(
          `The database schema at ${where} is behind: ${pending.length} migration(s) pending (${pending
            .map((m) => m.name)
            .join(', ')}) and DB_MIGRATIONS_RUN=false`,
          'Run `crowdsafe migrate`, or set DB_MIGRATIONS_RUN=true.',
        );
      }
    }
  } catch (e) {
    await ds.destroy().catch(() => undefined);
    if (e instanceof StartupError) throw e;
    throw new StartupError(`Database migration failed on ${where}: ${describeCause(e)}`);
  }
  return ds;
}

/**
 * `crowdsafe migrate`: applies pending PostgreSQL migrations and prints each one (SQLite: synchronizes the embedded
 * schema). Returns the names of the migrations applied.
 */
export async function runMigrations(
  config: AppConfig,
  print: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<string[]> {
  const db = config.database;
  if (db.type === 'sqlite') {
    const ds = await openDataSource(config);
    await ds.destroy();
    print(`SQLite database ${db.path}: schema synchronized from the entities (embedded mode has no migrations).`);
    return [];
  }
  const ds = await openDataSource(config, { migrationsRun: false, requireMigrated: false });
  try {
    let applied: string[];
    try {
      applied = (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name);
    } catch (e) {
      throw new StartupError(`Database migration failed on ${describeDatabaseUrl(db.url)} (DATABASE_URL): ${describeCause(e)}`);
    }
    for (const name of applied) print(`Applied migration ${name}`);
    if (applied.length === 0) print(`Database schema is up to date (${ALL_MIGRATIONS.length} migrations).`);
    print(`Metrics storage: ${(await isTimescale(ds)) ? 'TimescaleDB hypertable' : 'plain PostgreSQL table'}.`);
    return applied;
  } finally {
    await ds.destroy();
  }
}

/**
 * The SQL TypeORM's schema builder would still run to make the database match the entities. [] means the migrated
 * (or synchronized) schema matches: a test keeps the migrations in step with the entities.
 */
export async function pendingSchemaSql(dataSource: DataSource): Promise<string[]> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return log.upQueries.map((q) => q.query);
}
