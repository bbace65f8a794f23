import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsInt, IsOptional, Max, Min } from 'class-validator';
import { RISK_LEVELS, type RiskLevel } from '@crowdsafe/contracts';

/** Query of GET /api/metrics/:cameraId. */
export class MetricsRangeQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Range start, inclusive (ISO 8601). Default: end minus 1 hour.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'start must be an ISO 8601 date-time, e.g. 2025-06-01T12:00:00Z' })
  start?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Range end, exclusive (ISO 8601). Default: now.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'end must be an ISO 8601 date-time, e.g. 2025-06-01T13:00:00Z' })
  end?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 86400,
    description:
      'Bucket width in seconds. Default by range: raw seconds up to 1 h, 10 s up to 6 h, 1 min up to 3 days, 5 min up to 2 weeks, then 1 h (or more, keeping <= 5000 buckets).',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'interval must be a whole number of seconds' })
  @Min(1, { message: 'interval must be between 1 and 86400 seconds' })
  @Max(86400, { message: 'interval must be between 1 and 86400 seconds' })
  interval?: number;
}

/** One point of a camera's metrics: a stored second (current) or a time bucket (range). */
export class MetricPointDto {
  @ApiProperty({ format: 'date-time', description: 'Start of the second or bucket (ISO 8601, UTC)' })
  time!: string;

  @ApiProperty({ format: 'uuid' })
  cameraId!: string;

  @ApiProperty({ description: 'People count: the per-second count, or its mean over a bucket (2 decimals)' })
  count!: number;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Highest per-frame count in the second or bucket' })
  countMax?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'People per m² (bucket: mean)' })
  density?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Mean crowd speed (bucket: mean)' })
  velocity?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Surge indicator (bucket: max)' })
  surge?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'People entering (bucket: sum)' })
  flowIn?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'People leaving (bucket: sum)' })
  flowOut?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Risk score 0..100 (bucket: max)' })
  riskScore?: number | null;

  @ApiPropertyOptional({ enum: RISK_LEVELS, enumName: 'RiskLevel', nullable: true, description: 'Risk level (bucket: highest)' })
  riskLevel?: RiskLevel | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 0,
    maximum: 360,
    description:
      'Dominant movement direction of the second, degrees clockwise from image up (0 = up/N, 90 = right/E); null when people stand still or move chaotically (compass word and coherence in metadata.movement). Per-second rows only: absent from range buckets',
  })
  heading?: number | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Extra data: the stored row metadata (current) or { samples } (range)',
  })
  metadata?: Record<string, unknown>;
}
