import type { MigrationInterface } from 'typeorm';
import { InitialSchema1795242135444 } from './1795242135444-initial-schema';
import { MetricsTimeseries1795242135445 } from './1795242135445-metrics-timeseries';
import { AlertRecipientDestinationText1795242135446 } from './1795242135446-alert-recipient-destination-text';
import { SettingsHistory1795242135447 } from './1795242135447-settings-history';
import { MetricsHeading1795242135501 } from './1795242135501-metrics-heading';
import { CrossingEventsCameraPosition1795242135801 } from './1795242135801-crossing-events-camera-position';
import { RecordingsClips1795242135601 } from './1795242135601-recordings-clips';
import { Reports1795242135701 } from './1795242135701-reports';
import { MetricsDropRedundantIndex1795242135901 } from './1795242135901-metrics-drop-redundant-index';

/**
 * Every PostgreSQL migration, oldest first. Add the next one with
 * `node -r ./tools/ts-register.js libs/server/database/src/scripts/generate-migration.ts <admin-url> <Name>`.
 */
export const ALL_MIGRATIONS: (new () => MigrationInterface)[] = [InitialSchema1795242135444, MetricsTimeseries1795242135445, AlertRecipientDestinationText1795242135446, SettingsHistory1795242135447, MetricsHeading1795242135501, RecordingsClips1795242135601, Reports1795242135701, CrossingEventsCameraPosition1795242135801, MetricsDropRedundantIndex1795242135901];
