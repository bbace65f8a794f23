import { BadRequestException, Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Patch, Post, ValidationPipe } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AdminAccess } from '@crowdsafe/server-core';
import { ALERT_RECIPIENTS_MAX, AlertRecipientRepository, CameraRepository, type AlertRecipientRecord, type RecipientChannel } from '@crowdsafe/server-database';
import { AlertRecipientDto, CreateAlertRecipientDto, UpdateAlertRecipientDto } from './alerts.dto';
import { AlertsService } from './alerts.service';
import { checkDestination } from './recipient-validation';

const pipe = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });

function dto(r: AlertRecipientRecord): AlertRecipientDto {
  return {
    id: r.id,
    cameraId: r.cameraId,
    name: r.name,
    channel: r.channel,
    destination: r.destination,
    minLevel: r.minLevel,
    isActive: r.isActive,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** Who gets alerts on email / SMS / push / webhook (admin only: destinations are personal data). */
@ApiTags('alerts')
@AdminAccess()
@Controller('alert-recipients')
export class AlertRecipientsController {
  constructor(
    private readonly recipients: AlertRecipientRepository,
    private readonly cameras: CameraRepository,
    private readonly service: AlertsService,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'listAlertRecipients', summary: 'All alert recipients' })
  @ApiOkResponse({ type: [AlertRecipientDto] })
  async list(): Promise<AlertRecipientDto[]> {
    return (await this.recipients.list()).map(dto);
  }

  @Post()
  @ApiOperation({ operationId: 'createAlertRecipient', summary: 'Add a recipient (destination validated per channel)' })
  @ApiCreatedResponse({ type: AlertRecipientDto })
  @ApiBadRequestResponse({ description: 'Invalid field (the message names it), or unknown cameraId' })
  async create(@Body(pipe) body: CreateAlertRecipientDto): Promise<AlertRecipientDto> {
    const destination = this.destination(body.channel, body.destination);
    await this.requireCamera(body.cameraId);
    if ((await this.recipients.count()) >= ALERT_RECIPIENTS_MAX) throw new BadRequestException(`at most ${ALERT_RECIPIENTS_MAX} alert recipients`);
    const row = await this.recipients.create({ ...body, destination, cameraId: body.cameraId ?? null });
    this.service.invalidateRecipients();
    return dto(row);
  }

  @Patch(':id')
  @ApiOperation({ operationId: 'updateAlertRecipient', summary: 'Change a recipient' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AlertRecipientDto })
  @ApiBadRequestResponse({ description: 'Malformed id, invalid field (named), or unknown cameraId' })
  @ApiNotFoundResponse({ description: 'No recipient with this id' })
  async update(@Param('id', new ParseUUIDPipe()) id: string, @Body(pipe) body: UpdateAlertRecipientDto): Promise<AlertRecipientDto> {
    const existing = await this.recipients.findById(id);
    if (!existing) throw new NotFoundException(`Alert recipient ${id} not found`);
    const channel = body.channel ?? existing.channel;
    // A channel change re-validates the stored destination too: nothing is saved unless the result is valid.
    const destination = body.destination !== undefined || body.channel !== undefined ? this.destination(channel, body.destination ?? existing.destination) : undefined;
    if (body.cameraId !== undefined) await this.requireCamera(body.cameraId);
    const row = await this.recipients.update(id, { ...body, ...(destination === undefined ? {} : { destination }) });
    if (!row) throw new NotFoundException(`Alert recipient ${id} not found`);
    this.service.invalidateRecipients();
    return dto(row);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteAlertRecipient', summary: 'Remove a recipient' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: 'No recipient with this id' })
  async remove(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    if (!(await this.recipients.delete(id))) throw new NotFoundException(`Alert recipient ${id} not found`);
    this.service.invalidateRecipients();
  }

  private destination(channel: RecipientChannel, value: string): string {
    const r = checkDestination(channel, value);
    if (!r.ok) throw new BadRequestException(r.error);
    return r.value;
  }

  private async requireCamera(cameraId: string | null | undefined): Promise<void> {
    if (!cameraId) return;
    if (!(await this.cameras.findById(cameraId))) throw new BadRequestException(`cameraId: no camera with id ${cameraId}`);
  }
}
