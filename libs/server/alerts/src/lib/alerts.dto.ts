import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { ALERT_CONDITIONS } from '@crowdsafe/alerting';
import { ALERT_CHANNELS, ALERT_STATUSES, RISK_LEVELS, type AlertChannel, type AlertStatus, type RiskLevel } from '@crowdsafe/contracts';
import { ALERT_MAX_PAGE, RECIPIENT_CHANNELS, type RecipientChannel } from '@crowdsafe/server-database';
import { OptionalIsoDateTime, PageLimit, PageOffset } from '@crowdsafe/server-core';
import { DESTINATION_MAX } from './recipient-validation';


/** GET /api/alerts */
export class AlertQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'cameraId must be a UUID' })
  cameraId?: string;

  @ApiPropertyOptional({ enum: RISK_LEVELS, enumName: 'RiskLevel' })
  @IsOptional()
  @IsIn(RISK_LEVELS, { message: `level must be one of ${RISK_LEVELS.join(', ')}` })
  level?: RiskLevel;

  @ApiPropertyOptional({ enum: ALERT_STATUSES, enumName: 'AlertStatus' })
  @IsOptional()
  @IsIn(ALERT_STATUSES, { message: `status must be one of ${ALERT_STATUSES.join(', ')}` })
  status?: AlertStatus;

  @ApiPropertyOptional({ enum: ALERT_CONDITIONS, enumName: 'AlertCondition' })
  @IsOptional()
  @IsIn(ALERT_CONDITIONS, { message: `condition must be one of ${ALERT_CONDITIONS.join(', ')}` })
  condition?: string;

  @OptionalIsoDateTime('from', 'Raised at or after (ISO 8601)')
  from?: string;

  @OptionalIsoDateTime('to', 'Raised before (ISO 8601)')
  to?: string;

  @PageLimit(ALERT_MAX_PAGE, 100)
  limit?: number;

  @PageOffset()
  offset?: number;
}

/** GET /api/alerts/statistics */
export class AlertStatisticsQueryDto {
  @OptionalIsoDateTime('from', 'Raised at or after (ISO 8601)')
  from?: string;

  @OptionalIsoDateTime('to', 'Raised before (ISO 8601)')
  to?: string;
}

/** POST /api/alerts/:id/acknowledge and /resolve */
export class AlertActionDto {
  @ApiPropertyOptional({ maxLength: 2000, description: 'Appended to the alert notes' })
  @IsOptional()
  @IsString({ message: 'notes must be a string' })
  @MaxLength(2000, { message: 'notes must be at most 2000 characters' })
  notes?: string;
}

export class AlertDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) cameraId!: string;
  @ApiProperty({ enum: ALERT_CONDITIONS, enumName: 'AlertCondition' }) condition!: string;
  @ApiProperty({ enum: RISK_LEVELS, enumName: 'RiskLevel', description: 'Highest level reached' }) level!: RiskLevel;
  @ApiProperty({ enum: ALERT_STATUSES, enumName: 'AlertStatus' }) status!: AlertStatus;
  @ApiProperty() message!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Metrics at the trigger (count, density, surge, score, ...)' })
  metricsSnapshot!: Record<string, string | number | boolean | null>;
  @ApiProperty({ enum: ALERT_CHANNELS, enumName: 'AlertChannel', isArray: true, description: 'Channels reached so far' })
  channelsNotified!: AlertChannel[];
  @ApiProperty({ description: '0 when opened, +1 per escalation' }) escalationLevel!: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) acknowledgedBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) acknowledgedAt!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Trigger to acknowledgement, ms' }) responseTimeMs!: number | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null with resolvedAt set: the system (all-clear, restart)' })
  resolvedBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) notes!: string | null;
  @ApiProperty({ description: 'GET /api/alerts/:id/snapshot has the annotated triggering frame' }) hasSnapshot!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class AlertPageDto {
  @ApiProperty({ type: [AlertDto] }) items!: AlertDto[];
  @ApiProperty({ description: 'Matching alerts in total' }) total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class ResponseTimeStatsDto {
  @ApiProperty({ description: 'Acknowledged alerts in the range' }) count!: number;
  @ApiProperty({ type: Number, nullable: true }) meanMs!: number | null;
  @ApiProperty({ type: Number, nullable: true }) medianMs!: number | null;
}

export class AlertStatisticsDto {
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) from!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) to!: string | null;
  @ApiProperty() total!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } }) byLevel!: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } }) byStatus!: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } }) byCondition!: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Keyed by camera id' }) byCamera!: Record<string, number>;
  @ApiProperty({ type: ResponseTimeStatsDto, description: 'Trigger to acknowledgement' }) responseTime!: ResponseTimeStatsDto;
}

