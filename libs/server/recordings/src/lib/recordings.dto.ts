import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsISO8601, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { RECORDING_MAX_PAGE } from './recording.repository';

const TRIGGERS = ['manual', 'alert', 'schedule', 'continuous'] as const;
const STATUSES = ['recording', 'processing', 'completed', 'failed'] as const;
const ISO_MSG = (f: string) => `${f} must be an ISO 8601 date-time, e.g. 2026-06-01T12:00:00Z`;

/** GET /api/recordings */
export class RecordingQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'cameraId must be a UUID' })
  cameraId?: string;

  @ApiPropertyOptional({ enum: TRIGGERS, enumName: 'RecordingTrigger' })
  @IsOptional()
  @IsIn(TRIGGERS, { message: `trigger must be one of ${TRIGGERS.join(', ')}` })
  trigger?: (typeof TRIGGERS)[number];

  @ApiPropertyOptional({ enum: STATUSES, enumName: 'RecordingStatus' })
  @IsOptional()
  @IsIn(STATUSES, { message: `status must be one of ${STATUSES.join(', ')}` })
  status?: (typeof STATUSES)[number];

  @ApiPropertyOptional({ format: 'uuid', description: 'Clips of this alert' })
  @IsOptional()
  @IsUUID('all', { message: 'alertId must be a UUID' })
  alertId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Started at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: ISO_MSG('from') })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Started before (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: ISO_MSG('to') })
  to?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: RECORDING_MAX_PAGE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: `limit must be between 1 and ${RECORDING_MAX_PAGE}` })
  @Max(RECORDING_MAX_PAGE, { message: `limit must be between 1 and ${RECORDING_MAX_PAGE}` })
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'offset must be a whole number' })
  @Min(0, { message: 'offset must be between 0 and 1000000' })
  @Max(1_000_000, { message: 'offset must be between 0 and 1000000' })
  offset?: number;
}

/** POST /api/recordings/:cameraId/start */
export class StartRecordingDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 5, description: 'Seconds to record (30, 60, 300 in the console); without it, until stopped (at most RECORDING_MAX_DURATION_S)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'durationS must be a whole number of seconds' })
  durationS?: number;
}

/** PATCH /api/recordings/:id */
export class UpdateRecordingDto {
  @ApiProperty({ description: 'Protected recordings are never deleted by age or disk retention' })
  @IsBoolean({ message: 'isProtected must be true or false' })
  isProtected!: boolean;
}

export class RecordingStartedDto {
  @ApiProperty({ format: 'uuid' }) recording_id!: string;
  @ApiProperty({ enum: [...STATUSES, 'deleted'], enumName: 'RecordingState' }) status!: string;
}

export class RecordingDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) cameraId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) alertId!: string | null;
  @ApiProperty({ enum: TRIGGERS, enumName: 'RecordingTrigger' }) trigger!: string;
  @ApiProperty({ enum: STATUSES, enumName: 'RecordingStatus' }) status!: string;
  @ApiProperty({ format: 'date-time' }) startTime!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) endTime!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Seconds of video in the clip' }) durationS!: number | null;
  @ApiProperty({ nullable: true, type: Number }) sizeBytes!: number | null;
  @ApiProperty() hasThumbnail!: boolean;
  @ApiProperty() isProtected!: boolean;
  @ApiProperty({ nullable: true, type: Number, description: 'Peak people count during the clip' }) peakCount!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Peak density (people/m²) during the clip' }) peakDensity!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Peak risk score during the clip' }) peakRiskScore!: number | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) createdBy!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class RecordingPageDto {
  @ApiProperty({ type: [RecordingDto] }) items!: RecordingDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class RecordingTicketDto {
  @ApiProperty({ description: 'Signed ticket for this recording\'s video/download/thumbnail URLs (no Authorization header needed)' }) ticket!: string;
  @ApiProperty({ description: 'Seconds the ticket is valid' }) expiresIn!: number;
  @ApiProperty({ description: 'Inline MP4 (HTTP Range) for a <video> element' }) videoUrl!: string;
  @ApiProperty({ description: 'The MP4 as an attachment (HTTP Range)' }) downloadUrl!: string;
  @ApiProperty() thumbnailUrl!: string;
  @ApiProperty({ description: 'HLS VOD playlist of the clip (segments at its keyframes) for seeking players' }) playlistUrl!: string;
}

export class RecordingStorageDto {
  @ApiProperty() usedPercent!: number;
  @ApiProperty() freeBytes!: number;
  @ApiProperty() totalBytes!: number;
  @ApiProperty() recordingsBytes!: number;
  @ApiProperty({ description: 'usedPercent >= RECORDING_DISK_WARN_PERCENT' }) warning!: boolean;
  @ApiProperty({ description: 'Free space retention keeps: max(RECORDING_MIN_FREE_MB, one hour of the measured bandwidth)' }) floorBytes!: number;
  @ApiProperty({ description: 'Measured recording bandwidth of all cameras (bytes/s)' }) bandwidthBytesPerS!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
}
