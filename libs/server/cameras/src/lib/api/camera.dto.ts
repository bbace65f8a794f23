import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CalibrationDataDto, CameraSettingsDto, CameraZoneDto, CountingLineDto } from './camera-settings.dto';
import { CAMERA_SOURCE_TYPES, CAMERA_STATUSES, type CameraHealth, type CameraSchedulerHealth, type CameraSourceType, type CameraStatus } from '@crowdsafe/contracts';

/** Bounds of the camera API (also in the OpenAPI spec). */
export const CAMERA_LIMITS = {
  nameMax: 128,
  locationMax: 255,
  sourceUrlMax: 2048,
  fpsMin: 0.1,
  fpsMax: 30,
  widthMin: 160,
  widthMax: 7680,
  heightMin: 90,
  heightMax: 4320,
  capacityMax: 10_000_000,
  areaMax: 10_000_000,
  zonesMax: 64,
  linesMax: 64,
  bulkMax: 100,
  /** JSON size of calibrationData / zones / settings each. */
  jsonMaxBytes: 256 * 1024,
  testTimeoutMinMs: 1000,
  testTimeoutMaxMs: 30_000,
} as const;

const L = CAMERA_LIMITS;
// eslint-disable-next-line no-control-regex
const NO_CONTROL_CHARS = /^[^\u0000-\u001f\u007f]*$/;
const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class CameraSchedulerHealthDto implements CameraSchedulerHealth {
  @ApiProperty({ enum: ['map', 'fallback'], description: "'map': slices from the learnt person-size map; 'fallback': map not learnt, whole frame sliced" })
  mode!: 'map' | 'fallback';
  @ApiProperty({ description: 'Model passes per second granted to this camera' }) budgetPerSecond!: number;
  @ApiProperty({ description: 'Model passes per second used at the target fps (global + slices)' }) passesPerSecond!: number;
  @ApiProperty({ description: 'Model passes per processed frame (1 = global pass only)' }) passesPerFrame!: number;
  @ApiProperty() plannedSlices!: number;
  @ApiProperty() slicesPerFrame!: number;
  @ApiProperty({ description: 'Achieved slice refresh period, s (0: nothing to slice; -1: no budget for slices)' }) refreshS!: number;
  @ApiProperty({ description: 'Configured refresh period, s (SLICE_REFRESH_S)' }) targetRefreshS!: number;
  @ApiProperty({ description: 'Person-size map samples (decayed)' }) sizeMapSamples!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Why the scheduler falls back or degrades' }) reason!: string | null;
}

export class CameraHealthDto implements CameraHealth {
  @ApiProperty({ enum: CAMERA_STATUSES }) status!: CameraStatus;
  @ApiProperty({ required: false }) reason?: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Age of the last decoded frame in ms' }) lastFrameAgeMs!: number | null;
  @ApiProperty({ description: 'Frames decoded per second (last 5 s)' }) fpsIn!: number;
  @ApiProperty({ description: 'Frames through inference per second (last 5 s)' }) fpsOut!: number;
  @ApiProperty({ description: 'Frames dropped because the bounded buffer was full' }) droppedFrames!: number;
  @ApiProperty({ description: 'Frames discarded as older than FRAME_MAX_AGE_MS' }) staleFrames!: number;
  @ApiProperty({ description: 'ffmpeg restarts (reconnects) since start' }) restarts!: number;
  @ApiProperty() framesDecoded!: number;
  @ApiProperty() framesProcessed!: number;
  @ApiProperty({ description: 'Decoded frames skipped by the every-N-th-frame rate (sourceOptions.frameSkip)' }) skippedFrames!: number;
  @ApiProperty({ description: 'Raw video bytes read from ffmpeg since start' }) bytesRead!: number;
  @ApiProperty({ description: 'Error lines ffmpeg logged while decoding' }) decodeErrors!: number;
  @ApiPropertyOptional({ type: CameraSchedulerHealthDto, description: "Detection scheduler (tiling 'scheduled', the default)" })
  scheduler?: CameraSchedulerHealthDto;
}