// ---- recipients --------------------------------------------------------------------------------------------------

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class CreateAlertRecipientDto {
  @ApiProperty({ minLength: 1, maxLength: 128 })
  @Transform(trim)
  @IsString({ message: 'name must be a string' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(128, { message: 'name must be at most 128 characters' })
  name!: string;

  @ApiProperty({ enum: RECIPIENT_CHANNELS, enumName: 'RecipientChannel' })
  @IsIn(RECIPIENT_CHANNELS, { message: `channel must be one of ${RECIPIENT_CHANNELS.join(', ')}` })
  channel!: RecipientChannel;

  @ApiProperty({
    maxLength: DESTINATION_MAX,
    description: 'email address; E.164 phone number (+ and 8-15 digits); http(s) webhook URL; or a PushSubscription JSON {endpoint, keys: {p256dh, auth}}',
  })
  @IsString({ message: 'destination must be a string' })
  @MaxLength(DESTINATION_MAX, { message: `destination must be at most ${DESTINATION_MAX} characters` })
  destination!: string;

  @ApiPropertyOptional({ enum: RISK_LEVELS, enumName: 'RiskLevel', default: 'WARNING', description: 'Lowest alert level this recipient gets' })
  @IsOptional()
  @IsIn(RISK_LEVELS, { message: `minLevel must be one of ${RISK_LEVELS.join(', ')}` })
  minLevel?: RiskLevel;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'One camera only; null/absent = all cameras' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsUUID('all', { message: 'cameraId must be a UUID or null' })
  cameraId?: string | null;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean({ message: 'isActive must be a boolean' })
  isActive?: boolean;
}

export class UpdateAlertRecipientDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 128 })
  @IsOptional()
  @Transform(trim)
  @IsString({ message: 'name must be a string' })
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(128, { message: 'name must be at most 128 characters' })
  name?: string;

  @ApiPropertyOptional({ enum: RECIPIENT_CHANNELS, enumName: 'RecipientChannel' })
  @IsOptional()
  @IsIn(RECIPIENT_CHANNELS, { message: `channel must be one of ${RECIPIENT_CHANNELS.join(', ')}` })
  channel?: RecipientChannel;

  @ApiPropertyOptional({ maxLength: DESTINATION_MAX })
  @IsOptional()
  @IsString({ message: 'destination must be a string' })
  @MaxLength(DESTINATION_MAX, { message: `destination must be at most ${DESTINATION_MAX} characters` })
  destination?: string;

  @ApiPropertyOptional({ enum: RISK_LEVELS, enumName: 'RiskLevel' })
  @IsOptional()
  @IsIn(RISK_LEVELS, { message: `minLevel must be one of ${RISK_LEVELS.join(', ')}` })
  minLevel?: RiskLevel;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsUUID('all', { message: 'cameraId must be a UUID or null' })
  cameraId?: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: 'isActive must be a boolean' })
  isActive?: boolean;
}

export class AlertRecipientDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) cameraId!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: RECIPIENT_CHANNELS, enumName: 'RecipientChannel' }) channel!: RecipientChannel;
  @ApiProperty() destination!: string;
  @ApiProperty({ enum: RISK_LEVELS, enumName: 'RiskLevel' }) minLevel!: RiskLevel;
  @ApiProperty() isActive!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
