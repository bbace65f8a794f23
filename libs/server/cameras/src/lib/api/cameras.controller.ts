import { Controller, Get, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CameraRecord, CameraRepository } from '@crowdsafe/server-database';
import { CameraSupervisor } from '../runtime/camera-supervisor';
import { CameraDto } from './camera.dto';
import { ViewerAccess } from '@crowdsafe/server-core';

@ApiTags('cameras')
@ViewerAccess()
@Controller('cameras')
export class CamerasController {
  constructor(
    private readonly cameras: CameraRepository,
    private readonly supervisor: CameraSupervisor,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'listCameras', summary: 'All cameras with their live status and current count' })
  @ApiOkResponse({ type: [CameraDto] })
  async list(): Promise<CameraDto[]> {
    return (await this.cameras.list()).map((c) => this.toDto(c));
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getCamera', summary: 'One camera with its live status and current count' })
  @ApiOkResponse({ type: CameraDto })
  @ApiNotFoundResponse({ description: 'No camera with this id' })
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<CameraDto> {
    const camera = await this.cameras.findById(id);
    if (!camera) throw new NotFoundException(`Camera ${id} not found`);
    return this.toDto(camera);
  }

  private toDto(c: CameraRecord): CameraDto {
    const runtime = this.supervisor.runtime(c.id);
    const health = runtime?.health() ?? null;
    // Source URLs are never returned: they can carry credentials.
    return {
      id: c.id,
      name: c.name,
      location: c.location ?? null,
      sourceType: c.sourceType,
      isActive: c.isActive,
      status: health?.status ?? c.status,
      statusReason: health ? (health.reason ?? null) : (c.statusReason ?? null),
      targetFps: c.targetFps,
      health,
      currentCount: runtime?.snapshot().count ?? null,
    };
  }
}
