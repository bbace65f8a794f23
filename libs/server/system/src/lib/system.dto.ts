import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min } from 'class-validator';
import { LOG_CATEGORIES, SYSTEM_LOG_MAX_PAGE, type LogCategory } from '@crowdsafe/server-database';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

export class DependencyStatusDto {
  @ApiProperty({ enum: ['up', 'down'] }) status!: 'up' | 'down';
  @ApiProperty({ type: Number, nullable: true, description: 'Round trip of the check, ms' }) latencyMs!: number | null;
  @ApiPropertyOptional({ description: 'Why it is down' }) error?: string;
}

export class DatabaseStatusDto extends DependencyStatusDto {
  @ApiProperty({ enum: ['postgres', 'sqlite'] }) type!: 'postgres' | 'sqlite';
}

export class RedisStatusDto {
  @ApiProperty({ description: 'False in the embedded mode (no REDIS_URL)' }) used!: boolean;
  @ApiPropertyOptional({ enum: ['up', 'down'] }) status?: 'up' | 'down';
  @ApiPropertyOptional({ type: Number, nullable: true }) latencyMs?: number | null;
  @ApiPropertyOptional() error?: string;
}

export class QueueStatusDto {
  @ApiProperty({ enum: ['bullmq', 'in-process'] }) type!: 'bullmq' | 'in-process';
  @ApiProperty({ enum: ['up', 'down'] }) status!: 'up' | 'down';
  @ApiProperty({ type: Number, nullable: true }) latencyMs!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Jobs (BullMQ) or requests (in-process) waiting' }) waiting!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Jobs running' }) active!: number | null;
  @ApiPropertyOptional() error?: string;
}

export class CpuDto {
  @ApiProperty({ type: Number, nullable: true, description: 'This process, % of one core since the previous call' }) processPercent!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'The host, % of all cores since the previous call' }) hostPercent!: number | null;
  @ApiProperty() cores!: number;
  @ApiProperty({ type: [Number], description: '1, 5 and 15 minute load averages' }) loadAverage!: number[];
}

export class MemoryDto {
  @ApiProperty() processRssBytes!: number;
  @ApiProperty() heapUsedBytes!: number;
  @ApiProperty() heapTotalBytes!: number;
  @ApiProperty() hostTotalBytes!: number;
  @ApiProperty() hostFreeBytes!: number;
}

export class DiskDto {
  @ApiProperty({ description: 'DATA_DIR' }) path!: string;
  @ApiProperty() freeBytes!: number;
  @ApiProperty() totalBytes!: number;
}

export class GpuDto {
  @ApiProperty() index!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ type: Number, nullable: true }) utilizationPercent!: number | null;
  @ApiProperty({ type: Number, nullable: true }) memoryUsedMiB!: number | null;
  @ApiProperty({ type: Number, nullable: true }) memoryTotalMiB!: number | null;
  @ApiProperty({ type: Number, nullable: true }) temperatureC!: number | null;
}

export class CameraCountsDto {
  @ApiProperty({ description: 'Configured cameras' }) total!: number;
  @ApiProperty({ description: 'Runtimes in this process' }) running!: number;
  @ApiProperty({ description: 'Cameras whose stream is online' }) online!: number;
}

export class InferenceInfoDto {
  @ApiProperty({ enum: ['cpu', 'cuda'] }) provider!: 'cpu' | 'cuda';
  @ApiProperty({ description: 'Model file name' }) model!: string;
  @ApiProperty({ type: String, nullable: true }) densityModel!: string | null;
  @ApiProperty({ enum: ['embedded', 'distributed'] }) mode!: 'embedded' | 'distributed';
}

export class SystemHealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'], description: 'degraded: the database, Redis or the queue is down' }) status!: 'ok' | 'degraded';
  @ApiProperty() uptimeS!: number;
  @ApiProperty({ type: CpuDto }) cpu!: CpuDto;
  @ApiProperty({ type: MemoryDto }) memory!: MemoryDto;
  @ApiProperty({ type: DiskDto, nullable: true }) disk!: DiskDto | null;
  @ApiProperty({ type: [GpuDto], nullable: true, description: 'From nvidia-smi; null when there is none' }) gpus!: GpuDto[] | null;
  @ApiProperty({ type: DatabaseStatusDto }) database!: DatabaseStatusDto;
  @ApiProperty({ type: RedisStatusDto }) redis!: RedisStatusDto;
  @ApiProperty({ type: QueueStatusDto }) queue!: QueueStatusDto;
  @ApiProperty({ type: CameraCountsDto }) cameras!: CameraCountsDto;
  @ApiProperty({ type: InferenceInfoDto }) inference!: InferenceInfoDto;
}

export class CameraFrameStatsDto {
  @ApiProperty({ format: 'uuid' }) cameraId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ description: 'A runtime runs in this process' }) running!: boolean;
  @ApiProperty() fpsIn!: number;
  @ApiProperty() fpsOut!: number;
  @ApiProperty() framesDecoded!: number;
  @ApiProperty() framesProcessed!: number;
  @ApiProperty({ description: 'Dropped oldest-first by the bounded frame buffer' }) framesDropped!: number;
  @ApiProperty({ description: 'Too old to process when their turn came' }) framesStale!: number;
  @ApiProperty({ description: 'ffmpeg restarts since the camera started (0 when it does not run in this process)' }) restarts!: number;
}

