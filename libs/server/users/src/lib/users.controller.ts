import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AdminAccess, AuditContext, type AuthUser, ClientIp, CurrentUser } from '@crowdsafe/server-core';
import { SystemLogRepository, type UserRecord } from '@crowdsafe/server-database';
import { UserAccountsService } from './user-accounts.service';
import { UserSessionRevoker } from './user-sessions.port';
import {
  ActivityPageDto,
  CreatedUserDto,
  CreateUserDto,
  PageQueryDto,
  ReplaceUserDto,
  TemporaryPasswordDto,
  toActivityDto,
  toUserDto,
  UpdateUserDto,
  UserDto,
} from './users.dto';

const pick = (u: UserRecord): Record<string, unknown> => ({ username: u.username, email: u.email, fullName: u.fullName, role: u.role, isActive: u.isActive });

/** User management (admin only). Every change is written to the audit trail and ends the user's sessions when it matters. */
@ApiTags('users')
@AdminAccess()
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UserAccountsService,
    private readonly sessions: UserSessionRevoker,
    private readonly logs: SystemLogRepository,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'listUsers', summary: 'All users (sorted by username)' })
  @ApiOkResponse({ type: [UserDto] })
  async list(@Query() q: PageQueryDto): Promise<UserDto[]> {
    return (await this.users.list(q.limit ?? 1000, q.offset ?? 0)).map(toUserDto);
  }

  @Post()
  @ApiOperation({ operationId: 'createUser', summary: 'Create a local user (no password = a temporary one is generated)' })
  @ApiCreatedResponse({ type: CreatedUserDto })
  @ApiBadRequestResponse({ description: 'Invalid input or password policy violation' })
  @ApiConflictResponse({ description: 'Username or email taken' })
  async create(@Body() body: CreateUserDto, @CurrentUser() actor: AuthUser | undefined, @ClientIp() ip: string | undefined): Promise<CreatedUserDto> {
    const { user, temporaryPassword } = await this.users.create({ ...body });
    await this.audit('user.create', `User ${user.username} created with role ${user.role}`, actor, ip, user.id, { after: pick(user) });
    return { ...toUserDto(user), temporaryPassword };
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getUser', summary: 'One user' })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse()
  async get(@Param('id', new ParseUUIDPipe()) id: string): Promise<UserDto> {
    return toUserDto(await this.users.get(id));
  }

  @Patch(':id')
  @ApiOperation({ operationId: 'updateUser', summary: 'Change email, name, role or active flag (role/active changes end the user\'s sessions)' })
  @ApiOkResponse({ type: UserDto })
  @ApiConflictResponse({ description: 'Would leave no active admin' })
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateUserDto,
    @CurrentUser() actor: AuthUser | undefined,
    @ClientIp() ip: string | undefined,
  ): Promise<UserDto> {
    const [before, after] = await this.users.update(id, body);
    if (before.role !== after.role || before.isActive !== after.isActive) await this.sessions.revokeUser(id, 'user changed by an admin');
    await this.audit('user.update', `User ${after.username} updated`, actor, ip, id, { before: pick(before), after: pick(after) });
    return toUserDto(after);
  }

  @Put(':id')
  @ApiOperation({
    operationId: 'replaceUser',
    summary: "The spec's PUT: replaces email, name, role and active flag (omitted email/name = none, active = true); the username stays",
  })
  @ApiOkResponse({ type: UserDto })
  @ApiConflictResponse({ description: 'Would leave no active admin' })
  replace(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ReplaceUserDto,
    @CurrentUser() actor: AuthUser | undefined,
    @ClientIp() ip: string | undefined,
  ): Promise<UserDto> {
    return this.update(id, { email: body.email ?? null, fullName: body.fullName ?? null, role: body.role, isActive: body.isActive ?? true }, actor, ip);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteUser', summary: 'Delete a user (not yourself, not the last active admin)' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: 'Would leave no active admin' })
  async delete(@Param('id', new ParseUUIDPipe()) id: string, @CurrentUser() actor: AuthUser | undefined, @ClientIp() ip: string | undefined): Promise<void> {
    if (actor?.id === id) throw new BadRequestException('You cannot delete your own account');
    const user = await this.users.delete(id);
    await this.sessions.revokeUser(id, 'user deleted');
    await this.audit('user.delete', `User ${user.username} deleted`, actor, ip, id, { before: pick(user) });
  }

  @Post(':id/reset-password')
  @HttpCode(200)
  @ApiOperation({ operationId: 'resetUserPassword', summary: 'Set a temporary password (shown once), clear the lockout, force a change at next login' })
  @ApiOkResponse({ type: TemporaryPasswordDto })
  async resetPassword(@Param('id', new ParseUUIDPipe()) id: string, @CurrentUser() actor: AuthUser | undefined, @ClientIp() ip: string | undefined): Promise<TemporaryPasswordDto> {
    const { user, temporaryPassword } = await this.users.resetPassword(id);
    await this.sessions.revokeUser(id, 'password reset by an admin');
    await this.audit('user.reset_password', `Password of ${user.username} reset`, actor, ip, id, null);
    return { temporaryPassword };
  }

  @Get(':id/activity')
  @ApiOperation({ operationId: 'getUserActivity', summary: "The user's logins, failures and actions (system log), newest first" })
  @ApiOkResponse({ type: ActivityPageDto })
  async activity(@Param('id', new ParseUUIDPipe()) id: string, @Query() q: PageQueryDto): Promise<ActivityPageDto> {
    await this.users.get(id);
    const page = await this.logs.query({ userId: id, limit: q.limit ?? 100, offset: q.offset ?? 0 });
    return { items: page.items.map(toActivityDto), total: page.total };
  }

  /** Details for the audit trail entry the security layer writes for this request (no-op without it). */
  private async audit(action: string, message: string, _actor: AuthUser | undefined, _ip: string | undefined, targetId: string, details: Record<string, unknown> | null): Promise<void> {
    AuditContext.describe({ action, resourceType: 'user', resourceId: targetId, before: details?.['before'], after: details?.['after'], extra: { message } });
  }
}
