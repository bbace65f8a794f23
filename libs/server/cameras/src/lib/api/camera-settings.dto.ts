import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  registerDecorator,
  ValidateIf,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import {
  type AnalyticsSettings,
  type AnnotationSettingsInput,
  type CalibrationData,
  type CalibrationInputs,
  type CameraCalibrationPoint,
  type CameraCountingLine,
  type CameraFrameSize,
  type CameraRiskOverride,
  type CameraSettings,
  type CameraVec2,
  type CameraZone,
  type DetectionSettings,
  DETECTION_SETTINGS_LIMITS as D,
  GMC_MODES,
  type RecordingSettings,
  type TilingMode,
  TILING_MODES,
} from '@crowdsafe/contracts';
import { validateRiskConfig } from '@crowdsafe/risk';
import { RiskSettingsDto } from '@crowdsafe/server-settings';

// Nested DTOs of a camera's settings, calibrationData and zones. The global ValidationPipe (whitelist +
// forbidNonWhitelisted) rejects unknown keys at every level, like the runtime's parsers do; a bad nested field gives a
// 400 naming its path (`settings.detection.confidence must not be greater than 1`). Geometry that needs the
// calibration (zone areas, lines inside the frame, the homography) is checked by the analytics lib in the service.

export const SETTINGS_LIMITS = { idMax: 64, nameMax: 128, linesMax: 64, zonesMax: 64, polygonMax: 256, pointsMax: 256 } as const;
const S = SETTINGS_LIMITS;

const isVec2 = (v: unknown, lo = -Infinity, hi = Infinity): boolean =>
  Array.isArray(v) && v.length === 2 && v.every((c) => typeof c === 'number' && Number.isFinite(c) && c >= lo && c <= hi);

/** An [x, y] pair of finite numbers (optionally within [lo, hi]). */
function IsVec2(lo = -Infinity, hi = Infinity) {
  return (target: object, propertyName: string): void =>
    registerDecorator({
      name: 'isVec2',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (v: unknown) => isVec2(v, lo, hi),
        defaultMessage: (a?: ValidationArguments) =>
          `${a?.property} must be [x, y], 2 finite numbers${Number.isFinite(lo) ? ` in [${lo}, ${hi}]` : ''}`,
      },
    });
}

/** An array of min..max [x, y] pairs (optionally within [lo, hi]). */
function IsVec2Array(min: number, max: number, lo = -Infinity, hi = Infinity) {
  return (target: object, propertyName: string): void =>
    registerDecorator({
      name: 'isVec2Array',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (v: unknown) => Array.isArray(v) && v.length >= min && v.length <= max && v.every((p) => isVec2(p, lo, hi)),
        defaultMessage: (a?: ValidationArguments) =>
          `${a?.property} must be an array of ${min} to ${max} [x, y] points${Number.isFinite(lo) ? ` with ${lo} <= x, y <= ${hi}` : ' (finite numbers)'}`,
      },
    });
}

/** An array of n finite numbers. */
function IsFiniteNumbers(n: number) {
  return (target: object, propertyName: string): void =>
    registerDecorator({
      name: 'isFiniteNumbers',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (v: unknown) => Array.isArray(v) && v.length === n && v.every((c) => typeof c === 'number' && Number.isFinite(c)),
        defaultMessage: (a?: ValidationArguments) => `${a?.property} must be ${n} finite numbers`,
      },
    });
}

/** settings.risk: the risk lib's validateRiskConfig (every issue, with its path under `risk`). */
function IsRiskOverride() {
  return (target: object, propertyName: string): void =>
    registerDecorator({
      name: 'isRiskOverride',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (v: unknown) => validateRiskConfig(v).ok,
        defaultMessage: (a?: ValidationArguments) => {
          const v = validateRiskConfig(a?.value);
          return v.ok ? '' : v.issues.map((i) => `${a?.property}${i.path ? `.${i.path}` : ''}: ${i.message}`).join('; ');
        },
      },
    });
}

const VEC2 = { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 } as const;
const vec2Array = (minItems: number, maxItems: number, description: string) =>
  ({ type: 'array', items: VEC2, minItems, maxItems, description }) as const;
const finite = { allowNaN: false, allowInfinity: false } as const;

export class DetectionSettingsDto implements DetectionSettings {
  @ApiPropertyOptional({ minimum: D.unitMin, maximum: D.unitMax, description: 'Minimum detection confidence (default DETECT_CONFIDENCE)' })
  @IsOptional() @IsNumber(finite) @Min(D.unitMin) @Max(D.unitMax)
  confidence?: number;

