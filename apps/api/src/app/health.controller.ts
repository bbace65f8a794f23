import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { CameraRepository } from '@crowdsafe/server-database';
import { VERSION } from './version';
import { Public } from '@crowdsafe/server-core';

export class HealthDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
  @ApiProperty() version!: string;
  @ApiProperty({ description: 'Seconds since the process started' }) uptimeS!: number;
  @ApiProperty({ description: 'One process on SQLite with the in-process queue' }) embedded!: boolean;
  @ApiProperty({ enum: ['postgres', 'sqlite'] }) database!: 'postgres' | 'sqlite';
  @ApiProperty({ enum: ['bullmq', 'in-process'] }) queue!: 'bullmq' | 'in-process';
  @ApiProperty({ description: 'Configured cameras' }) cameras!: number;
}

@ApiTags('system')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cameras: CameraRepository,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'getHealth', summary: 'Liveness and deployment mode' })
  @ApiOkResponse({ type: HealthDto })
  async health(): Promise<HealthDto> {
    return {
      status: 'ok',
      version: VERSION,
      uptimeS: Math.round(process.uptime()),
      embedded: this.config.embedded,
      database: this.config.database.type,
      queue: this.config.queue.redisUrl ? 'bullmq' : 'in-process',
      cameras: await this.cameras.count(),
    };
  }
}
