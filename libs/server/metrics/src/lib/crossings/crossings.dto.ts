import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { CROSSING_EVENTS_MAX_PAGE } from '@crowdsafe/server-database';

/** Filters of GET /api/crossings and its CSV export. */
export class CrossingsFilterDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional() @IsUUID('all', { message: 'cameraId must be a UUID' })
  cameraId?: string;

  @ApiPropertyOptional({ maxLength: 64, description: "A counting line's id (settings.analytics.lines[].id)" })
  @IsOptional() @IsString() @MaxLength(64, { message: 'lineId must be at most 64 characters' })
  lineId?: string;

  @ApiPropertyOptional({ enum: ['in', 'out'] })
  @IsOptional() @IsIn(['in', 'out'], { message: 'direction must be in or out' })
  direction?: 'in' | 'out';

  @ApiPropertyOptional({ type: 'integer', minimum: 0 })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'trackId must be a whole number' }) @Min(0, { message: 'trackId must be >= 0' })
  trackId?: number;

  @ApiPropertyOptional({ format: 'date-time', description: 'From (inclusive, ISO 8601)' })
  @IsOptional() @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date-time, e.g. 2025-06-01T12:00:00Z' })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'To (exclusive, ISO 8601)' })
  @IsOptional() @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date-time, e.g. 2025-06-01T13:00:00Z' })
  to?: string;
}

export class CrossingsQueryDto extends CrossingsFilterDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: CROSSING_EVENTS_MAX_PAGE, default: 100 })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'limit must be a whole number' })
  @Min(1, { message: `limit must be between 1 and ${CROSSING_EVENTS_MAX_PAGE}` }) @Max(CROSSING_EVENTS_MAX_PAGE, { message: `limit must be between 1 and ${CROSSING_EVENTS_MAX_PAGE}` })
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0 })
  @IsOptional() @Type(() => Number) @IsInt({ message: 'offset must be a whole number' }) @Min(0, { message: 'offset must be >= 0' })
  offset?: number;
}

export class CrossingEventDto {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) time!: string;
  @ApiProperty({ format: 'uuid' }) cameraId!: string;
  @ApiProperty() lineId!: string;
  @ApiProperty() lineName!: string;
  @ApiProperty({ enum: ['in', 'out'] }) direction!: 'in' | 'out';
  @ApiProperty({ description: "The tracker's id of the person (per camera run)" }) trackId!: number;
}

export class CrossingEventPageDto {
  @ApiProperty() total!: number;
  @ApiProperty({ type: [CrossingEventDto] }) items!: CrossingEventDto[];
}
