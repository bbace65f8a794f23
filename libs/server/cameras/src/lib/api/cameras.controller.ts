import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { AdminAccess, type AuthUser, CurrentUser, OperatorAccess, ViewerAccess } from '@crowdsafe/server-core';
import {
  BulkCamerasDto,
  BulkResultDto,
  CalibrateCameraDto,
  CalibrationResultDto,
  CameraDto,
  CloneCameraDto,
  CreateCameraDto,
  SourceTestResultDto,
  TestCameraDto,
  TestSourceDto,
  UpdateCameraDto,
} from './camera.dto';
import { ArucoCalibrateDto, ArucoCalibrationDto, arucoProposal } from './aruco-calibration';
import { CamerasService } from './cameras.service';

const uuid = new ParseUUIDPipe();

/**
 * Cameras. Read: any role; create/update/start/stop/test/calibrate/clone/bulk activate: operator; delete and bulk
 * delete: admin. Errors: Nest's { statusCode, message, error } (message: string, or string[] for DTO validation).
 */
@ApiTags('cameras')
@Controller('cameras')
export class CamerasController {
  constructor(private readonly service: CamerasService) {}

  @Get()
  @ViewerAccess()
  @ApiOperation({ operationId: 'listCameras', summary: 'All cameras with their live status, health and current count' })
  @ApiOkResponse({ type: [CameraDto] })
  list(): Promise<CameraDto[]> {
    return this.service.list();
  }

  @Post()
  @OperatorAccess()
  @ApiOperation({ operationId: 'createCamera', summary: 'Create a camera (source checked: scheme/shape, media dir, SSRF guard, reachability)' })
  @ApiCreatedResponse({ type: CameraDto })
  @ApiBadRequestResponse({ description: 'Invalid input; nothing saved' })
  @ApiConflictResponse({ description: 'Name taken' })
  create(@Body() dto: CreateCameraDto, @CurrentUser() user: AuthUser | undefined): Promise<CameraDto> {
    return this.service.create(dto, user?.id ?? null, user?.role);
  }

  @Post('test')
  @HttpCode(200)
  @OperatorAccess()
  @ApiOperation({ operationId: 'testCameraSource', summary: 'Probe a source before saving it: codec, size, fps and a JPEG snapshot' })
  @ApiOkResponse({ type: SourceTestResultDto })
  @ApiBadRequestResponse({ description: 'Invalid, refused or unreachable source (message says why)' })
  testSource(@Body() dto: TestSourceDto): Promise<SourceTestResultDto> {
    return this.service.testSource(dto);
  }

  @Post('bulk/activate')
  @HttpCode(200)
  @OperatorAccess()
  @ApiOperation({ operationId: 'bulkActivateCameras', summary: 'Activate (start) up to 100 cameras' })
  @ApiOkResponse({ type: BulkResultDto })
  bulkActivate(@Body() dto: BulkCamerasDto): Promise<BulkResultDto> {
    return this.service.bulkSetActive(dto.ids, true);
  }

  @Post('bulk/deactivate')
  @HttpCode(200)
  @OperatorAccess()
  @ApiOperation({ operationId: 'bulkDeactivateCameras', summary: 'Deactivate (stop) up to 100 cameras' })
  @ApiOkResponse({ type: BulkResultDto })
  bulkDeactivate(@Body() dto: BulkCamerasDto): Promise<BulkResultDto> {
    return this.service.bulkSetActive(dto.ids, false);
  }

  @Post('bulk/delete')
  @HttpCode(200)
  @AdminAccess()
  @ApiOperation({ operationId: 'bulkDeleteCameras', summary: 'Delete up to 100 cameras (with their metrics and alerts)' })
  @ApiOkResponse({ type: BulkResultDto })
  bulkDelete(@Body() dto: BulkCamerasDto): Promise<BulkResultDto> {
    return this.service.bulkDelete(dto.ids);
  }

  @Get(':id')
  @ViewerAccess()
  @ApiOperation({ operationId: 'getCamera', summary: 'One camera with its live status, health and current count' })
  @ApiOkResponse({ type: CameraDto })
  @ApiNotFoundResponse({ description: 'No camera with this id' })
  get(@Param('id', uuid) id: string): Promise<CameraDto> {
    return this.service.get(id);
  }

  @Patch(':id')
  @OperatorAccess()
  @ApiOperation({ operationId: 'updateCamera', summary: 'Update a camera; source/fps/resolution/zones/calibration changes restart it cleanly', description: 'settings.risk (a per-camera override of the risk thresholds) may be set, changed or removed by an admin only (403 otherwise); omitted by an operator, the current override is kept.' })
  @ApiOkResponse({ type: CameraDto })
  @ApiBadRequestResponse({ description: 'Invalid input; nothing saved' })
  @ApiNotFoundResponse({ description: 'No camera with this id' })
  update(@Param('id', uuid) id: string, @Body() dto: UpdateCameraDto, @CurrentUser() user: AuthUser | undefined): Promise<CameraDto> {
    return this.service.update(id, dto, user?.role);
  }

