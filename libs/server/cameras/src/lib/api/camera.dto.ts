import { ApiProperty } from '@nestjs/swagger';
import { CAMERA_SOURCE_TYPES, CAMERA_STATUSES, type CameraHealth, type CameraSourceType, type CameraStatus } from '@crowdsafe/contracts';

export class CameraHealthDto implements CameraHealth {
  @ApiProperty({ enum: CAMERA_STATUSES }) status!: CameraStatus;
  @ApiProperty({ required: false }) reason?: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Age of the last decoded frame in ms' }) lastFrameAgeMs!: number | null;
  @ApiProperty({ description: 'Frames decoded per second (last 5 s)' }) fpsIn!: number;
  @ApiProperty({ description: 'Frames through inference per second (last 5 s)' }) fpsOut!: number;
  @ApiProperty({ description: 'Frames dropped because the bounded buffer was full' }) droppedFrames!: number;
  @ApiProperty({ description: 'Frames discarded as older than FRAME_MAX_AGE_MS' }) staleFrames!: number;
  @ApiProperty() restarts!: number;
  @ApiProperty() framesDecoded!: number;
  @ApiProperty() framesProcessed!: number;
}

export class CameraDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) location!: string | null;
  @ApiProperty({ enum: CAMERA_SOURCE_TYPES }) sourceType!: CameraSourceType;
  @ApiProperty() isActive!: boolean;
  @ApiProperty({ enum: CAMERA_STATUSES }) status!: CameraStatus;
  @ApiProperty({ type: String, nullable: true }) statusReason!: string | null;
  @ApiProperty() targetFps!: number;
  @ApiProperty({ type: CameraHealthDto, nullable: true, description: 'Live ingestion health (null when not running in this process)' })
  health!: CameraHealthDto | null;
  @ApiProperty({ type: Number, nullable: true, description: 'People in the last processed frame' }) currentCount!: number | null;
}
