// "Detect markers in the current frame": ArUco markers lying flat at surveyed floor positions give a homography
// proposal (calibrateFromMarkers) for the calibration editor to show and the operator to accept (POST
// /api/cameras/:id/calibrate with it). Nothing is stored here.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsIn, IsObject, IsOptional } from 'class-validator';
import { ARUCO_DICTIONARIES, calibrateFromMarkers, detectMarkers, type ArucoDictionaryName, type MarkerLayout, type Vec2 } from '@crowdsafe/analytics';
import type { RawFrame } from '@crowdsafe/contracts';

export class ArucoCalibrateDto {
  @ApiPropertyOptional({ enum: ARUCO_DICTIONARIES, default: 'ARUCO_4X4_1000', description: 'Marker dictionary (OpenCV DICT_4X4_* = ARUCO_4X4_1000, ...)' })
  @IsOptional() @IsIn(ARUCO_DICTIONARIES as unknown as string[], { message: `dictionary must be one of ${ARUCO_DICTIONARIES.join(', ')}` })
  dictionary?: ArucoDictionaryName;

  @ApiProperty({ type: Object, description: 'Marker id -> { sizeM, center?: [x, y] m (omit on the origin marker), rotationDeg? }' })
  @IsObject({ message: 'layout must be an object { "<marker id>": { sizeM, center?, rotationDeg? } }' })
  layout!: Record<string, { sizeM: number; center?: [number, number]; rotationDeg?: number }>;

  @ApiPropertyOptional({ type: [Array], description: 'Floor polygon for camera-level density, image px of the current frame (default: the whole frame)' })
  @IsOptional() @IsArray()
  floorPolygon?: [number, number][];
}

export class DetectedMarkerDto {
  @ApiProperty() id!: number;
  @ApiProperty({ type: [Array], description: 'Corners, image px (top-left, top-right, bottom-right, bottom-left as printed)' }) corners!: [number, number][];
  @ApiProperty({ description: 'In the layout and used for the fit' }) used!: boolean;
  @ApiProperty({ type: Number, nullable: true, description: 'RMS reprojection error of its corners, px' }) rmsErrorPx!: number | null;
}

export class ArucoCalibrationDto {
  @ApiProperty({ type: Object, description: 'Decoded frame size the markers were found in' }) frame!: { width: number; height: number };
  @ApiProperty({ type: [DetectedMarkerDto] }) markers!: DetectedMarkerDto[];
  @ApiProperty({ type: Object, nullable: true, description: 'The proposed Calibration (kind homography); accept it with POST /api/cameras/:id/calibrate' })
  calibration!: Record<string, unknown> | null;
  @ApiProperty({ description: 'Share of the frame covered by the used markers, 0..1 (accuracy degrades away from them)' }) coverage!: number;
  @ApiProperty({ type: [String], description: 'Problems and warnings, "code: message"' }) issues!: string[];
}

/** Detects the markers in `frame` and fits the homography of the layout; never throws on a bad layout (issues). */
export function arucoProposal(frame: RawFrame, dto: ArucoCalibrateDto): ArucoCalibrationDto {
  const detections = detectMarkers({ width: frame.width, height: frame.height, data: frame.data, channels: 3 }, { dictionary: dto.dictionary ?? 'ARUCO_4X4_1000' });
  const r = calibrateFromMarkers({
    frame: { width: frame.width, height: frame.height },
    detections,
    layout: dto.layout as unknown as MarkerLayout,
    ...(dto.floorPolygon ? { floorPolygon: dto.floorPolygon as Vec2[] } : {}),
  });
  const used = new Map(r.ok ? r.value.markers.map((m) => [m.id, m]) : []);
  return {
    frame: { width: frame.width, height: frame.height },
    markers: detections.map((d) => ({
      id: d.id,
      corners: d.corners.map(([x, y]) => [Math.round(x * 100) / 100, Math.round(y * 100) / 100] as [number, number]),
      used: used.has(d.id),
      rmsErrorPx: used.has(d.id) ? Math.round((used.get(d.id)?.rmsErrorPx ?? 0) * 100) / 100 : null,
    })),
    calibration: r.ok ? (r.value.calibration as unknown as Record<string, unknown>) : null,
    coverage: r.ok ? Math.round(r.value.coverage * 1000) / 1000 : 0,
    issues: r.issues.map((i) => `${i.code}: ${i.message}`),
  };
}
