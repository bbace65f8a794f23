import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { ViewerAccess } from '@crowdsafe/server-core';

export class PushPublicKeyDto {
  @ApiProperty({ description: 'True when web push is configured (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT)' })
  enabled!: boolean;

  @ApiPropertyOptional({ type: String, nullable: true, description: "The VAPID public key (base64url), the browser's applicationServerKey; null when push is off" })
  publicKey!: string | null;
}

/** What a browser needs to subscribe to web push: the server's VAPID public key (public by design). */
@ApiTags('notifications')
@Controller('notifications/push')
export class PushKeyController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('public-key')
  @ViewerAccess()
  @ApiOperation({ operationId: 'getPushPublicKey', summary: "The VAPID public key for the browser's push subscription" })
  @ApiOkResponse({ type: PushPublicKeyDto })
  publicKey(): PushPublicKeyDto {
    const push = this.config.notifications.push;
    return { enabled: push !== null, publicKey: push?.publicKey ?? null };
  }
}
