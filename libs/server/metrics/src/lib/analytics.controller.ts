import { BadRequestException, Controller, Get, Inject, NotFoundException, Optional, Param, ParseUUIDPipe, Query, ValidationPipe } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ViewerAccess } from '@crowdsafe/server-core';
import { CameraRepository } from '@crowdsafe/server-database';
import { SettingsService } from '@crowdsafe/server-settings';
import { BusyHoursDto, BusyHoursQueryDto, CompareQueryDto, CompareResultDto } from './analytics.dto';
import { AnalyticsRepository } from './analytics.repository';
import { autoInterval, MAX_METRIC_POINTS } from './downsampling';

const queryPipe = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
const DEFAULT_COMPARE_SPAN_MS = 3_600_000;
const DEFAULT_BUSY_SPAN_MS = 7 * 86_400_000;
/** Longest range of the busy-hours table (hourly buckets: at most ~8800 rows). */
export const MAX_BUSY_HOURS_SPAN_DAYS = 366;

function range(from: string | undefined, to: string | undefined, defaultSpanMs: number): { from: Date; to: Date } {
  const end = to ? new Date(to) : new Date();
  const start = from ? new Date(from) : new Date(end.getTime() - defaultSpanMs);
  if (start.getTime() > end.getTime()) throw new BadRequestException(`from (${start.toISOString()}) must not be after to (${end.toISOString()})`);
  return { from: start, to: end };
}

@ApiTags('analytics')
@ViewerAccess()
@Controller('analytics')
export class AnalyticsController {
  constructor(
    private readonly cameras: CameraRepository,
    private readonly analytics: AnalyticsRepository,
    @Optional() @Inject(SettingsService) private readonly settings: SettingsService | null = null,
  ) {}

  @Get('compare')
  @ApiOperation({ operationId: 'compareCameras', summary: 'One metric of up to 16 cameras as aligned series (same buckets for every camera)' })
  @ApiOkResponse({ type: CompareResultDto })
  @ApiBadRequestResponse({ description: 'No/too many/malformed camera ids, unknown metric, bad dates, too many points' })
  @ApiNotFoundResponse({ description: 'A camera id that does not exist' })
  async compare(@Query(queryPipe) q: CompareQueryDto): Promise<CompareResultDto> {
    const { from, to } = range(q.from, q.to, DEFAULT_COMPARE_SPAN_MS);
    const spanS = (to.getTime() - from.getTime()) / 1000;
    const interval = q.interval ?? autoInterval(spanS);
    if (spanS / interval > MAX_METRIC_POINTS) {
      throw new BadRequestException(`from..to at interval=${interval} s gives ${Math.ceil(spanS / interval)} points; at most ${MAX_METRIC_POINTS}: use a larger interval`);
    }
    const ids = [...new Set(q.cameraIds.map((id) => id.toLowerCase()))];
    for (const id of ids) if (!(await this.cameras.findById(id))) throw new NotFoundException(`Camera ${id} not found`);
    const r = await this.analytics.compare(ids, q.metric, from, to, interval);
    return { metric: q.metric, interval, times: r.times.map((t) => t.toISOString()), series: r.series };
  }

  @Get('heatmap/:cameraId')
  @ApiOperation({
    operationId: 'getBusyHours',
    summary: 'Busy hours: weekday x hour average (and peak) of count or density over a range, in a time zone',
  })
  @ApiParam({ name: 'cameraId', format: 'uuid' })
  @ApiOkResponse({ type: BusyHoursDto })
  @ApiBadRequestResponse({ description: `Malformed id, bad dates, unknown metric or time zone, a range over ${MAX_BUSY_HOURS_SPAN_DAYS} days` })
  @ApiNotFoundResponse({ description: 'No camera with this id' })
  async busyHours(@Param('cameraId', new ParseUUIDPipe()) cameraId: string, @Query(queryPipe) q: BusyHoursQueryDto): Promise<BusyHoursDto> {
    const { from, to } = range(q.from, q.to, DEFAULT_BUSY_SPAN_MS);
    if (to.getTime() - from.getTime() > MAX_BUSY_HOURS_SPAN_DAYS * 86_400_000) throw new BadRequestException(`from..to may span at most ${MAX_BUSY_HOURS_SPAN_DAYS} days`);
    if (!(await this.cameras.findById(cameraId))) throw new NotFoundException(`Camera ${cameraId} not found`);
    const metric = q.metric ?? 'count';
    const timeZone = q.timeZone ?? this.settings?.get('general', 'timeZone') ?? 'UTC';
    const cells = await this.analytics.hourOfWeek(cameraId, metric, from, to, timeZone);
    return { cameraId, metric, timeZone, from: from.toISOString(), to: to.toISOString(), cells };
  }
}
