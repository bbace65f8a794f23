import {
  BadRequestException,
  Controller,
  Get,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Query,
  ValidationPipe,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CameraRepository, completeMetricRecord, MetricsRepository, type MetricRecord } from '@crowdsafe/server-database';
import { MetricPointDto, MetricsRangeQueryDto } from './metrics.dto';
import { ViewerAccess } from '@crowdsafe/server-core';

/** Most buckets one range request may return. */
export const MAX_METRIC_POINTS = 10_000;
const DEFAULT_SPAN_MS = 3_600_000;
const DEFAULT_POINTS = 1000;

// Local pipe so the endpoint validates the same way whatever global pipes the app sets.
const queryPipe = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });

@ApiTags('metrics')
@ViewerAccess()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly cameras: CameraRepository,
    private readonly metrics: MetricsRepository,
  ) {}

  @Get(':cameraId')
  @ApiOperation({ operationId: 'getMetrics', summary: "A camera's metrics over a time range, in buckets" })
  @ApiParam({ name: 'cameraId', format: 'uuid' })
  @ApiOkResponse({ type: [MetricPointDto] })
  @ApiBadRequestResponse({ description: 'Malformed camera id, bad dates, start after end, interval out of 1..86400' })
  @ApiNotFoundResponse({ description: 'No camera with this id' })
  async range(
    @Param('cameraId', new ParseUUIDPipe()) cameraId: string,
    @Query(queryPipe) query: MetricsRangeQueryDto,
  ): Promise<MetricPointDto[]> {
    const end = query.end ? new Date(query.end) : new Date();
    const start = query.start ? new Date(query.start) : new Date(end.getTime() - DEFAULT_SPAN_MS);
    if (start.getTime() > end.getTime()) {
      throw new BadRequestException(`start (${start.toISOString()}) must not be after end (${end.toISOString()})`);
    }
    const spanS = (end.getTime() - start.getTime()) / 1000;
    const interval = query.interval ?? Math.min(86_400, Math.max(1, Math.ceil(spanS / DEFAULT_POINTS)));
    if (spanS / interval > MAX_METRIC_POINTS) {
      throw new BadRequestException(
        `start..end at interval=${interval} s gives ${Math.ceil(spanS / interval)} points; at most ${MAX_METRIC_POINTS}: use a larger interval`,
      );
    }
    await this.requireCamera(cameraId);
    const buckets = await this.metrics.range(cameraId, start, end, interval);
    return buckets.map((b) => ({
      time: b.time.toISOString(),
      cameraId,
      count: b.count,
      countMax: b.countMax,
      density: b.density,
      velocity: b.velocity,
      surge: b.surge,
      flowIn: b.flowIn,
      flowOut: b.flowOut,
      riskScore: b.riskScore,
      riskLevel: b.riskLevel,
      metadata: { samples: b.samples },
    }));
  }

  @Get(':cameraId/current')
  @ApiOperation({ operationId: 'getCurrentMetrics', summary: "A camera's latest stored second of metrics" })
  @ApiParam({ name: 'cameraId', format: 'uuid' })
  @ApiOkResponse({ type: MetricPointDto })
  @ApiBadRequestResponse({ description: 'Malformed camera id' })
  @ApiNotFoundResponse({ description: 'No camera with this id, or no metrics recorded for it yet' })
  async current(@Param('cameraId', new ParseUUIDPipe()) cameraId: string): Promise<MetricPointDto> {
    await this.requireCamera(cameraId);
    const row = await this.metrics.latest(cameraId);
    if (!row) throw new NotFoundException(`No metrics recorded yet for camera ${cameraId}`);
    return toPoint(row);
  }

  private async requireCamera(id: string): Promise<void> {
    if (!(await this.cameras.findById(id))) throw new NotFoundException(`Camera ${id} not found`);
  }
}

function toPoint(r: MetricRecord): MetricPointDto {
  return { ...completeMetricRecord(r), time: r.time.toISOString() };
}
