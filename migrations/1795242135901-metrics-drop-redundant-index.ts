import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops IDX_metrics_camera_time_desc: the primary key (camera_id, time) is a btree on the same columns, which
 * PostgreSQL scans backwards just as well for "latest" (ORDER BY time DESC LIMIT 1) and for ranges, so the second
 * index only cost every metric row a second index insert: PostgreSQL CPU per ingested row 14.5-17.5 µs with it,
 * 11.5-12.3 µs without (./crowdsafe bench scale, 2026-12-07).
 */
export class MetricsDropRedundantIndex1795242135901 implements MigrationInterface {
  name = 'MetricsDropRedundantIndex1795242135901';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "IDX_metrics_camera_time_desc"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS "IDX_metrics_camera_time_desc" ON "metrics" ("camera_id", "time" DESC)`);
  }
}
