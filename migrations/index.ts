import type { MigrationInterface } from 'typeorm';
import { InitialSchema1795242135444 } from './1795242135444-initial-schema';
import { MetricsTimeseries1795242135445 } from './1795242135445-metrics-timeseries';
import { AlertRecipientDestinationText1795242135446 } from './1795242135446-alert-recipient-destination-text';
import { SettingsHistory1795242135447 } from './1795242135447-settings-history';
import { Reports1795242135701 } from './1795242135701-reports';

/**
 * Every PostgreSQL migration, oldest first. Add the next one with
 * `node -r ./tools/ts-register.js libs/server/database/src/scripts/generate-migration.ts <admin-url> <Name>`.
 */
export const ALL_MIGRATIONS: (new () => MigrationInterface)[] = [InitialSchema1795242135444, MetricsTimeseries1795242135445, AlertRecipientDestinationText1795242135446, SettingsHistory1795242135447, Reports1795242135701];
