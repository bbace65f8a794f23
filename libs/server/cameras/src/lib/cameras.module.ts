import { Module } from '@nestjs/common';
import { MetricsModule } from '@crowdsafe/server-metrics';
import { CamerasController } from './api/cameras.controller';
import { CameraSupervisor } from './runtime/camera-supervisor';

/**
 * Cameras: the ingestion runtimes and the camera API. Relies on globally provided APP_CONFIG, the database
 * repositories, FrameStore/InferenceClient (global AiModule) and LiveEventsPublisher (global RealtimeModule).
 */
@Module({
  imports: [MetricsModule],
  controllers: [CamerasController],
  providers: [CameraSupervisor],
  exports: [CameraSupervisor],
})
export class CamerasModule {}
