import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  StreamableFile,
  ValidationPipe,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, OperatorAccess, ViewerAccess, type AlertCommandResult, type AuthUser } from '@crowdsafe/server-core';
import { AlertRepository } from '@crowdsafe/server-database';
import { AlertCommandsService } from './alert-commands.service';
import { viewOfRecord } from './alert-view';
import { AlertActionDto, AlertDto, AlertPageDto, AlertQueryDto, AlertStatisticsDto, AlertStatisticsQueryDto } from './alerts.dto';
import { AlertsService } from './alerts.service';

const pipe = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });

function range(from?: string, to?: string): { from?: Date; to?: Date } {
  const f = from ? new Date(from) : undefined;
  const t = to ? new Date(to) : undefined;
  if (f && t && f.getTime() > t.getTime()) throw new BadRequestException(`from (${f.toISOString()}) must not be after to (${t.toISOString()})`);
  return { from: f, to: t };
}

@ApiTags('alerts')
@Controller('alerts')
export class AlertsController {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly service: AlertsService,
    private readonly commands: AlertCommandsService,
  ) {}

  @Get()
  @ViewerAccess()
  @ApiOperation({ operationId: 'listAlerts', summary: 'Alerts, newest first, filtered and paged (limit <= 500)' })
  @ApiOkResponse({ type: AlertPageDto })
  @ApiBadRequestResponse({ description: 'Bad filter, dates, limit or offset' })
  async list(@Query(pipe) q: AlertQueryDto): Promise<AlertPageDto> {
    const { from, to } = range(q.from, q.to);
    const limit = q.limit ?? 100;
    const offset = q.offset ?? 0;
    const page = await this.alerts.query({ cameraId: q.cameraId, level: q.level, status: q.status, condition: q.condition, from, to, limit, offset });
    return { items: page.items.map(viewOfRecord), total: page.total, limit, offset };
  }

  @Get('statistics')
  @ViewerAccess()
  @ApiOperation({ operationId: 'alertStatistics', summary: 'Counts by level, camera, condition and status; response time trigger -> acknowledge' })
  @ApiOkResponse({ type: AlertStatisticsDto })
  @ApiBadRequestResponse({ description: 'Bad dates' })
  async statistics(@Query(pipe) q: AlertStatisticsQueryDto): Promise<AlertStatisticsDto> {
    const { from, to } = range(q.from, q.to);
    const s = await this.alerts.statistics(from, to);
    return { from: from?.toISOString() ?? null, to: to?.toISOString() ?? null, ...s };
  }

  @Get(':id')
  @ViewerAccess()
  @ApiOperation({ operationId: 'getAlert', summary: 'One alert' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AlertDto })
  @ApiBadRequestResponse({ description: 'Malformed id' })
  @ApiNotFoundResponse({ description: 'No alert with this id' })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<AlertDto> {
    const row = await this.alerts.findById(id);
    if (!row) throw new NotFoundException(`Alert ${id} not found`);
    return viewOfRecord(row);
  }

  @Get(':id/snapshot')
  @ViewerAccess()
  @ApiOperation({ operationId: 'getAlertSnapshot', summary: 'The annotated JPEG of the triggering frame' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiProduces('image/jpeg')
  @ApiOkResponse({ description: 'image/jpeg', schema: { type: 'string', format: 'binary' } })
  @ApiBadRequestResponse({ description: 'Malformed id' })
  @ApiNotFoundResponse({ description: 'No such alert, or no snapshot (none taken, or deleted by retention)' })
  async snapshot(@Param('id', new ParseUUIDPipe()) id: string): Promise<StreamableFile> {
    const row = await this.alerts.findById(id);
    if (!row) throw new NotFoundException(`Alert ${id} not found`);
    const jpeg = await this.service.snapshots.read(row.snapshotPath);
    if (!jpeg) throw new NotFoundException(`Alert ${id} has no snapshot`);
    return new StreamableFile(jpeg, { type: 'image/jpeg', length: jpeg.length });
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @OperatorAccess()
  @ApiOperation({ operationId: 'acknowledgeAlert', summary: 'Acknowledge an open alert (records the response time)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AlertDto })
  @ApiBadRequestResponse({ description: 'Malformed id or notes' })
  @ApiNotFoundResponse({ description: 'No alert with this id' })
  @ApiConflictResponse({ description: 'Already acknowledged or resolved' })
  async acknowledge(@Param('id', new ParseUUIDPipe()) id: string, @Body(pipe) body: AlertActionDto, @CurrentUser() user: AuthUser | undefined): Promise<AlertDto> {
    return this.answer(await this.commands.acknowledge(id, user, body.notes));
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @OperatorAccess()
  @ApiOperation({ operationId: 'resolveAlert', summary: 'Resolve an open or acknowledged alert (the cooldown starts)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AlertDto })
  @ApiBadRequestResponse({ description: 'Malformed id or notes' })
  @ApiNotFoundResponse({ description: 'No alert with this id' })
  @ApiConflictResponse({ description: 'Already resolved' })
  async resolve(@Param('id', new ParseUUIDPipe()) id: string, @Body(pipe) body: AlertActionDto, @CurrentUser() user: AuthUser | undefined): Promise<AlertDto> {
    return this.answer(await this.commands.resolve(id, user, body.notes));
  }

  private async answer(r: AlertCommandResult): Promise<AlertDto> {
    if (!r.ok) {
      if (r.status === 404) throw new NotFoundException(r.error);
      if (r.status === 409) throw new ConflictException(r.error);
      if (r.status === 503) throw new ServiceUnavailableException(r.error);
      throw new BadRequestException(r.error);
    }
    const row = await this.alerts.findById(r.alertId);
    if (!row) throw new NotFoundException(`Alert ${r.alertId} not found`);
    return viewOfRecord(row);
  }
}
