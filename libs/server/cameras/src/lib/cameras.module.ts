import { Global, Module } from '@nestjs/common';
import { MetricsModule } from '@crowdsafe/server-metrics';
import { CamerasController } from './api/cameras.controller';
import { CamerasService } from './api/cameras.service';
import { LiveController } from './api/live.controller';
import { LiveMjpegService } from './api/live-mjpeg.service';
import { LiveTicketService } from './api/live-ticket.service';
import { LiveFrameSink } from './runtime/live-frame-encoder';
import { CameraLiveQueries, CameraLiveState } from '@crowdsafe/pipeline';
import { ClusterCameraLiveQueries } from './runtime/cluster-live-queries';
import { CameraSupervisor } from './runtime/camera-supervisor';

/**
 * Cameras: the ingestion runtimes and the camera API. Relies on globally provided APP_CONFIG, the database
 * repositories, FrameStore/InferenceClient (global AiModule) and LiveEventsPublisher (global RealtimeModule).
 * Global: its read ports (CameraLiveState: this process's cameras; CameraLiveQueries: wherever they run) are
 * injected by the system, recordings and analytics modules, which cannot import this one (it depends on them).
 */
@Global()
@Module({
  imports: [MetricsModule],
  controllers: [CamerasController, LiveController],
  providers: [CameraSupervisor, CamerasService, LiveMjpegService, LiveTicketService, { provide: LiveFrameSink, useExisting: LiveMjpegService }, { provide: CameraLiveState, useExisting: CameraSupervisor }, { provide: CameraLiveQueries, useClass: ClusterCameraLiveQueries }],
  exports: [CameraSupervisor, CameraLiveState, CameraLiveQueries, CamerasService, LiveMjpegService],
})
export class CamerasModule {}
