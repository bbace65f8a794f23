import type { DataSource } from 'typeorm';

/**
 * True when `metrics` is a TimescaleDB hypertable (the Timescale migration path ran). Read from the catalog, so it
 * reflects what the database really is rather than what a flag says.
 */
export async function isTimescale(dataSource: DataSource): Promise<boolean> {
  if (dataSource.options.type !== 'postgres') return false;
  const [ext] = (await dataSource.query(
    `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') AS "installed"`,
  )) as { installed: boolean }[];
  if (!ext?.installed) return false;
  const rows = (await dataSource.query(
    `SELECT 1 FROM timescaledb_information.hypertables
      WHERE hypertable_name = 'metrics' AND hypertable_schema = current_schema()`,
  )) as unknown[];
  return rows.length > 0;
}

/**
 * Replaces the Timescale retention policy of `metrics` (the migration installs 30 days). METRICS_RETENTION_DAYS only
 * drives the scheduled delete job on plain PostgreSQL/SQLite; on Timescale run this (e.g. from a CLI command).
 */
export async function setTimescaleRetention(dataSource: DataSource, days: number): Promise<void> {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`retention days must be a positive integer, got ${days}`);
  if (!(await isTimescale(dataSource))) throw new Error('metrics is not a TimescaleDB hypertable: no retention policy to set');
  await dataSource.transaction(async (m) => {
    await m.query(`SELECT remove_retention_policy('metrics', if_exists => true)`);
    await m.query(`SELECT add_retention_policy('metrics', make_interval(days => $1))`, [days]);
  });
}
