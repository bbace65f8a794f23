import { Global, Module } from '@nestjs/common';
import { SettingsController } from './settings.controller';
import { RetentionPolicy } from '@crowdsafe/server-core';
import { SettingsRetentionPolicy } from './settings-retention';
import { SettingsService } from './settings.service';

/**
 * GET/PUT /api/settings/... and the SettingsService (typed get(), watch(), changes$) for every module (global).
 * Needs DatabaseModule.forRoot and APP_CONFIG (AppConfigModule) in the application.
 */
@Global()
@Module({
  controllers: [SettingsController],
  providers: [SettingsService, SettingsRetentionPolicy, { provide: RetentionPolicy, useExisting: SettingsRetentionPolicy }],
  exports: [SettingsService, RetentionPolicy],
})
export class SettingsModule {}
