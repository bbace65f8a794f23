import { Body, Controller, Get, NotFoundException, Param, Post, Query, Res, ValidationPipe } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type AuthUser, CurrentUser, OperatorAccess, ViewerAccess } from '@crowdsafe/server-core';
import type { ReportRecord } from '@crowdsafe/server-database';
import { CreateReportDto, ReportCreatedDto, ReportDto, ReportPageDto, ReportsQueryDto } from './reports.dto';
import { ReportsService } from './reports.service';

const strict = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export function toReportDto(r: ReportRecord): ReportDto {
  return {
    id: r.id,
    type: r.type,
    format: r.format,
    status: r.status,
    progress: r.progress,
    title: r.title,
    params: { cameraIds: (r.params['cameraIds'] as string[] | undefined) ?? [], from: String(r.params['from']), to: String(r.params['to']), alertId: (r.params['alertId'] as string | null | undefined) ?? null },
    sizeBytes: r.sizeBytes,
    error: r.error,
    createdBy: r.createdBy,
    createdAt: iso(r.createdAt) as string,
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    downloadUrl: r.status === 'done' ? `/api/reports/${r.id}/download` : null,
  };
}

@ApiTags('reports')
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Post()
  @OperatorAccess()
  @ApiOperation({ operationId: 'createReport', summary: 'Queue a report (daily, weekly, incident, custom; PDF or Excel); progress via GET /api/reports/{id} or the report_progress socket event' })
  @ApiAcceptedResponse({ type: ReportCreatedDto })
  @ApiOkResponse({ type: ReportCreatedDto })
  @ApiBadRequestResponse({ description: 'Unknown type/format, from after to, a range over 366 days, unknown camera or alert' })
  @ApiServiceUnavailableResponse({ description: 'Too many reports waiting' })
  async create(@Body(strict) body: CreateReportDto, @CurrentUser() user: AuthUser | undefined): Promise<ReportCreatedDto> {
    const r = await this.reports.create(body, user?.id ?? null);
    return { id: r.id, report: toReportDto(r) };
  }

  @Get()
  @ViewerAccess()
  @ApiOperation({ operationId: 'listReports', summary: 'Report history, newest first' })
  @ApiOkResponse({ type: ReportPageDto })
  async list(@Query(strict) q: ReportsQueryDto): Promise<ReportPageDto> {
    const page = await this.reports.list(q.limit ?? 50, q.offset ?? 0);
    return { items: page.items.map(toReportDto), total: page.total };
  }

  @Get(':id')
  @ViewerAccess()
  @ApiOperation({ operationId: 'getReport', summary: 'A report: status, progress (0-100), error, download link when done' })
  @ApiOkResponse({ type: ReportDto })
  @ApiNotFoundResponse({ description: 'Unknown report' })
  async get(@Param('id') id: string): Promise<ReportDto> {
    const r = await this.reports.get(id);
    if (!r) throw new NotFoundException(`report ${id.slice(0, 64)} not found`);
    return toReportDto(r);
  }

  @Get(':id/download')
  @ViewerAccess()
  @ApiOperation({ operationId: 'downloadReport', summary: 'The generated file (PDF or xlsx)' })
  @ApiProduces('application/pdf', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOkResponse({ description: 'The file', schema: { type: 'string', format: 'binary' } })
  @ApiNotFoundResponse({ description: 'Unknown report, or not finished' })
  async download(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const f = await this.reports.file(id);
    if (!f) throw new NotFoundException(`report ${id.slice(0, 64)} not found or not finished`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.download(f.path, f.name, { headers: { 'Content-Type': f.type } });
  }
}