export class CameraSourceOptionsDto {
  @ApiPropertyOptional({ description: 'file: loop at the end (default true)' })
  @IsOptional() @IsBoolean()
  loop?: boolean;

  @ApiPropertyOptional({ enum: ['tcp', 'udp'], description: 'rtsp: lower transport (default tcp)' })
  @IsOptional() @IsIn(['tcp', 'udp'])
  transport?: 'tcp' | 'udp';

  @ApiPropertyOptional({ minimum: 1, maximum: 100, description: 'Process every N-th decoded frame (default CAMERA_FRAME_SKIP)' })
  @IsOptional() @IsInt() @Min(1) @Max(100)
  frameSkip?: number;
}

export class CameraDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) location!: string | null;
  @ApiProperty({ enum: CAMERA_SOURCE_TYPES }) sourceType!: CameraSourceType;
  @ApiProperty({ description: 'The source URL/path with credentials replaced by *** (send it back unchanged to keep them)' })
  sourceUrl!: string;
  @ApiProperty({ description: 'The stored source URL carries credentials' }) hasCredentials!: boolean;
  @ApiProperty({ type: CameraSourceOptionsDto }) sourceOptions!: CameraSourceOptionsDto;
  @ApiProperty() isActive!: boolean;
  @ApiProperty({ enum: CAMERA_STATUSES }) status!: CameraStatus;
  @ApiProperty({ type: String, nullable: true }) statusReason!: string | null;
  @ApiProperty() targetFps!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Max decoded width (null = CAMERA_DEFAULT_WIDTH)' }) resolutionWidth!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Max decoded height (null = no limit)' }) resolutionHeight!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Monitored floor area, m² (from calibration)' }) areaM2!: number | null;
  @ApiProperty({ type: Number, nullable: true }) capacity!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'WGS 84 latitude, degrees (optional, for maps)' }) latitude!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'WGS 84 longitude, degrees' }) longitude!: number | null;
  @ApiProperty({ type: CalibrationDataDto, nullable: true, description: 'Calibration (docs/calibration/README.md)' }) calibrationData!: CalibrationDataDto | null;
  @ApiProperty({ type: [CameraZoneDto] }) zones!: CameraZoneDto[];
  @ApiProperty({ type: CameraSettingsDto }) settings!: CameraSettingsDto;
  @ApiProperty({ description: 'Running (ingesting): in this process or, distributed, in the camera process that holds its lease' }) running!: boolean;
  @ApiProperty({ type: CameraHealthDto, nullable: true, description: 'Live ingestion health (null when no process runs it)' })
  health!: CameraHealthDto | null;
  @ApiProperty({ type: Number, nullable: true, description: 'People in the last processed frame' }) currentCount!: number | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
}

/** The source part of a camera: posted to create, update and POST /api/cameras/test. */
export class CameraSourceDto {
  @ApiProperty({ enum: CAMERA_SOURCE_TYPES })
  @IsIn(CAMERA_SOURCE_TYPES as CameraSourceType[], { message: `sourceType must be one of: ${CAMERA_SOURCE_TYPES.join(', ')}` })
  sourceType!: CameraSourceType;

  @ApiProperty({
    maxLength: L.sourceUrlMax,
    description:
      'rtsp(s)://[user:pass@]host[:port]/path | http(s)://host/stream.mjpg | http(s)://host/live.m3u8 | rtmp(s)://host/app/stream | ' +
      'file path (relative to MEDIA_DIR or absolute inside a media dir) | usb: /dev/videoN or N',
  })
  @IsString() @MinLength(1) @MaxLength(L.sourceUrlMax)
  sourceUrl!: string;

  @ApiPropertyOptional({ type: CameraSourceOptionsDto })
  @IsOptional() @ValidateNested() @Type(() => CameraSourceOptionsDto)
  sourceOptions?: CameraSourceOptionsDto;
}

