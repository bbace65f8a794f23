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
import { AnalyticsRepository } from './analytics.repository';
import { MetricsSummaryDto, TimeRangeQueryDto } from './analytics.dto';
import { autoInterval, MAX_METRIC_POINTS } from './downsampling';
import { ViewerAccess } from '@crowdsafe/server-core';

const DEFAULT_SPAN_MS = 3_600_000;
const SUMMARY_DEFAULT_SPAN_MS = 86_400_000;
/** Longest range a summary may cover. */
export const MAX_SUMMARY_SPAN_DAYS = 366;

// Local pipe so the endpoint validates the same way whatever global pipes the app sets.
const queryPipe = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });

@ApiTags('metrics')
@ViewerAccess()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly cameras: CameraRepository,
    private readonly metrics: MetricsRepository,
    private readonly analytics: AnalyticsRepository,
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
    const interval = query.interval ?? autoInterval(spanS);
    if (spanS / interval > MAX_METRIC_POINTS) {
      throw new BadRequestException(
        `start..end at interval=${interval} s gives ${Math.ceil(spanS / interval)} points; at most ${MAX_METRIC_POINTS}: use a larger interval`,
      );
    }
    await this.requireCamera(cameraId);
    const buckets = await this.analytics.buckets(cameraId, start, end, interval);
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

  @Get(':cameraId/summary')
  @ApiOperation({
    operationId: 'getMetricsSummary',
    summary: "A camera's summary over a range: average/peak count and density (and when), average risk, time per level, uptime, flow totals",
  })
  @ApiParam({ name: 'cameraId', format: 'uuid' })
  @ApiOkResponse({ type: MetricsSummaryDto })
  @ApiBadRequestResponse({ description: `Malformed camera id, bad dates, from after to, a range over ${MAX_SUMMARY_SPAN_DAYS} days` })
  @ApiNotFoundResponse({ description: 'No camera with this id' })
  async summary(@Param('cameraId', new ParseUUIDPipe()) cameraId: string, @Query(queryPipe) query: TimeRangeQueryDto): Promise<MetricsSummaryDto> {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - SUMMARY_DEFAULT_SPAN_MS);
    if (from.getTime() > to.getTime()) throw new BadRequestException(`from (${from.toISOString()}) must not be after to (${to.toISOString()})`);
    if (to.getTime() - from.getTime() > MAX_SUMMARY_SPAN_DAYS * 86_400_000) throw new BadRequestException(`from..to may span at most ${MAX_SUMMARY_SPAN_DAYS} days`);
    await this.requireCamera(cameraId);
    const s = await this.analytics.summary(cameraId, from, to);
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    return {
      ...s,
      cameraId,
      from: from.toISOString(),
      to: to.toISOString(),
      countPeakAt: iso(s.countPeakAt),
      densityPeakAt: iso(s.densityPeakAt),
      first: iso(s.first),
      last: iso(s.last),
    };
  }

  private async requireCamera(id: string): Promise<void> {
    if (!(await this.cameras.findById(id))) throw new NotFoundException(`Camera ${id} not found`);
  }
}

function toPoint(r: MetricRecord): MetricPointDto {
  return { ...completeMetricRecord(r), time: r.time.toISOString() };
}
