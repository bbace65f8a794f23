import { Global, Module } from '@nestjs/common';
import { SettingsController } from './settings.controller';
import { SettingsService } from './settings.service';

/**
 * GET/PUT /api/settings/... and the SettingsService (typed get(), watch(), changes$) for every module (global).
 * Needs DatabaseModule.forRoot and APP_CONFIG (AppConfigModule) in the application.
 */
@Global()
@Module({
  controllers: [SettingsController],
  providers: [SettingsService],
  exports: [SettingsService],
})
export class SettingsModule {}