  @ApiPropertyOptional({ minimum: D.unitMin, maximum: D.unitMax, description: 'NMS IoU threshold (default NMS_IOU)' })
  @IsOptional() @IsNumber(finite) @Min(D.unitMin) @Max(D.unitMax)
  iou?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: D.maxDetectionsMax, description: 'Max detections per frame (default MAX_DETECTIONS)' })
  @IsOptional() @IsInt() @Min(1) @Max(D.maxDetectionsMax)
  maxDetections?: number;

  @ApiPropertyOptional({ enum: TILING_MODES })
  @IsOptional() @IsIn(TILING_MODES as TilingMode[])
  tiling?: TilingMode;

  @ApiPropertyOptional({ ...vec2Array(D.roiMin, D.roiMax, 'Counting region, [x, y] fractions of the frame (0..1); null = whole frame'), nullable: true })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsVec2Array(D.roiMin, D.roiMax, 0, 1)
  roi?: CameraVec2[] | null;

  @ApiPropertyOptional({ enum: GMC_MODES, description: "Tracker motion compensation (default 'off'; 'sparseOptFlow' for moving cameras)" })
  @IsOptional() @IsIn(GMC_MODES as string[])
  gmc?: DetectionSettings['gmc'];
}

export class CountingLineDto implements CameraCountingLine {
  @ApiProperty({ minLength: 1, maxLength: S.idMax }) @IsString() @MinLength(1) @MaxLength(S.idMax) id!: string;
  @ApiProperty({ maxLength: S.nameMax }) @IsString() @MaxLength(S.nameMax) name!: string;
  @ApiProperty({ ...VEC2, description: 'Endpoint a, image pixels of the calibration frame' }) @IsVec2() a!: CameraVec2;
  @ApiProperty({ ...VEC2, description: 'Endpoint b' }) @IsVec2() b!: CameraVec2;
  @ApiProperty({ enum: ['left', 'right'], description: 'Crossings towards this side of a->b (on screen) count as in' })
  @IsIn(['left', 'right'])
  inDirection!: 'left' | 'right';
  @ApiProperty({ exclusiveMinimum: true, minimum: 0, description: 'Clear width of the passage, m (> 0)' })
  @IsNumber(finite) @Min(0.000001, { message: 'widthM must be greater than 0' })
  widthM!: number;
}

export class AnalyticsSettingsDto implements AnalyticsSettings {
  @ApiPropertyOptional({ type: [CountingLineDto], maxItems: S.linesMax, description: 'Counting lines' })
  @IsOptional() @IsArray() @ArrayMaxSize(S.linesMax) @ValidateNested({ each: true }) @Type(() => CountingLineDto)
  lines?: CountingLineDto[];
}

export class AnnotationSettingsDto implements AnnotationSettingsInput {
  @ApiPropertyOptional({ description: 'Boxes coloured by risk level (default true)' }) @IsOptional() @IsBoolean() riskColors?: boolean;
  @ApiPropertyOptional({ description: 'Confidence labels (default false)' }) @IsOptional() @IsBoolean() confidence?: boolean;
  @ApiPropertyOptional({ description: 'Direction arrows (default true)' }) @IsOptional() @IsBoolean() arrows?: boolean;
}

export class RecordingSettingsDto implements RecordingSettings {
  @ApiPropertyOptional({ description: 'Continuous recording (default RECORDINGS_CONTINUOUS)' }) @IsOptional() @IsBoolean() continuous?: boolean;
}

export class CameraSettingsDto implements CameraSettings {
  @ApiPropertyOptional({ type: DetectionSettingsDto })
  @IsOptional() @ValidateNested() @Type(() => DetectionSettingsDto)
  detection?: DetectionSettingsDto;

  @ApiPropertyOptional({ type: AnalyticsSettingsDto })
  @IsOptional() @ValidateNested() @Type(() => AnalyticsSettingsDto)
  analytics?: AnalyticsSettingsDto;

  // Validated as a whole by the risk lib (not transformed: its DTO documents the shape only).
  @ApiPropertyOptional({ type: RiskSettingsDto, description: "The camera's own risk settings, replacing the global ones (admin only)" })
  @IsOptional() @IsRiskOverride()
  risk?: CameraRiskOverride;

  @ApiPropertyOptional({ type: AnnotationSettingsDto })
  @IsOptional() @ValidateNested() @Type(() => AnnotationSettingsDto)
  annotation?: AnnotationSettingsDto;

  @ApiPropertyOptional({ type: RecordingSettingsDto })
  @IsOptional() @ValidateNested() @Type(() => RecordingSettingsDto)
  recording?: RecordingSettingsDto;
}

export class CameraZoneDto implements CameraZone {
  @ApiProperty({ minLength: 1, maxLength: S.idMax }) @IsString() @MinLength(1) @MaxLength(S.idMax) id!: string;
  @ApiProperty({ maxLength: S.nameMax }) @IsString() @MaxLength(S.nameMax) name!: string;
  @ApiProperty(vec2Array(3, S.polygonMax, 'Image pixels of the calibration frame'))
  @IsVec2Array(3, S.polygonMax)
  polygon!: CameraVec2[];
  @ApiPropertyOptional({ exclusiveMinimum: true, minimum: 0, description: 'Safe occupancy, people' })
  @IsOptional() @IsNumber(finite) @Min(0.000001, { message: 'capacity must be greater than 0' })
  capacity?: number;
  @ApiPropertyOptional({ exclusiveMinimum: true, minimum: 0, description: 'Surveyed floor area, m² (overrides the calibrated one)' })
  @IsOptional() @IsNumber(finite) @Min(0.000001, { message: 'areaM2 must be greater than 0' })
  areaM2?: number;
}

