import { BadRequestException, Controller, Get, Query, ValidationPipe } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAccess, ViewerAccess } from '@crowdsafe/server-core';
import { SystemLogRepository } from '@crowdsafe/server-database';
import { SystemHealthDto, SystemLogPageDto, SystemLogsQueryDto, SystemStatsDto } from './system.dto';
import { SystemService } from './system.service';

const strict = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });

@ApiTags('system')
@Controller('system')
export class SystemController {
  constructor(
    private readonly system: SystemService,
    private readonly logs: SystemLogRepository,
  ) {}

  @Get('health')
  @ViewerAccess()
  @ApiOperation({ operationId: 'getSystemHealth', summary: 'Process/host resources, dependencies (database, Redis, queue) with latency, cameras, inference' })
  @ApiOkResponse({ type: SystemHealthDto })
  health(): Promise<SystemHealthDto> {
    return this.system.health();
  }

  @Get('stats')
  @ViewerAccess()
  @ApiOperation({ operationId: 'getSystemStats', summary: 'Frames in/processed/dropped per camera and in total, inference, queue depth, open alerts' })
  @ApiOkResponse({ type: SystemStatsDto })
  stats(): Promise<SystemStatsDto> {
    return this.system.stats();
  }

  @Get('logs')
  @AdminAccess()
  @ApiOperation({ operationId: 'getSystemLogs', summary: 'System and audit log, newest first, filtered and paged' })
  @ApiOkResponse({ type: SystemLogPageDto })
  @ApiBadRequestResponse({ description: 'A filter out of range, bad dates, from after to' })
  async logsPage(@Query(strict) q: SystemLogsQueryDto): Promise<SystemLogPageDto> {
    const from = q.from ? new Date(q.from) : undefined;
    const to = q.to ? new Date(q.to) : undefined;
    if (from && to && from.getTime() > to.getTime()) throw new BadRequestException(`from (${from.toISOString()}) must not be after to (${to.toISOString()})`);
    const page = await this.logs.query({ level: q.level, category: q.category, action: q.action, userId: q.userId, resourceId: q.resourceId, from, to, search: q.search, limit: q.limit ?? 100, offset: q.offset ?? 0 });
    return {
      total: page.total,
      items: page.items.map((l) => ({ ...l, time: new Date(l.time).toISOString() })),
    };
  }
}
