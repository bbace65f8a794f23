import { Module } from '@nestjs/common';
import { MetricsModule } from '@crowdsafe/server-metrics';
import { CamerasController } from './api/cameras.controller';
import { CamerasService } from './api/cameras.service';
import { CameraSupervisor } from './runtime/camera-supervisor';

/**
 * Cameras: the ingestion runtimes and the camera API. Relies on globally provided APP_CONFIG, the database
 * repositories, FrameStore/InferenceClient (global AiModule) and LiveEventsPublisher (global RealtimeModule).
 */
@Module({
  imports: [MetricsModule],
  controllers: [CamerasController],
  providers: [CameraSupervisor, CamerasService],
  exports: [CameraSupervisor, CamerasService],
})
export class CamerasModule {}
