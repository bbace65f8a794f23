import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { USER_ROLES, type UserRole } from '@crowdsafe/contracts';
import type { SystemLogRecord, UserRecord } from '@crowdsafe/server-database';

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ type: String, nullable: true }) fullName!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ enum: USER_ROLES }) role!: UserRole;
  @ApiProperty() isActive!: boolean;
  @ApiProperty({ description: 'The user must set a new password at the next login' }) mustChangePassword!: boolean;
  @ApiProperty({ description: "'local' or the identity provider ('oidc', 'proxy')" }) authProvider!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastLoginAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Locked after failed logins until then' }) lockedUntil!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
}

export class CreatedUserDto extends UserDto {
  @ApiProperty({ type: String, nullable: true, description: 'Generated when no password was given: shown once, must be changed at first login' })
  temporaryPassword!: string | null;
}

export class TemporaryPasswordDto {
  @ApiProperty({ description: 'Shown once; the user must change it at the next login' }) temporaryPassword!: string;
}

export class CreateUserDto {
  @ApiProperty({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' })
  @IsString() @MinLength(1) @MaxLength(64) @Matches(/^[A-Za-z0-9._@-]+$/, { message: 'username may contain letters, digits and . _ @ - only' })
  username!: string;

  @ApiPropertyOptional({ minLength: 12, maxLength: 256, description: 'Omit to generate a temporary password' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(256)
  password?: string;

  @ApiPropertyOptional({ maxLength: 255 })
  @IsOptional() @IsEmail() @MaxLength(255)
  email?: string;

  @ApiPropertyOptional({ maxLength: 128 })
  @IsOptional() @IsString() @MaxLength(128)
  fullName?: string;

  @ApiProperty({ enum: USER_ROLES })
  @IsIn(USER_ROLES as UserRole[])
  role!: UserRole;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 255 })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsEmail() @MaxLength(255)
  email?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 128 })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsString() @MaxLength(128)
  fullName?: string | null;

  @ApiPropertyOptional({ enum: USER_ROLES })
  @IsOptional() @IsIn(USER_ROLES as UserRole[])
  role?: UserRole;

  @ApiPropertyOptional()
  @IsOptional() @IsBoolean()
  isActive?: boolean;
}

/** PUT /api/users/:id (the spec's name): the whole editable user; omitted email/fullName become null, isActive true. */
export class ReplaceUserDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 255 })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsEmail() @MaxLength(255)
  email?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 128 })
  @IsOptional() @ValidateIf((_o, v) => v !== null) @IsString() @MaxLength(128)
  fullName?: string | null;

  @ApiProperty({ enum: USER_ROLES })
  @IsIn(USER_ROLES as UserRole[], { message: `role must be one of ${USER_ROLES.join(', ')}` })
  role!: UserRole;

  @ApiPropertyOptional({ default: true })
  @IsOptional() @IsBoolean()
  isActive?: boolean;
}

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1_000_000, default: 0 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000)
  offset?: number;
}

export class ActivityEntryDto {
  @ApiProperty({ type: String, format: 'date-time' }) time!: string;
  @ApiProperty() level!: string;
  @ApiProperty() category!: string;
  @ApiProperty({ type: String, nullable: true }) action!: string | null;
  @ApiProperty() message!: string;
  @ApiProperty({ type: String, nullable: true }) ip!: string | null;
}

export class ActivityPageDto {
  @ApiProperty({ type: [ActivityEntryDto] }) items!: ActivityEntryDto[];
  @ApiProperty() total!: number;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

export function toUserDto(u: UserRecord): UserDto {
  return {
    id: u.id,
    username: u.username,
    fullName: u.fullName,
    email: u.email,
    role: u.role,
    isActive: u.isActive,
    mustChangePassword: u.mustChangePassword,
    authProvider: u.authProvider,
    lastLoginAt: iso(u.lastLoginAt),
    lockedUntil: u.lockedUntil && new Date(u.lockedUntil).getTime() > Date.now() ? iso(u.lockedUntil) : null,
    createdAt: iso(u.createdAt) as string,
    updatedAt: iso(u.updatedAt) as string,
  };
}

export function toActivityDto(l: SystemLogRecord): ActivityEntryDto {
  return { time: iso(l.time) as string, level: l.level, category: l.category, action: l.action, message: l.message, ip: l.ip };
}
