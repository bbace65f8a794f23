import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsOptional, Max, Min } from 'class-validator';
import { EVENT_PROFILE_IDS } from '@crowdsafe/risk';
import { SETTINGS_CATEGORIES } from './registry';
import { SETTINGS_HISTORY_PER_KEY } from './settings.service';

const ANY_JSON = {
  oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'object', additionalProperties: true }],
};

/** Body of PUT /api/settings/:category/:key. */
export class PutSettingDto {
  @ApiProperty({ ...ANY_JSON, description: 'The new value (its type depends on the key; see GET /api/settings)' })
  @IsDefined({ message: 'value is required' })
  value!: unknown;
}

export class SettingDto {
  @ApiProperty({ enum: SETTINGS_CATEGORIES }) category!: string;
  @ApiProperty() key!: string;
  @ApiProperty({ ...ANY_JSON, description: 'Current value (the default until one is saved)' }) value!: unknown;
  @ApiProperty({ ...ANY_JSON, description: 'Default value' }) default!: unknown;
  @ApiProperty({ description: '0 = never written; every write adds 1' }) version!: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'User who wrote the current version' }) updatedBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) updatedAt!: string | null;
  @ApiProperty({ description: 'Derived from the server configuration: shown, never written' }) readOnly!: boolean;
  @ApiProperty() description!: string;
}

export class SettingsCategoryDto {
  @ApiProperty({ enum: SETTINGS_CATEGORIES }) category!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'key -> current value' }) values!: Record<string, unknown>;
  @ApiProperty({ type: [SettingDto] }) settings!: SettingDto[];
}

export class AllSettingsDto {
  @ApiProperty({ type: [SettingsCategoryDto] }) categories!: SettingsCategoryDto[];
}

export class SettingHistoryItemDto {
  @ApiProperty() version!: number;
  @ApiProperty({ ...ANY_JSON }) value!: unknown;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) updatedBy!: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class SettingHistoryPageDto {
  @ApiProperty({ type: [SettingHistoryItemDto] }) items!: SettingHistoryItemDto[];
  @ApiProperty({ description: `Versions kept (at most ${SETTINGS_HISTORY_PER_KEY})` }) total!: number;
}

export class SettingHistoryQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: SETTINGS_HISTORY_PER_KEY, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `limit must be a whole number from 1 to ${SETTINGS_HISTORY_PER_KEY}` })
  @Min(1, { message: `limit must be a whole number from 1 to ${SETTINGS_HISTORY_PER_KEY}` })
  @Max(SETTINGS_HISTORY_PER_KEY, { message: `limit must be a whole number from 1 to ${SETTINGS_HISTORY_PER_KEY}` })
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 100000, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'offset must be a whole number from 0 to 100000' })
  @Min(0, { message: 'offset must be a whole number from 0 to 100000' })
  @Max(100000, { message: 'offset must be a whole number from 0 to 100000' })
  offset?: number;
}

// ---- risk settings (documentation of PUT /api/settings/risk/thresholds; validated by validateRiskConfig) ----

export class RiskWeightsDto {
  @ApiProperty({ minimum: 0, maximum: 1 }) density!: number;
  @ApiProperty({ minimum: 0, maximum: 1 }) surge!: number;
  @ApiProperty({ minimum: 0, maximum: 1 }) velocity!: number;
  @ApiProperty({ minimum: 0, maximum: 1 }) pressure!: number;
  @ApiProperty({ minimum: 0, maximum: 1 }) counterFlow!: number;
}

export class RiskThresholdsDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 100, exclusiveMinimum: true, exclusiveMaximum: true }) caution?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 100, exclusiveMinimum: true, exclusiveMaximum: true }) warning?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 100, exclusiveMinimum: true, exclusiveMaximum: true }) critical?: number;
}

export class RiskConfigPatchDto {
  @ApiPropertyOptional({ type: RiskWeightsDto, description: 'All five weights, >= 0, summing to 1' }) weights?: RiskWeightsDto;
  @ApiPropertyOptional({ type: RiskThresholdsDto, description: 'caution < warning < critical, each in (0, 100)' }) thresholds?: RiskThresholdsDto;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'number' }, description: 'Normalisation references, each > 0' })
  references?: Record<string, number>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'number' }, description: 'riseDwellS, fallDwellS, margin (>= 0)' })
  hysteresis?: Record<string, number>;
}

export class CameraRiskSettingsDto {
  @ApiPropertyOptional({ enum: EVENT_PROFILE_IDS }) profile?: string;
  @ApiPropertyOptional({ type: RiskConfigPatchDto }) overrides?: RiskConfigPatchDto;
}

export class RiskScheduleDto {
  @ApiProperty({ maxLength: 100 }) name!: string;
  @ApiProperty({ type: [Number], description: 'Weekdays, 0 = Sunday .. 6' }) days!: number[];
  @ApiProperty({ example: '18:00', description: 'HH:MM local time (settings timeZone)' }) from!: string;
  @ApiProperty({ example: '23:00', description: 'HH:MM, up to 24:00; before `from` = crosses midnight' }) to!: string;
  @ApiPropertyOptional({ type: [String], description: 'Camera ids (default: all)' }) cameras?: string[];
  @ApiPropertyOptional({ enum: EVENT_PROFILE_IDS }) profile?: string;
  @ApiPropertyOptional({ type: RiskConfigPatchDto }) overrides?: RiskConfigPatchDto;
}

/** The risk settings (RiskSettings); omitted parts take the defaults and the built-in event profiles. */
export class RiskSettingsDto {
  @ApiPropertyOptional({ example: 'Europe/London', description: 'IANA time zone of the schedules' }) timeZone?: string;
  @ApiPropertyOptional({ type: RiskConfigPatchDto, description: 'Global config (patch on the built-in defaults)' }) defaults?: RiskConfigPatchDto;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { $ref: '#/components/schemas/RiskConfigPatchDto' }, description: `Event profiles by id (${EVENT_PROFILE_IDS.join(', ')})` })
  profiles?: Record<string, RiskConfigPatchDto>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { $ref: '#/components/schemas/CameraRiskSettingsDto' }, description: 'Per camera id: profile and overrides' })
  cameras?: Record<string, CameraRiskSettingsDto>;
  @ApiPropertyOptional({ type: [RiskScheduleDto], description: 'Time windows (e.g. peak hours) with a profile and/or overrides' })
  schedules?: RiskScheduleDto[];
}

export class RiskSettingDto extends SettingDto {
  @ApiProperty({ enum: EVENT_PROFILE_IDS, isArray: true, description: 'Event profiles a camera or schedule may select' }) profileIds!: string[];
}

/** GET /api/settings/general/public: what the console shows before login. */
export class PublicGeneralSettingsDto {
  @ApiProperty() siteName!: string;
  @ApiProperty({ enum: ['light', 'dark', 'auto'] }) theme!: 'light' | 'dark' | 'auto';
  @ApiProperty({ description: 'IANA time zone for dates' }) timeZone!: string;
  @ApiProperty({ description: 'Highest version of the three (changes when any of them is saved)' }) version!: number;
}

export class TimeZonesDto {
  @ApiProperty({ type: [String], description: 'IANA names, UTC first, then alphabetical' }) timeZones!: string[];
}
