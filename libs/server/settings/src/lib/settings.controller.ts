import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Put,
  Query,
  ValidationPipe,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { EVENT_PROFILE_IDS } from '@crowdsafe/risk';
import { AdminAccess, type AuthUser, ClientIp, CurrentUser, Public, ViewerAccess } from '@crowdsafe/server-core';
import { isIanaTimeZone, issueMessages, SETTINGS_CATEGORIES } from './registry';
import {
  AllSettingsDto,
  CameraRiskSettingsDto,
  PublicGeneralSettingsDto,
  PutSettingDto,
  RiskConfigPatchDto,
  RiskSettingDto,
  RiskSettingsDto,
  SettingDto,
  SettingHistoryPageDto,
  SettingHistoryQueryDto,
  SettingsCategoryDto,
  TimeZonesDto,
} from './settings.dto';
import { InvalidSettingError, SettingsService, type SettingActor, type SettingView, UnknownSettingError } from './settings.service';

// Local pipes so the endpoints validate the same way whatever global pipes the app sets.
const strict = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true });

function toDto(v: SettingView): SettingDto {
  return { ...v, updatedAt: v.updatedAt ? v.updatedAt.toISOString() : null };
}

function categoryDto(category: string, views: SettingView[]): SettingsCategoryDto {
  return { category, values: Object.fromEntries(views.map((v) => [v.key, v.value])), settings: views.map(toDto) };
}

/** Maps the service's errors to 404 / 400 (with `issues`: one { path, message } per bad field). */
function httpError(err: unknown): unknown {
  if (err instanceof UnknownSettingError) return new NotFoundException(err.message);
  if (err instanceof InvalidSettingError) {
    return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: issueMessages(err.issues), issues: err.issues });
  }
  return err;
}

async function mapErrors<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw httpError(err);
  }
}

let zones: string[] | null = null;
/** Intl.supportedValuesOf('timeZone') (+ UTC, which it omits on some builds), each checked to be accepted. */
export function supportedTimeZones(): string[] {
  if (!zones) {
    const all = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
    zones = ['UTC', ...all.filter((z) => z !== 'UTC' && isIanaTimeZone(z))];
  }
  return [...zones];
}

const actorOf = (user: AuthUser | undefined, ip: string | undefined): SettingActor => ({ userId: user?.id ?? null, username: user?.username ?? null, ip: ip ?? null });