export class CreateCameraDto extends CameraSourceDto {
  @ApiProperty({ minLength: 1, maxLength: L.nameMax })
  @Transform(trim) @IsString() @MinLength(1) @MaxLength(L.nameMax) @Matches(NO_CONTROL_CHARS, { message: 'name must not contain control characters' })
  name!: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: L.locationMax })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsString() @MaxLength(L.locationMax)
  location?: string | null;

  @ApiPropertyOptional({ description: 'Ingest (default true); false = stored but not running' })
  @IsOptional() @IsBoolean()
  isActive?: boolean;

  @ApiPropertyOptional({ minimum: L.fpsMin, maximum: L.fpsMax, description: 'Frames per second decoded and processed (default CAMERA_DEFAULT_FPS)' })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(L.fpsMin) @Max(L.fpsMax)
  targetFps?: number;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: L.widthMin, maximum: L.widthMax })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsInt() @Min(L.widthMin) @Max(L.widthMax)
  resolutionWidth?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: L.heightMin, maximum: L.heightMax })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsInt() @Min(L.heightMin) @Max(L.heightMax)
  resolutionHeight?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: L.capacityMax })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsInt() @Min(1) @Max(L.capacityMax)
  capacity?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, exclusiveMinimum: true, minimum: 0, maximum: L.areaMax, description: 'Floor area m² (> 0)' })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0.000001, { message: 'areaM2 must be greater than 0' }) @Max(L.areaMax)
  areaM2?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: -90, maximum: 90, description: 'WGS 84 latitude, degrees (give with longitude)' })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'latitude must be a number from -90 to 90' })
  @Min(-90, { message: 'latitude must be a number from -90 to 90' }) @Max(90, { message: 'latitude must be a number from -90 to 90' })
  latitude?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: -180, maximum: 180, description: 'WGS 84 longitude, degrees (give with latitude)' })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'longitude must be a number from -180 to 180' })
  @Min(-180, { message: 'longitude must be a number from -180 to 180' }) @Max(180, { message: 'longitude must be a number from -180 to 180' })
  longitude?: number | null;

  @ApiPropertyOptional({ type: CalibrationDataDto, nullable: true, description: 'A Calibration or { frame, points | scale | manual } (validated)' })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @ValidateNested() @Type(() => CalibrationDataDto)
  calibrationData?: CalibrationDataDto | null;

  @ApiPropertyOptional({ type: [CameraZoneDto], maxItems: L.zonesMax })
  @IsOptional() @IsArray() @ArrayMaxSize(L.zonesMax) @ValidateNested({ each: true }) @Type(() => CameraZoneDto)
  zones?: CameraZoneDto[];

  @ApiPropertyOptional({ type: CameraSettingsDto, description: 'Unknown keys are refused at every level (400 naming the field)' })
  @IsOptional() @ValidateNested() @Type(() => CameraSettingsDto)
  settings?: CameraSettingsDto;
}

export class UpdateCameraDto extends PartialType(CreateCameraDto) {}

export class TestSourceDto extends CameraSourceDto {
  @ApiPropertyOptional({ minimum: L.testTimeoutMinMs, maximum: L.testTimeoutMaxMs, description: 'Limit for probe and snapshot each (default CAMERA_PROBE_TIMEOUT_MS)' })
  @IsOptional() @IsInt() @Min(L.testTimeoutMinMs) @Max(L.testTimeoutMaxMs)
  timeoutMs?: number;
}

export class TestCameraDto {
  @ApiPropertyOptional({ minimum: L.testTimeoutMinMs, maximum: L.testTimeoutMaxMs })
  @IsOptional() @IsInt() @Min(L.testTimeoutMinMs) @Max(L.testTimeoutMaxMs)
  timeoutMs?: number;
}

export class SourceTestResultDto {
  @ApiProperty({ description: 'ffprobe codec of the first video stream, e.g. h264' }) codec!: string;
  @ApiProperty() width!: number;
  @ApiProperty() height!: number;
  @ApiProperty({ type: Number, nullable: true }) fps!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'null for live streams' }) durationS!: number | null;
  @ApiProperty({ description: 'Decoded size at the camera settings (downscaled)' }) outputWidth!: number;
  @ApiProperty() outputHeight!: number;
  @ApiProperty({ type: String, nullable: true, description: 'One frame as a base64 JPEG (null if grabbing failed)' }) snapshotJpegBase64!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why there is no snapshot' }) snapshotError!: string | null;
  @ApiProperty() elapsedMs!: number;
}

