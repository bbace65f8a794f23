import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Time-series storage for `metrics`.
 * - TimescaleDB available (and preloaded): makes `metrics` a hypertable on `time` (existing rows migrated), compressed
 *   per camera after 7 days, dropped after 30 days by a retention policy. METRICS_RETENTION_DAYS is then NOT applied
 *   automatically: change the policy with setTimescaleRetention() (@crowdsafe/server-database) or a new migration.
 * - Otherwise: a plain table; the app's MetricsRetentionJob deletes rows older than METRICS_RETENTION_DAYS.
 * Both paths add the (camera_id, time DESC) index used for "latest" and range queries. Which path ran can be read
 * back with isTimescale(dataSource).
 */
export class MetricsTimeseries1795242135445 implements MigrationInterface {
  name = 'MetricsTimeseries1795242135445';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (await timescaleUsable(queryRunner)) {
      await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS timescaledb`);
      // No default indexes: TypeORM's schema builder would see metrics_time_idx as foreign and want it dropped.
      await queryRunner.query(
        `SELECT create_hypertable('metrics', 'time', migrate_data => true, if_not_exists => true, create_default_indexes => false)`,
      );
      await queryRunner.query(
        `ALTER TABLE "metrics" SET (timescaledb.compress, timescaledb.compress_segmentby = 'camera_id', timescaledb.compress_orderby = 'time DESC')`,
      );
      await queryRunner.query(`SELECT add_compression_policy('metrics', INTERVAL '7 days', if_not_exists => true)`);
      await queryRunner.query(`SELECT add_retention_policy('metrics', INTERVAL '30 days', if_not_exists => true)`);
    }
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS "IDX_metrics_camera_time_desc" ON "metrics" ("camera_id", "time" DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "IDX_metrics_camera_time_desc"`);
    const [ext] = await queryRunner.query(`SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'`);
    if (ext) {
      // The hypertable itself stays (turning it back into a plain table means copying the data).
      await queryRunner.query(`SELECT remove_retention_policy('metrics', if_exists => true)`);
      await queryRunner.query(`SELECT remove_compression_policy('metrics', if_exists => true)`);
    }
  }
}

/** timescaledb is installed on the server and preloaded (CREATE EXTENSION fails otherwise). */
async function timescaleUsable(queryRunner: QueryRunner): Promise<boolean> {
  const rows: { available: boolean; preloaded: boolean }[] = await queryRunner.query(
    `SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') AS "available",
            current_setting('shared_preload_libraries') LIKE '%timescaledb%' AS "preloaded"`,
  );
  const { available, preloaded } = rows[0] ?? { available: false, preloaded: false };
  if (available && !preloaded) {
    queryRunner.connection.logger.log(
      'warn',
      "timescaledb is installed but not in shared_preload_libraries: metrics stays a plain table (add it, restart PostgreSQL, then migrate a fresh database or convert with create_hypertable).",
    );
  }
  return available && preloaded;
}
