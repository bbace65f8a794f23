import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { REPORT_FORMATS, REPORT_STATUSES, REPORT_TYPES } from '@crowdsafe/server-database';

export class CreateReportDto {
  @ApiProperty({ enum: REPORT_TYPES, description: 'daily (one local day), weekly (7 days), incident (one alert), custom (from..to, ≤ 366 days)' })
  @IsString()
  @MaxLength(32)
  type!: string;

  @ApiProperty({ enum: REPORT_FORMATS })
  @IsString()
  @MaxLength(16)
  format!: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Cameras to include (default all); ≤ 64' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(64)
  @IsUUID('all', { each: true, message: 'cameraIds must contain camera UUIDs' })
  cameraIds?: string[];

  @ApiPropertyOptional({ format: 'date-time', description: 'Start (daily/weekly: the day it falls on; custom: required)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'End, exclusive (custom: required)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  to?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The alert of an incident report' })
  @IsOptional()
  @IsUUID('all', { message: 'alertId must be a UUID' })
  alertId?: string;
}

export class ReportsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;
}

export class ReportParamsDto {
  @ApiProperty({ type: [String] }) cameraIds!: string[];
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ nullable: true, type: String }) alertId!: string | null;
}

export class ReportDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: REPORT_TYPES }) type!: string;
  @ApiProperty({ enum: REPORT_FORMATS }) format!: string;
  @ApiProperty({ enum: REPORT_STATUSES }) status!: string;
  @ApiProperty({ minimum: 0, maximum: 100 }) progress!: number;
  @ApiProperty() title!: string;
  @ApiProperty({ type: ReportParamsDto }) params!: ReportParamsDto;
  @ApiProperty({ nullable: true, type: Number }) sizeBytes!: number | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) createdBy!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) finishedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'GET this path (with the Bearer token) to download; null until done' }) downloadUrl!: string | null;
}

export class ReportPageDto {
  @ApiProperty({ type: [ReportDto] }) items!: ReportDto[];
  @ApiProperty() total!: number;
}

export class ReportCreatedDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: ReportDto }) report!: ReportDto;
}