export class CalibrateCameraDto {
  @ApiProperty({ type: CalibrationDataDto, description: '{ frame, points: [{ image, world }...] (>= 4) | scale: { a, b, distanceM } | manual: { floorAreaM2 } }, or a stored Calibration' })
  @IsObject() @ValidateNested() @Type(() => CalibrationDataDto)
  calibrationData!: CalibrationDataDto;

  @ApiPropertyOptional({ type: [CameraZoneDto], maxItems: L.zonesMax, description: 'Zones validated against the calibration (replace the stored ones when saved)' })
  @IsOptional() @IsArray() @ArrayMaxSize(L.zonesMax) @ValidateNested({ each: true }) @Type(() => CameraZoneDto)
  zones?: CameraZoneDto[];

  @ApiPropertyOptional({ type: [CountingLineDto], maxItems: L.linesMax, description: 'Counting lines (settings.analytics.lines)' })
  @IsOptional() @IsArray() @ArrayMaxSize(L.linesMax) @ValidateNested({ each: true }) @Type(() => CountingLineDto)
  lines?: CountingLineDto[];

  @ApiPropertyOptional({ description: 'Store it on the camera (default true); false = validate only' })
  @IsOptional() @IsBoolean()
  save?: boolean;
}

export class CalibrationResultDto {
  @ApiProperty({ enum: ['homography', 'scale', 'manual'] }) kind!: string;
  @ApiProperty({ description: 'Floor area of the calibrated region, m² (> 0)' }) areaM2!: number;
  @ApiProperty({ description: 'Scale/manual calibrations are approximate' }) approximate!: boolean;
  @ApiProperty({ description: 'Reprojection RMS error, px (homography)' }) rmsErrorPx!: number;
  @ApiProperty({ description: 'Reprojection RMS error, m (homography)' }) rmsErrorM!: number;
  @ApiProperty({ type: [String] }) warnings!: string[];
  @ApiProperty({ type: [Object], description: 'Zone areas, m²' }) zones!: { id: string; name: string; areaM2: number }[];
  @ApiProperty({ type: CalibrationDataDto, description: 'The validated Calibration' }) calibration!: CalibrationDataDto;
  @ApiProperty() saved!: boolean;
}

export class CloneCameraDto {
  @ApiProperty({ maxLength: L.nameMax })
  @Transform(trim) @IsString() @MinLength(1) @MaxLength(L.nameMax) @Matches(NO_CONTROL_CHARS, { message: 'name must not contain control characters' })
  name!: string;

  @ApiPropertyOptional({ enum: CAMERA_SOURCE_TYPES, description: "Default: the original's" })
  @IsOptional() @IsIn(CAMERA_SOURCE_TYPES as CameraSourceType[])
  sourceType?: CameraSourceType;

  @ApiProperty({ maxLength: L.sourceUrlMax })
  @IsString() @MinLength(1) @MaxLength(L.sourceUrlMax)
  sourceUrl!: string;

  @ApiPropertyOptional({ type: CameraSourceOptionsDto, description: "Default: the original's" })
  @IsOptional() @ValidateNested() @Type(() => CameraSourceOptionsDto)
  sourceOptions?: CameraSourceOptionsDto;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsString() @MaxLength(L.locationMax)
  location?: string | null;

  @ApiPropertyOptional({ description: 'Default false: review, then start' })
  @IsOptional() @IsBoolean()
  isActive?: boolean;
}

export class BulkCamerasDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: L.bulkMax })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(L.bulkMax) @ArrayUnique() @IsUUID('all', { each: true })
  ids!: string[];
}

export class BulkResultDto {
  @ApiProperty({ type: [String], description: 'Cameras changed' }) ids!: string[];
  @ApiProperty({ type: [String], description: 'Ids with no camera' }) notFound!: string[];
}
