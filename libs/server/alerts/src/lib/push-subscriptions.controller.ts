import { BadRequestException, Body, Controller, HttpCode, Post, ValidationPipe } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { RISK_LEVELS, type RiskLevel } from '@crowdsafe/contracts';
import { type AuthUser, CurrentUser, ViewerAccess } from '@crowdsafe/server-core';
import { ALERT_RECIPIENTS_MAX, AlertRecipientRepository, type AlertRecipientRecord } from '@crowdsafe/server-database';
import { AlertsService } from './alerts.service';
import { checkDestination } from './recipient-validation';

const pipe = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });

export class PushSubscribeDto {
  @ApiProperty({ type: Object, description: "The browser's PushSubscription.toJSON(): {endpoint, keys: {p256dh, auth}, expirationTime?}" })
  @IsObject({ message: 'subscription must be a PushSubscription JSON object' })
  subscription!: Record<string, unknown>;

  @ApiPropertyOptional({ enum: RISK_LEVELS, enumName: 'RiskLevel', default: 'WARNING', description: 'Lowest alert level pushed to this browser' })
  @IsOptional()
  @IsIn(RISK_LEVELS, { message: `minLevel must be one of ${RISK_LEVELS.join(', ')}` })
  minLevel?: RiskLevel;

  @ApiPropertyOptional({ maxLength: 60, description: 'A label for this device, e.g. "Chrome on the control room PC"' })
  @IsOptional()
  @IsString({ message: 'device must be a string' })
  @MaxLength(60, { message: 'device must be at most 60 characters' })
  device?: string;
}

export class PushEndpointDto {
  @ApiProperty({ maxLength: 2048, description: "The subscription's endpoint URL" })
  @IsString({ message: 'endpoint must be a string' })
  @MaxLength(2048, { message: 'endpoint must be at most 2048 characters' })
  endpoint!: string;
}

export class PushSubscriptionStateDto {
  @ApiProperty() subscribed!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'uuid' }) recipientId!: string | null;
  @ApiPropertyOptional({ enum: RISK_LEVELS, enumName: 'RiskLevel', nullable: true }) minLevel!: RiskLevel | null;
  @ApiProperty({ description: 'False when the push service reported the subscription gone (re-subscribe)' }) active!: boolean;
}

const endpointOf = (destination: string): string | null => {
  try {
    const e = (JSON.parse(destination) as { endpoint?: unknown }).endpoint;
    return typeof e === 'string' ? e : null;
  } catch {
    return null;
  }
};

/**
 * Self-service web push for any signed-in user (viewer and up): this browser's subscription becomes an alert
 * recipient (channel push, all cameras) — the admin-only /alert-recipients API stays for everything else. A
 * subscription is identified by its endpoint (a capability URL only that browser knows): subscribing again updates
 * and reactivates it, unsubscribing deletes it. Admins see and manage these rows in /alert-recipients as usual.
 */
@ApiTags('notifications')
@ViewerAccess()
@Controller('notifications/push/subscription')
export class PushSubscriptionsController {
  constructor(
    private readonly recipients: AlertRecipientRepository,
    private readonly service: AlertsService,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ operationId: 'subscribePush', summary: "Register this browser's push subscription for alerts (self-service)" })
  @ApiOkResponse({ type: PushSubscriptionStateDto })
  @ApiBadRequestResponse({ description: 'Invalid subscription (the message names the field)' })
  async subscribe(@Body(pipe) body: PushSubscribeDto, @CurrentUser() user: AuthUser | undefined): Promise<PushSubscriptionStateDto> {
    const checked = checkDestination('push', JSON.stringify(body.subscription));
    if (!checked.ok) throw new BadRequestException(checked.error.replace(/^destination/, 'subscription'));
    const endpoint = endpointOf(checked.value) as string;
    const name = `Web push · ${user?.username ?? 'open access'}${body.device?.trim() ? ` · ${body.device.trim()}` : ''}`.slice(0, 128);
    const minLevel = body.minLevel ?? 'WARNING';
    const existing = await this.find(endpoint);
    let row: AlertRecipientRecord | null;
    if (existing) {
      row = await this.recipients.update(existing.id, { name, destination: checked.value, minLevel, isActive: true });
    } else {
      if ((await this.recipients.count()) >= ALERT_RECIPIENTS_MAX) throw new BadRequestException(`at most ${ALERT_RECIPIENTS_MAX} alert recipients`);
      row = await this.recipients.create({ name, channel: 'push', destination: checked.value, minLevel, cameraId: null, isActive: true });
    }
    this.service.invalidateRecipients();
    return state(row);
  }

  @Post('status')
  @HttpCode(200)
  @ApiOperation({ operationId: 'pushSubscriptionStatus', summary: 'Whether this endpoint is registered (POST: the endpoint stays out of URLs and logs)' })
  @ApiOkResponse({ type: PushSubscriptionStateDto })
  async status(@Body(pipe) body: PushEndpointDto): Promise<PushSubscriptionStateDto> {
    return state(await this.find(body.endpoint));
  }

  @Post('remove')
  @HttpCode(200)
  @ApiOperation({ operationId: 'unsubscribePush', summary: "Remove this browser's push subscription" })
  @ApiOkResponse({ type: PushSubscriptionStateDto })
  async remove(@Body(pipe) body: PushEndpointDto): Promise<PushSubscriptionStateDto> {
    const existing = await this.find(body.endpoint);
    if (existing) {
      await this.recipients.delete(existing.id);
      this.service.invalidateRecipients();
    }
    return state(null);
  }

  private async find(endpoint: string): Promise<AlertRecipientRecord | null> {
    return (await this.recipients.list()).find((r) => r.channel === 'push' && endpointOf(r.destination) === endpoint) ?? null;
  }
}

function state(row: AlertRecipientRecord | null): PushSubscriptionStateDto {
  return { subscribed: !!row, recipientId: row?.id ?? null, minLevel: row?.minLevel ?? null, active: row?.isActive ?? false };
}