  @Put(':id')
  @OperatorAccess()
  @ApiOperation({
    operationId: 'replaceCamera',
    summary: 'Replace a camera (the spec\'s PUT): the body is the whole camera as on create; omitted fields take their create defaults',
  })
  @ApiOkResponse({ type: CameraDto })
  @ApiBadRequestResponse({ description: 'Invalid input; nothing saved' })
  @ApiNotFoundResponse({ description: 'No camera with this id' })
  replace(@Param('id', uuid) id: string, @Body() dto: CreateCameraDto): Promise<CameraDto> {
    return this.service.replace(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @AdminAccess()
  @ApiOperation({ operationId: 'deleteCamera', summary: 'Stop and delete a camera (its metrics and alerts cascade)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'No camera with this id' })
  async remove(@Param('id', uuid) id: string): Promise<void> {
    await this.service.remove(id);
  }

  @Post(':id/test')
  @HttpCode(200)
  @OperatorAccess()
  @ApiOperation({ operationId: 'testCamera', summary: "Probe a saved camera's source: codec, size, fps and a JPEG snapshot" })
  @ApiOkResponse({ type: SourceTestResultDto })
  testCamera(@Param('id', uuid) id: string, @Body() dto: TestCameraDto): Promise<SourceTestResultDto> {
    return this.service.testCamera(id, dto.timeoutMs);
  }

  @Post(':id/calibrate')
  @HttpCode(200)
  @OperatorAccess()
  @ApiOperation({ operationId: 'calibrateCamera', summary: 'Validate (and store) a calibration with zones/lines; returns the floor area in m²' })
  @ApiOkResponse({ type: CalibrationResultDto })
  @ApiBadRequestResponse({ description: 'Invalid calibration (reason names the field), or zero/negative area' })
  calibrate(@Param('id', uuid) id: string, @Body() dto: CalibrateCameraDto): Promise<CalibrationResultDto> {
    return this.service.calibrate(id, dto);
  }

  @Post(':id/start')
  @HttpCode(200)
  @OperatorAccess()
  @ApiOperation({ operationId: 'startCamera', summary: 'Activate and start a camera' })
  @ApiOkResponse({ type: CameraDto })
  start(@Param('id', uuid) id: string): Promise<CameraDto> {
    return this.service.setActive(id, true);
  }

  @Post(':id/stop')
  @HttpCode(200)
  @OperatorAccess()
  @ApiOperation({ operationId: 'stopCamera', summary: 'Stop and deactivate a camera' })
  @ApiOkResponse({ type: CameraDto })
  stop(@Param('id', uuid) id: string): Promise<CameraDto> {
    return this.service.setActive(id, false);
  }

  @Post(':id/calibrate/aruco')
  @HttpCode(200)
  @OperatorAccess()
  @ApiOperation({
    operationId: 'detectArucoCalibration',
    summary: 'Detect ArUco markers in the current frame and propose a floor homography from their surveyed layout (nothing saved)',
  })
  @ApiOkResponse({ type: ArucoCalibrationDto })
  @ApiBadRequestResponse({ description: 'Malformed body (dictionary, layout)' })
  @ApiConflictResponse({ description: 'The camera has no current frame (not running here or not connected yet)' })
  async calibrateAruco(@Param('id', uuid) id: string, @Body() dto: ArucoCalibrateDto): Promise<ArucoCalibrationDto> {
    return arucoProposal(await this.service.currentFrame(id), dto);
  }

  @Post(':id/clone')
  @OperatorAccess()
  @ApiOperation({ operationId: 'cloneCamera', summary: 'New camera with the settings, zones and calibration of this one, a new name and source' })
  @ApiCreatedResponse({ type: CameraDto })
  clone(@Param('id', uuid) id: string, @Body() dto: CloneCameraDto, @CurrentUser() user: AuthUser | undefined): Promise<CameraDto> {
    return this.service.clone(id, dto, user?.id ?? null);
  }

  @Get(':id/snapshot')
  @ViewerAccess()
  @ApiOperation({ operationId: 'getCameraSnapshot', summary: 'The current frame as a JPEG (annotated=true: person boxes and track ids)' })
  @ApiQuery({ name: 'annotated', required: false, type: Boolean })
  @ApiProduces('image/jpeg')
  @ApiOkResponse({ description: 'JPEG', schema: { type: 'string', format: 'binary' } })
  @ApiConflictResponse({ description: 'Not running here or no frame yet' })
  async snapshot(@Param('id', uuid) id: string, @Query('annotated') annotated: string | undefined, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const jpeg = await this.service.snapshot(id, annotated === 'true' || annotated === '1');
    res.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(jpeg, { type: 'image/jpeg', length: jpeg.length });
  }
}