export class CameraFrameSizeDto implements CameraFrameSize {
  @ApiProperty({ type: 'integer', minimum: 1 }) @IsInt() @Min(1) width!: number;
  @ApiProperty({ type: 'integer', minimum: 1 }) @IsInt() @Min(1) height!: number;
}

export class CalibrationPointDto implements CameraCalibrationPoint {
  @ApiProperty({ ...VEC2, description: 'Image pixels' }) @IsVec2() image!: CameraVec2;
  @ApiProperty({ ...VEC2, description: 'Floor position, m' }) @IsVec2() world!: CameraVec2;
}

export class CalibrationScaleDto {
  @ApiProperty(VEC2) @IsVec2() a!: CameraVec2;
  @ApiProperty(VEC2) @IsVec2() b!: CameraVec2;
  @ApiProperty({ description: 'Real distance a-b, m' }) @IsNumber(finite) distanceM!: number;
}

export class CalibrationManualDto {
  @ApiProperty({ description: 'Floor area, m²' }) @IsNumber(finite) floorAreaM2!: number;
}

/** Raw calibration inputs: `frame` + `points` (homography) | `scale` | `manual`. */
export class CalibrationInputsDto implements CalibrationInputs {
  @ApiPropertyOptional({ type: CameraFrameSizeDto, description: 'Size of the image the pixel coordinates refer to' })
  @IsOptional() @ValidateNested() @Type(() => CameraFrameSizeDto)
  frame?: CameraFrameSizeDto;

  @ApiPropertyOptional(vec2Array(3, S.polygonMax, 'Floor region, image pixels (default: derived)'))
  @IsOptional() @IsVec2Array(3, S.polygonMax)
  floorPolygon?: CameraVec2[];

  @ApiPropertyOptional({ type: [CalibrationPointDto], maxItems: S.pointsMax, description: 'Homography: >= 4 image/floor correspondences' })
  @IsOptional() @IsArray() @ArrayMaxSize(S.pointsMax) @ValidateNested({ each: true }) @Type(() => CalibrationPointDto)
  points?: CalibrationPointDto[];

  @ApiPropertyOptional({ type: CalibrationScaleDto, description: 'Two image points a known distance apart' })
  @IsOptional() @ValidateNested() @Type(() => CalibrationScaleDto)
  scale?: CalibrationScaleDto;

  @ApiPropertyOptional({ type: CalibrationManualDto, description: 'Entered floor area' })
  @IsOptional() @ValidateNested() @Type(() => CalibrationManualDto)
  manual?: CalibrationManualDto;

}

/**
 * Raw inputs (`frame` + `points` | `scale` | `manual`) or a stored Calibration (`kind`, `imageToGround`, ...,
 * optionally with its raw `input`, which the console's editor reloads); which one and the geometry are checked by
 * the analytics lib (docs/calibration/README.md).
 */
export class CalibrationDataDto extends CalibrationInputsDto implements CalibrationData {
  @ApiPropertyOptional({ type: CalibrationInputsDto, description: 'Stored Calibration: the raw inputs it was computed from' })
  @IsOptional() @ValidateNested() @Type(() => CalibrationInputsDto)
  input?: CalibrationInputsDto;

  @ApiPropertyOptional({ enum: ['homography', 'scale', 'manual'], description: 'Stored Calibration: how it was obtained' })
  @IsOptional() @IsIn(['homography', 'scale', 'manual'])
  kind?: 'homography' | 'scale' | 'manual';

  @ApiPropertyOptional() @IsOptional() @IsBoolean() approximate?: boolean;

  @ApiPropertyOptional({ type: [Number], nullable: true, minItems: 9, maxItems: 9, description: 'Stored Calibration: image -> ground 3x3, row-major' })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsFiniteNumbers(9)
  imageToGround?: number[] | null;

  @ApiPropertyOptional({ type: [Number], nullable: true, minItems: 9, maxItems: 9, description: 'Stored Calibration: ground -> image 3x3' })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsFiniteNumbers(9)
  groundToImage?: number[] | null;

  @ApiPropertyOptional() @IsOptional() @IsNumber(finite) floorAreaM2?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber(finite) rmsErrorPx?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber(finite) rmsErrorM?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber(finite) maxErrorPx?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber(finite) maxErrorM?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) pointCount?: number;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @IsString({ each: true }) warnings?: string[];
}
