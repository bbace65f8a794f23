import { Global, Module } from '@nestjs/common';
import { CamerasModule } from '@crowdsafe/server-cameras';
import { CameraRecordingOutputs } from '@crowdsafe/server-core';
import { LiveHlsController } from './live-hls.controller';
import { RecordingTicketService } from './recording-ticket.service';
import { RecordingRepository } from './recording.repository';
import { RecordingsController } from './recordings.controller';
import { DISK_STAT, realDiskStat, RecordingsRetentionService } from './recordings-retention.service';
import { RecordingsService } from './recordings.service';
import { SegmentRecorder } from './segment-recorder';

/**
 * Recordings (issue 14): the CameraRecordingOutputs port every camera's ffmpeg uses to copy its stream into
 * segments (global, so CamerasModule's supervisor finds it), on-demand and alert clips, retention, the REST API.
 * Relies on the global APP_CONFIG, database, LiveEventsPublisher and (optionally) AlertsService.
 */
@Global()
@Module({
  imports: [CamerasModule],
  controllers: [RecordingsController, LiveHlsController],
  providers: [
    SegmentRecorder,
    { provide: CameraRecordingOutputs, useExisting: SegmentRecorder },
    { provide: DISK_STAT, useValue: realDiskStat },
    RecordingRepository,
    RecordingsService,
    RecordingsRetentionService,
    RecordingTicketService,
  ],
  exports: [CameraRecordingOutputs, SegmentRecorder, RecordingsService, RecordingsRetentionService, RecordingRepository],
})
export class RecordingsModule {}
