import { Module } from '@nestjs/common';
import { MetricsModule } from '@crowdsafe/server-metrics';
import { CamerasController } from './api/cameras.controller';
import { CamerasService } from './api/cameras.service';
import { LiveController } from './api/live.controller';
import { LiveMjpegService } from './api/live-mjpeg.service';
import { LiveTicketService } from './api/live-ticket.service';
import { LiveFrameSink } from './runtime/live-frame-encoder';
import { CameraLiveState } from '@crowdsafe/pipeline';
import { CameraSupervisor } from './runtime/camera-supervisor';

/**
 * Cameras: the ingestion runtimes and the camera API. Relies on globally provided APP_CONFIG, the database
 * repositories, FrameStore/InferenceClient (global AiModule) and LiveEventsPublisher (global RealtimeModule).
 */
@Module({
  imports: [MetricsModule],
  controllers: [CamerasController, LiveController],
  providers: [CameraSupervisor, CamerasService, LiveMjpegService, LiveTicketService, { provide: LiveFrameSink, useExisting: LiveMjpegService }, { provide: CameraLiveState, useExisting: CameraSupervisor }],
  exports: [CameraSupervisor, CameraLiveState, CamerasService, LiveMjpegService],
})
export class CamerasModule {}
