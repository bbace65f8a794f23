import type { MigrationInterface, QueryRunner } from 'typeorm';

// Generated from the entities by libs/server/database/src/scripts/generate-migration.ts.
export class InitialSchema1795242135444 implements MigrationInterface {
  name = 'InitialSchema1795242135444';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "username" character varying(64) NOT NULL, "email" character varying(255), "password_hash" character varying(255), "full_name" character varying(128), "role" character varying(16) NOT NULL DEFAULT 'viewer', "is_active" boolean NOT NULL DEFAULT true, "must_change_password" boolean NOT NULL DEFAULT false, "failed_login_count" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "last_login_at" TIMESTAMP WITH TIME ZONE, "auth_provider" character varying(32) NOT NULL DEFAULT 'local', "external_id" character varying(255), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_users_username" UNIQUE ("username"), CONSTRAINT "UQ_users_email" UNIQUE ("email"), CONSTRAINT "CHK_users_role" CHECK ("role" IN ('admin', 'operator', 'viewer')), CONSTRAINT "PK_users" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "cameras" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(128) NOT NULL, "location" character varying(255), "source_type" character varying(16) NOT NULL, "source_url" text NOT NULL, "source_options" jsonb NOT NULL DEFAULT '{}', "is_active" boolean NOT NULL DEFAULT true, "status" character varying(16) NOT NULL DEFAULT 'offline', "status_reason" text, "target_fps" real NOT NULL DEFAULT '5', "resolution_width" integer, "resolution_height" integer, "area_m2" real, "capacity" integer, "calibration_data" jsonb, "zones" jsonb NOT NULL DEFAULT '[]', "settings" jsonb NOT NULL DEFAULT '{}', "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_cameras_name" UNIQUE ("name"), CONSTRAINT "CHK_cameras_source_type" CHECK ("source_type" IN ('file', 'rtsp', 'http', 'hls', 'usb', 'rtmp')), CONSTRAINT "CHK_cameras_status" CHECK ("status" IN ('online', 'connecting', 'offline', 'error')), CONSTRAINT "PK_cameras" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "metrics" ("camera_id" uuid NOT NULL, "time" TIMESTAMP WITH TIME ZONE NOT NULL, "count" integer NOT NULL, "count_max" integer, "density" real, "velocity" real, "surge" real, "flow_in" integer, "flow_out" integer, "risk_score" real, "risk_level" character varying(16), "metadata" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "CHK_metrics_risk_level" CHECK ("risk_level" IN ('SAFE', 'CAUTION', 'WARNING', 'CRITICAL')), CONSTRAINT "PK_metrics" PRIMARY KEY ("camera_id", "time"))`);
    await queryRunner.query(`CREATE TABLE "alerts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "camera_id" uuid NOT NULL, "level" character varying(16) NOT NULL, "condition" character varying(32) NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'open', "message" text NOT NULL, "metrics_snapshot" jsonb NOT NULL, "snapshot_path" text, "channels_notified" jsonb NOT NULL DEFAULT '[]', "escalation_level" integer NOT NULL DEFAULT '0', "acknowledged_by" uuid, "acknowledged_at" TIMESTAMP WITH TIME ZONE, "resolved_by" uuid, "resolved_at" TIMESTAMP WITH TIME ZONE, "notes" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_alerts_level" CHECK ("level" IN ('SAFE', 'CAUTION', 'WARNING', 'CRITICAL')), CONSTRAINT "CHK_alerts_status" CHECK ("status" IN ('open', 'acknowledged', 'resolved')), CONSTRAINT "PK_alerts" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_alerts_camera_created" ON "alerts" ("camera_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_alerts_status_level" ON "alerts" ("status", "level") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_alerts_active_condition" ON "alerts" ("camera_id", "condition") WHERE "status" <> 'resolved'`);
    await queryRunner.query(`CREATE TABLE "alert_recipients" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "camera_id" uuid, "name" character varying(128) NOT NULL, "channel" character varying(16) NOT NULL, "destination" character varying(512) NOT NULL, "min_level" character varying(16) NOT NULL DEFAULT 'WARNING', "is_active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_alert_recipients_channel" CHECK ("channel" IN ('email', 'sms', 'push', 'webhook')), CONSTRAINT "CHK_alert_recipients_min_level" CHECK ("min_level" IN ('SAFE', 'CAUTION', 'WARNING', 'CRITICAL')), CONSTRAINT "PK_alert_recipients" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_alert_recipients_camera_channel" ON "alert_recipients" ("camera_id", "channel") `);
    await queryRunner.query(`CREATE TABLE "recordings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "camera_id" uuid NOT NULL, "alert_id" uuid, "trigger" character varying(16) NOT NULL, "status" character varying(16) NOT NULL, "start_time" TIMESTAMP WITH TIME ZONE NOT NULL, "end_time" TIMESTAMP WITH TIME ZONE, "duration_s" real, "file_path" text NOT NULL, "size_bytes" bigint, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_recordings_trigger" CHECK ("trigger" IN ('manual', 'alert', 'schedule')), CONSTRAINT "CHK_recordings_status" CHECK ("status" IN ('recording', 'completed', 'failed')), CONSTRAINT "PK_recordings" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_recordings_camera_start" ON "recordings" ("camera_id", "start_time") `);
    await queryRunner.query(`CREATE TABLE "system_logs" ("id" bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL, "time" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "level" character varying(8) NOT NULL, "category" character varying(32) NOT NULL, "action" character varying(64), "message" text NOT NULL, "user_id" uuid, "ip" character varying(64), "resource_type" character varying(32), "resource_id" character varying(64), "details" jsonb, CONSTRAINT "CHK_system_logs_level" CHECK ("level" IN ('debug', 'info', 'warn', 'error')), CONSTRAINT "CHK_system_logs_category" CHECK ("category" IN ('audit', 'auth', 'system', 'camera', 'alert')), CONSTRAINT "PK_system_logs" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_system_logs_time" ON "system_logs" ("time") `);
    await queryRunner.query(`CREATE INDEX "IDX_system_logs_category_time" ON "system_logs" ("category", "time") `);
    await queryRunner.query(`CREATE INDEX "IDX_system_logs_user_time" ON "system_logs" ("user_id", "time") `);
    await queryRunner.query(`CREATE TABLE "settings" ("category" character varying(32) NOT NULL, "key" character varying(64) NOT NULL, "value" jsonb NOT NULL, "version" integer NOT NULL DEFAULT '1', "updated_by" uuid, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_settings" PRIMARY KEY ("category", "key"))`);
    await queryRunner.query(`ALTER TABLE "cameras" ADD CONSTRAINT "FK_cameras_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "metrics" ADD CONSTRAINT "FK_metrics_camera_id" FOREIGN KEY ("camera_id") REFERENCES "cameras"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "alerts" ADD CONSTRAINT "FK_alerts_camera_id" FOREIGN KEY ("camera_id") REFERENCES "cameras"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "alerts" ADD CONSTRAINT "FK_alerts_acknowledged_by" FOREIGN KEY ("acknowledged_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "alerts" ADD CONSTRAINT "FK_alerts_resolved_by" FOREIGN KEY ("resolved_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "alert_recipients" ADD CONSTRAINT "FK_alert_recipients_camera_id" FOREIGN KEY ("camera_id") REFERENCES "cameras"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "recordings" ADD CONSTRAINT "FK_recordings_camera_id" FOREIGN KEY ("camera_id") REFERENCES "cameras"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "recordings" ADD CONSTRAINT "FK_recordings_alert_id" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "recordings" ADD CONSTRAINT "FK_recordings_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "system_logs" ADD CONSTRAINT "FK_system_logs_user_id" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "settings" ADD CONSTRAINT "FK_settings_updated_by" FOREIGN KEY ("updated_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "settings" DROP CONSTRAINT "FK_settings_updated_by"`);
    await queryRunner.query(`ALTER TABLE "system_logs" DROP CONSTRAINT "FK_system_logs_user_id"`);
    await queryRunner.query(`ALTER TABLE "recordings" DROP CONSTRAINT "FK_recordings_created_by"`);
    await queryRunner.query(`ALTER TABLE "recordings" DROP CONSTRAINT "FK_recordings_alert_id"`);
    await queryRunner.query(`ALTER TABLE "recordings" DROP CONSTRAINT "FK_recordings_camera_id"`);
    await queryRunner.query(`ALTER TABLE "alert_recipients" DROP CONSTRAINT "FK_alert_recipients_camera_id"`);
    await queryRunner.query(`ALTER TABLE "alerts" DROP CONSTRAINT "FK_alerts_resolved_by"`);
    await queryRunner.query(`ALTER TABLE "alerts" DROP CONSTRAINT "FK_alerts_acknowledged_by"`);
    await queryRunner.query(`ALTER TABLE "alerts" DROP CONSTRAINT "FK_alerts_camera_id"`);
    await queryRunner.query(`ALTER TABLE "metrics" DROP CONSTRAINT "FK_metrics_camera_id"`);
    await queryRunner.query(`ALTER TABLE "cameras" DROP CONSTRAINT "FK_cameras_created_by"`);
    await queryRunner.query(`DROP TABLE "settings"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_system_logs_user_time"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_system_logs_category_time"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_system_logs_time"`);
    await queryRunner.query(`DROP TABLE "system_logs"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_recordings_camera_start"`);
    await queryRunner.query(`DROP TABLE "recordings"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_alert_recipients_camera_channel"`);
    await queryRunner.query(`DROP TABLE "alert_recipients"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_alerts_active_condition"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_alerts_status_level"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_alerts_camera_created"`);
    await queryRunner.query(`DROP TABLE "alerts"`);
    await queryRunner.query(`DROP TABLE "metrics"`);
    await queryRunner.query(`DROP TABLE "cameras"`);
    await queryRunner.query(`DROP TABLE "users"`);
  }
}
