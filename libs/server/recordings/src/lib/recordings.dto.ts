import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsUUID } from 'class-validator';
import { OptionalIsoDateTime, PageLimit, PageOffset } from '@crowdsafe/server-core';
import { RECORDING_MAX_PAGE } from './recording.repository';

const TRIGGERS = ['manual', 'alert', 'schedule', 'continuous'] as const;
const STATUSES = ['recording', 'processing', 'completed', 'failed'] as const;

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

  @OptionalIsoDateTime('from', 'Started at or after (ISO 8601)')
  from?: string;

  @OptionalIsoDateTime('to', 'Started before (ISO 8601)')
  to?: string;

  @PageLimit(RECORDING_MAX_PAGE, 50)
  limit?: number;

  @PageOffset()
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
