import { Controller, Get, Inject, NotFoundException, Optional, ServiceUnavailableException, Param, ParseUUIDPipe, Query, Res, ValidationPipe } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { Response } from 'express';
import { CameraLiveQueries } from '@crowdsafe/pipeline';
import { ViewerAccess } from '@crowdsafe/server-core';
import { CameraRepository } from '@crowdsafe/server-database';

export class SpatialHeatmapQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'png'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'png'], { message: 'format must be json or png' })
  format?: 'json' | 'png';

  @ApiPropertyOptional({ enum: ['live', 'total'], default: 'live', description: 'live: decaying average occupancy; total: person-seconds since the camera started' })
  @IsOptional()
  @IsIn(['live', 'total'], { message: 'layer must be live or total' })
  layer?: 'live' | 'total';
}

export class SpatialHeatmapDto {
  @ApiProperty({ format: 'uuid' }) cameraId!: string;
  @ApiProperty({ enum: ['live', 'total'] }) layer!: 'live' | 'total';
  @ApiProperty({ enum: ['ground', 'image'], description: 'ground: metres on the floor plan; image: pixels of the calibration frame' }) space!: 'ground' | 'image';
  @ApiProperty() originX!: number;
  @ApiProperty() originY!: number;
  @ApiProperty({ description: 'Cell edge, metres (ground) or px (image)' }) cell!: number;
  @ApiProperty() cols!: number;
  @ApiProperty() rows!: number;
  @ApiProperty({ description: 'Half-life of the live layer, ms' }) halfLifeMs!: number;
  @ApiProperty({ description: 'Highest cell value' }) max!: number;
  @ApiProperty({ type: [Number], description: 'rows x cols values, row-major (index j * cols + i), 4 decimals: people/m² (ground) or people per cell (image); person-seconds for total' })
  values!: number[];
}

const strict = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });

/**
 * The spatial occupancy heatmap a running camera's CrowdAnalyzer keeps (in memory, bounded grid). Answered by the
 * process that runs the camera (asked over the cluster bus from an api replica without cameras); 404 when no process
 * runs the camera or it has no calibration (no analytics).
 */
@ApiTags('analytics')
@ViewerAccess()
@Controller('analytics')
export class SpatialHeatmapController {
  constructor(
    private readonly cameras: CameraRepository,
    @Optional() @Inject(CameraLiveQueries) private readonly live: CameraLiveQueries | null = null,
  ) {}

  @Get('heatmap/:cameraId/spatial')
  @ApiOperation({ operationId: 'getSpatialHeatmap', summary: "A running camera's occupancy heatmap: grid JSON or PNG (blue -> red)" })
  @ApiParam({ name: 'cameraId', format: 'uuid' })
  @ApiProduces('application/json', 'image/png')
  @ApiOkResponse({ type: SpatialHeatmapDto, description: 'JSON grid (format=json) or image/png (format=png)' })
  @ApiBadRequestResponse({ description: 'Malformed id, unknown format or layer' })
  @ApiNotFoundResponse({ description: 'No camera with this id, camera not running, or no crowd analytics (uncalibrated)' })
  async spatial(
    @Param('cameraId', new ParseUUIDPipe()) cameraId: string,
    @Query(strict) q: SpatialHeatmapQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SpatialHeatmapDto | Buffer> {
    if (!(await this.cameras.findById(cameraId))) throw new NotFoundException(`Camera ${cameraId} not found`);
    const layer = q.layer ?? 'live';
    const a = (await this.live?.heatmap(cameraId, layer, q.format ?? 'json')) ?? { kind: 'not-running' as const };
    switch (a.kind) {
      case 'not-running':
        throw new NotFoundException(`Camera ${cameraId} is not running: no live heatmap`);
      case 'unavailable':
        throw new ServiceUnavailableException(`The process running camera ${cameraId} did not answer; try again`);
      case 'no-analytics':
        throw new NotFoundException(`Camera ${cameraId} has no crowd analytics (${a.state}${a.reason ? `: ${a.reason}` : ''})`);
      case 'png':
        res.setHeader('Content-Type', 'image/png');
        res.setHeader('Cache-Control', 'no-store');
        return Buffer.from(a.pngBase64, 'base64');
      case 'json':
        return { cameraId, ...a.grid };
    }
  }
}