export class FrameTotalsDto {
  @ApiProperty() framesDecoded!: number;
  @ApiProperty() framesProcessed!: number;
  @ApiProperty() framesDropped!: number;
  @ApiProperty() framesStale!: number;
  @ApiProperty() fpsIn!: number;
  @ApiProperty() fpsOut!: number;
}

export class LatencyDto {
  @ApiProperty({ type: Number, nullable: true }) p50!: number | null;
  @ApiProperty({ type: Number, nullable: true }) p95!: number | null;
}

export class InferenceStatsDto {
  @ApiProperty() jobs!: number;
  @ApiProperty() frames!: number;
  @ApiProperty() meanBatchSize!: number;
  @ApiProperty() dropped!: number;
  @ApiProperty() failedJobs!: number;
  @ApiProperty() inFlight!: number;
  @ApiProperty() pending!: number;
  @ApiProperty({ type: LatencyDto, description: 'detect-batch job round trip over the last 256 jobs, ms (null before the first)' }) latencyMs!: LatencyDto;
}

export class QueueDepthDto {
  @ApiProperty({ enum: ['bullmq', 'in-process'] }) type!: 'bullmq' | 'in-process';
  @ApiProperty({ type: Number, nullable: true }) waiting!: number | null;
  @ApiProperty({ type: Number, nullable: true }) active!: number | null;
}

export class SystemStatsDto {
  @ApiProperty({ type: [CameraFrameStatsDto] }) cameras!: CameraFrameStatsDto[];
  @ApiProperty({ type: FrameTotalsDto }) totals!: FrameTotalsDto;
  @ApiProperty({ type: InferenceStatsDto, nullable: true, description: 'null in a process without inference' }) inference!: InferenceStatsDto | null;
  @ApiProperty({ type: QueueDepthDto }) queue!: QueueDepthDto;
  @ApiProperty({ type: Number, nullable: true, description: 'Alerts not resolved' }) alertsOpen!: number | null;
}

/** Query of GET /api/system/logs. */
export class SystemLogsQueryDto {
  @ApiPropertyOptional({ enum: LOG_LEVELS })
  @IsOptional()
  @IsIn(LOG_LEVELS as unknown as string[], { message: `level must be one of ${LOG_LEVELS.join(', ')}` })
  level?: (typeof LOG_LEVELS)[number];

  @ApiPropertyOptional({ enum: LOG_CATEGORIES })
  @IsOptional()
  @IsIn(LOG_CATEGORIES as string[], { message: `category must be one of ${LOG_CATEGORIES.join(', ')}` })
  category?: LogCategory;

  @ApiPropertyOptional({ maxLength: 64, example: 'settings.update' })
  @IsOptional()
  @IsString()
  @Length(1, 64, { message: 'action must be 1 to 64 characters' })
  action?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'userId must be a UUID' })
  userId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The resource an entry is about, e.g. a camera id (camera logs)' })
  @IsOptional()
  @IsUUID('all', { message: 'resourceId must be a UUID' })
  resourceId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'From (inclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date-time, e.g. 2025-06-01T12:00:00Z' })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'To (exclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date-time, e.g. 2025-06-01T13:00:00Z' })
  to?: string;

  @ApiPropertyOptional({ maxLength: 200, description: 'Case-insensitive substring of the message' })
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: 'search must be at most 200 characters' })
  search?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: SYSTEM_LOG_MAX_PAGE, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `limit must be a whole number from 1 to ${SYSTEM_LOG_MAX_PAGE}` })
  @Min(1, { message: `limit must be a whole number from 1 to ${SYSTEM_LOG_MAX_PAGE}` })
  @Max(SYSTEM_LOG_MAX_PAGE, { message: `limit must be a whole number from 1 to ${SYSTEM_LOG_MAX_PAGE}` })
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 1000000, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'offset must be a whole number from 0 to 1000000' })
  @Min(0, { message: 'offset must be a whole number from 0 to 1000000' })
  @Max(1_000_000, { message: 'offset must be a whole number from 0 to 1000000' })
  offset?: number;
}

export class SystemLogDto {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) time!: string;
  @ApiProperty({ enum: LOG_LEVELS }) level!: string;
  @ApiProperty({ enum: LOG_CATEGORIES }) category!: string;
  @ApiProperty({ type: String, nullable: true }) action!: string | null;
  @ApiProperty() message!: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) userId!: string | null;
  @ApiProperty({ type: String, nullable: true }) ip!: string | null;
  @ApiProperty({ type: String, nullable: true }) resourceType!: string | null;
  @ApiProperty({ type: String, nullable: true }) resourceId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) details!: Record<string, unknown> | null;
}

export class SystemLogPageDto {
  @ApiProperty({ type: [SystemLogDto] }) items!: SystemLogDto[];
  @ApiProperty({ description: 'Entries matching the filters' }) total!: number;
}
