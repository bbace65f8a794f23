import type { MigrationInterface } from 'typeorm';
import { InitialSchema1795242135444 } from './1795242135444-initial-schema';
import { MetricsTimeseries1795242135445 } from './1795242135445-metrics-timeseries';

/**
 * Every PostgreSQL migration, oldest first. Add the next one with
 * `node -r ./tools/ts-register.js libs/server/database/src/scripts/generate-migration.ts <admin-url> <Name>`.
 */
export const ALL_MIGRATIONS: (new () => MigrationInterface)[] = [InitialSchema1795242135444, MetricsTimeseries1795242135445];
