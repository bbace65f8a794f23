import { Module } from '@nestjs/common';
import { DiskSpaceWatch } from './disk-space-watch';
import { SpatialHeatmapController } from './spatial-heatmap.controller';
import { SystemController } from './system.controller';
import { SystemService } from './system.service';

/**
 * GET /api/system/{health,stats,logs} and GET /api/analytics/heatmap/:cameraId/spatial (a running camera's grid). Needs DatabaseModule.forRoot and APP_CONFIG; reads the camera runtimes
 * (CameraSupervisor, when CamerasModule is loaded) and the inference client/queue (global AiModule) when present.
 */
@Module({
  controllers: [SystemController, SpatialHeatmapController],
  providers: [SystemService, DiskSpaceWatch],
  exports: [SystemService],
})
export class SystemModule {}
