import { BadRequestException, Controller, Get, Query, Res, ValidationPipe } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ViewerAccess } from '@crowdsafe/server-core';
import { CROSSING_EVENTS_MAX_PAGE, CrossingEventRepository, type CrossingEventQuery, type CrossingEventRecord } from '@crowdsafe/server-database';
import { CrossingEventPageDto, type CrossingEventDto, CrossingsFilterDto, CrossingsQueryDto } from './crossings.dto';

const strict = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });
/** Rows one CSV export may hold at most (narrow the range for more). */
export const CROSSINGS_CSV_MAX_ROWS = 1_000_000;

function toDto(r: CrossingEventRecord): CrossingEventDto {
  return { id: r.id, time: r.time.toISOString(), cameraId: r.cameraId, lineId: r.lineId, lineName: r.lineName, direction: r.direction, trackId: r.trackId };
}

function filterOf(q: CrossingsFilterDto): CrossingEventQuery {
  const from = q.from ? new Date(q.from) : undefined;
  const to = q.to ? new Date(q.to) : undefined;
  if (from && to && from.getTime() > to.getTime()) throw new BadRequestException(`from (${from.toISOString()}) must not be after to (${to.toISOString()})`);
  return { cameraId: q.cameraId, lineId: q.lineId, direction: q.direction, trackId: q.trackId, from, to };
}

/** A CSV field: quoted when it holds a comma, quote or line break; a leading =+-@ is neutralised (CSV injection). */
export function csvField(v: string | number): string {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CROSSINGS_CSV_HEADER = 'time,camera_id,line_id,line_name,direction,track_id';

export function crossingCsvLine(r: CrossingEventRecord): string {
  return [r.time.toISOString(), r.cameraId, r.lineId, r.lineName, r.direction, r.trackId].map(csvField).join(',');
}

/** Counting-line crossings (the spec's person_logs): one row per person crossing a line, oldest first. */
@ApiTags('crossings')
@Controller('crossings')
export class CrossingsController {
  constructor(private readonly repo: CrossingEventRepository) {}

  @Get()
  @ViewerAccess()
  @ApiOperation({ operationId: 'getCrossings', summary: 'Counting-line crossings (time, camera, line, direction, track id), oldest first, paged' })
  @ApiOkResponse({ type: CrossingEventPageDto })
  @ApiBadRequestResponse({ description: 'A malformed filter (named), from after to, limit/offset out of range' })
  async list(@Query(strict) q: CrossingsQueryDto): Promise<CrossingEventPageDto> {
    const page = await this.repo.find({ ...filterOf(q), limit: q.limit ?? 100, offset: q.offset ?? 0 });
    return { total: page.total, items: page.items.map(toDto) };
  }

  @Get('export.csv')
  @ViewerAccess()
  @ApiOperation({ operationId: 'exportCrossingsCsv', summary: 'The same crossings as CSV (time,camera_id,line_id,line_name,direction,track_id), streamed' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'text/csv; at most 1,000,000 rows (narrow the range for more)', schema: { type: 'string' } })
  @ApiBadRequestResponse({ description: 'A malformed filter (named), from after to' })
  async csv(@Query(strict) q: CrossingsFilterDto, @Res() res: Response): Promise<void> {
    const filter = filterOf(q);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="crossings.csv"');
    res.setHeader('Cache-Control', 'no-store');
    res.write(`${CROSSINGS_CSV_HEADER}\n`);
    for (let offset = 0; offset < CROSSINGS_CSV_MAX_ROWS; offset += CROSSING_EVENTS_MAX_PAGE) {
      const page = await this.repo.find({ ...filter, limit: CROSSING_EVENTS_MAX_PAGE, offset });
      if (page.items.length) res.write(`${page.items.map(crossingCsvLine).join('\n')}\n`);
      if (page.items.length < CROSSING_EVENTS_MAX_PAGE || res.destroyed) break;
    }
    res.end();
  }
}