@ApiTags('settings')
@ApiExtraModels(RiskConfigPatchDto, CameraRiskSettingsDto)
@Controller('settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @ViewerAccess()
  @ApiOperation({ operationId: 'getSettings', summary: 'Every setting, by category' })
  @ApiOkResponse({ type: AllSettingsDto })
  all(): AllSettingsDto {
    return { categories: SETTINGS_CATEGORIES.map((c) => categoryDto(c, this.settings.category(c))) };
  }

  // Declared before ':category' / ':category/:key' so these win the match.
  @Get('general/public')
  @Public()
  @ApiOperation({
    operationId: 'getPublicGeneralSettings',
    summary: 'Site name, theme and time zone, readable before login (the console header, login page and theme follow them)',
  })
  @ApiOkResponse({ type: PublicGeneralSettingsDto })
  publicGeneral(): PublicGeneralSettingsDto {
    return {
      siteName: this.settings.get('general', 'siteName'),
      theme: this.settings.get('general', 'theme'),
      timeZone: this.settings.get('general', 'timeZone'),
      version: Math.max(...(['siteName', 'theme', 'timeZone'] as const).map((k) => this.settings.view('general', k).version)),
    };
  }

  @Get('time-zones')
  @ViewerAccess()
  @ApiOperation({ operationId: 'getTimeZones', summary: 'The IANA time zones this server accepts for general.timeZone (Intl.supportedValuesOf), UTC first' })
  @ApiOkResponse({ type: TimeZonesDto })
  timeZones(): TimeZonesDto {
    return { timeZones: supportedTimeZones() };
  }

  @Post('risk-thresholds')
  @HttpCode(200)
  @AdminAccess()
  @ApiOperation({
    operationId: 'postRiskThresholds',
    summary: "The spec's name for PUT /api/settings/risk/thresholds: replaces the risk settings, applied to every running camera at once",
  })
  @ApiBody({ type: RiskSettingsDto })
  @ApiOkResponse({ type: RiskSettingDto })
  @ApiBadRequestResponse({ description: 'One message per problem; nothing saved' })
  postRisk(@Body() body: Record<string, unknown>, @CurrentUser() user: AuthUser | undefined, @ClientIp() ip: string | undefined): Promise<RiskSettingDto> {
    return this.putRisk(body, user, ip);
  }

  @Get('risk/thresholds')
  @ViewerAccess()
  @ApiOperation({ operationId: 'getRiskSettings', summary: 'The risk settings: weights, thresholds, event profiles, per-camera overrides, schedules' })
  @ApiOkResponse({ type: RiskSettingDto })
  risk(): RiskSettingDto {
    return { ...toDto(this.settings.view('risk', 'thresholds')), profileIds: [...EVENT_PROFILE_IDS] };
  }

  @Put('risk/thresholds')
  @AdminAccess()
  @ApiOperation({
    operationId: 'putRiskSettings',
    summary: 'Replaces the risk settings (omitted parts take the defaults); applied to every running camera at once',
  })
  @ApiBody({ type: RiskSettingsDto })
  @ApiOkResponse({ type: RiskSettingDto })
  @ApiBadRequestResponse({ description: 'One message per problem, e.g. "risk.thresholds.defaults.weights: must sum to 1 (got 1.2)"; nothing saved' })
  async putRisk(@Body() body: Record<string, unknown>, @CurrentUser() user: AuthUser | undefined, @ClientIp() ip: string | undefined): Promise<RiskSettingDto> {
    const v = await mapErrors(() => this.settings.set('risk', 'thresholds', body, actorOf(user, ip)));
    return { ...toDto(v), profileIds: [...EVENT_PROFILE_IDS] };
  }

  @Get(':category')
  @ViewerAccess()
  @ApiOperation({ operationId: 'getSettingsCategory', summary: 'The settings of one category' })
  @ApiParam({ name: 'category', enum: SETTINGS_CATEGORIES })
  @ApiOkResponse({ type: SettingsCategoryDto })
  @ApiNotFoundResponse({ description: 'Unknown category' })
  categoryOf(@Param('category') category: string): Promise<SettingsCategoryDto> {
    return mapErrors(() => categoryDto(category, this.settings.category(category)));
  }

  @Get(':category/:key')
  @ViewerAccess()
  @ApiOperation({ operationId: 'getSetting', summary: 'One setting with its version and default' })
  @ApiParam({ name: 'category', enum: SETTINGS_CATEGORIES })
  @ApiOkResponse({ type: SettingDto })
  @ApiNotFoundResponse({ description: 'Unknown category or key' })
  one(@Param('category') category: string, @Param('key') key: string): Promise<SettingDto> {
    return mapErrors(() => toDto(this.settings.view(category, key)));
  }

  @Put(':category/:key')
  @AdminAccess()
  @ApiOperation({ operationId: 'putSetting', summary: 'Sets one setting (validated; version + 1, history kept); applied at once' })
  @ApiParam({ name: 'category', enum: SETTINGS_CATEGORIES })
  @ApiOkResponse({ type: SettingDto })
  @ApiBadRequestResponse({ description: 'Invalid value (one message per field), a read-only key, or no value; nothing saved' })
  @ApiNotFoundResponse({ description: 'Unknown category or key' })
  put(
    @Param('category') category: string,
    @Param('key') key: string,
    @Body(strict) body: PutSettingDto,
    @CurrentUser() user: AuthUser | undefined,
    @ClientIp() ip: string | undefined,
  ): Promise<SettingDto> {
    return mapErrors(async () => toDto(await this.settings.set(category, key, body.value, actorOf(user, ip))));
  }

  @Get(':category/:key/history')
  @ViewerAccess()
  @ApiOperation({ operationId: 'getSettingHistory', summary: 'Past versions of a setting, newest first' })
  @ApiParam({ name: 'category', enum: SETTINGS_CATEGORIES })
  @ApiOkResponse({ type: SettingHistoryPageDto })
  @ApiBadRequestResponse({ description: 'limit/offset out of range' })
  @ApiNotFoundResponse({ description: 'Unknown category or key' })
  history(@Param('category') category: string, @Param('key') key: string, @Query(strict) q: SettingHistoryQueryDto): Promise<SettingHistoryPageDto> {
    return mapErrors(async () => {
      const page = await this.settings.history(category, key, q);
      return {
        total: page.total,
        items: page.items.map((h) => ({ version: h.version, value: h.value, updatedBy: h.updatedBy, updatedAt: new Date(h.updatedAt).toISOString() })),
      };
    });
  }
}
