import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import { RISK_LEVELS } from '@crowdsafe/contracts';
import { BUSY_HOURS_METRICS, COMPARE_METRICS, type BusyHoursMetric, type CompareMetric } from './analytics.repository';

export const MAX_COMPARE_CAMERAS = 16;

const isoMessage = (name: string) => `${name} must be an ISO 8601 date-time, e.g. 2025-06-01T12:00:00Z`;
const intervalMessage = 'interval must be a whole number of seconds from 1 to 86400';

function isTimeZone(v: unknown): boolean {
  if (typeof v !== 'string' || v.length === 0 || v.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: v });
    return true;
  } catch {
    return false;
  }
}

/** from / to of the analytics queries. */
export class TimeRangeQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Range start, inclusive. Default depends on the endpoint.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: isoMessage('from') })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Range end, exclusive. Default: now.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: isoMessage('to') })
  to?: string;
}

export class CompareQueryDto extends TimeRangeQueryDto {
  @ApiProperty({
    type: [String],
    description: `Camera ids (1-${MAX_COMPARE_CAMERAS}), comma-separated or repeated`,
    example: '4b7c0e3a-0000-4000-8000-000000000001,4b7c0e3a-0000-4000-8000-000000000002',
  })
  @Transform(({ value }: { value: unknown }) =>
    (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v])).map((v) => (typeof v === 'string' ? v.trim() : v)).filter((v) => v !== ''),
  )
  @IsArray()
  @ArrayMinSize(1, { message: 'cameraIds must name at least one camera' })
  @ArrayMaxSize(MAX_COMPARE_CAMERAS, { message: `cameraIds may name at most ${MAX_COMPARE_CAMERAS} cameras` })
  @IsUUID('all', { each: true, message: 'each of cameraIds must be a UUID' })
  @IsDefined({ message: 'cameraIds must name at least one camera' })
  cameraIds!: string[];

  @ApiProperty({ enum: COMPARE_METRICS })
  @IsIn(COMPARE_METRICS as unknown as string[], { message: `metric must be one of ${COMPARE_METRICS.join(', ')}` })
  metric!: CompareMetric;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 86400, description: 'Bucket width, seconds. Default: by range (see GET /api/metrics/:cameraId).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: intervalMessage })
  @Min(1, { message: intervalMessage })
  @Max(86400, { message: intervalMessage })
  interval?: number;
}

export class BusyHoursQueryDto extends TimeRangeQueryDto {
  @ApiPropertyOptional({ enum: BUSY_HOURS_METRICS, default: 'count' })
  @IsOptional()
  @IsIn(BUSY_HOURS_METRICS as unknown as string[], { message: `metric must be one of ${BUSY_HOURS_METRICS.join(', ')}` })
  metric?: BusyHoursMetric;

  @ApiPropertyOptional({ description: 'IANA time zone of weekdays and hours. Default: the general.timeZone setting (else UTC).' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @ValidateBy({ name: 'isTimeZone', validator: { validate: isTimeZone } }, { message: 'timeZone must be an IANA time zone such as "Europe/London"' })
  timeZone?: string;
}

export class MetricsSummaryDto {
  @ApiProperty({ format: 'uuid' }) cameraId!: string;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ description: 'Seconds with data' }) samples!: number;
  @ApiProperty({ description: 'Seconds in the range' }) spanS!: number;
  @ApiProperty({ description: 'Seconds with data / span, percent' }) uptimePercent!: number;
  @ApiProperty({ type: Number, nullable: true }) countAvg!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Highest per-frame count' }) countPeak!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'First second reaching countPeak' }) countPeakAt!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'people/m²' }) densityAvg!: number | null;
  @ApiProperty({ type: Number, nullable: true }) densityPeak!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) densityPeakAt!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: '0-100' }) riskScoreAvg!: number | null;
  @ApiProperty({ type: Number, nullable: true }) riskScorePeak!: number | null;
  @ApiProperty({
    type: 'object',
    properties: Object.fromEntries(RISK_LEVELS.map((l) => [l, { type: 'number' }])),
    description: 'Seconds at each tracked risk level',
  })
  secondsAtLevel!: Record<string, number>;
  @ApiProperty({ type: Number, nullable: true, description: 'People in over the range' }) flowIn!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'People out over the range' }) flowOut!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'First second with data' }) first!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) last!: string | null;
}

export class CompareSeriesItemDto {
  @ApiProperty({ format: 'uuid' }) cameraId!: string;
  @ApiProperty({ type: 'array', items: { type: 'number', nullable: true }, description: 'One value per time (null: no data)' }) values!: (number | null)[];
}

export class CompareResultDto {
  @ApiProperty({ enum: COMPARE_METRICS }) metric!: string;
  @ApiProperty({ description: 'Bucket width, seconds' }) interval!: number;
  @ApiProperty({ type: [String], description: 'Bucket starts (ISO 8601)' }) times!: string[];
  @ApiProperty({ type: [CompareSeriesItemDto] }) series!: CompareSeriesItemDto[];
}

export class BusyHoursCellDto {
  @ApiProperty({ description: '0 = Monday ... 6 = Sunday' }) weekday!: number;
  @ApiProperty({ description: '0-23, local time' }) hour!: number;
  @ApiProperty({ type: Number, nullable: true }) avg!: number | null;
  @ApiProperty({ type: Number, nullable: true }) peak!: number | null;
  @ApiProperty({ description: 'Seconds with data' }) samples!: number;
}

export class BusyHoursDto {
  @ApiProperty({ format: 'uuid' }) cameraId!: string;
  @ApiProperty({ enum: BUSY_HOURS_METRICS }) metric!: string;
  @ApiProperty() timeZone!: string;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ type: [BusyHoursCellDto], description: '168 cells, weekday-major (index = weekday * 24 + hour)' }) cells!: BusyHoursCellDto[];
}
