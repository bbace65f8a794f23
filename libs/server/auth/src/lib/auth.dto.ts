import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { USER_ROLES, type UserRole } from '@crowdsafe/contracts';
import type { UserRecord } from '@crowdsafe/server-database';

export class LoginDto {
  @ApiProperty({ minLength: 1, maxLength: 64 })
  @IsString() @MinLength(1) @MaxLength(64)
  username!: string;

  @ApiProperty({ minLength: 1, maxLength: 256, format: 'password' })
  @IsString() @MinLength(1) @MaxLength(256)
  password!: string;
}

export class ChangePasswordDto {
  @ApiProperty({ minLength: 1, maxLength: 256, format: 'password' })
  @IsString() @MinLength(1) @MaxLength(256)
  currentPassword!: string;

  @ApiProperty({ minLength: 12, maxLength: 256, format: 'password', description: 'At least 12 characters, not the username, not a common password' })
  @IsString() @MinLength(1) @MaxLength(256)
  newPassword!: string;
}

export class SessionUserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ type: String, nullable: true }) fullName!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ enum: USER_ROLES }) role!: UserRole;
  @ApiProperty() mustChangePassword!: boolean;
}

export class MeDto extends SessionUserDto {
  @ApiProperty({ description: "'local', 'oidc' or 'proxy'" }) authProvider!: string;
}

export class TokenResponseDto {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'Access token lifetime in seconds' }) expiresIn!: number;
  @ApiProperty({ type: SessionUserDto }) user!: SessionUserDto;
}

export class OidcProviderDto {
  @ApiProperty() enabled!: boolean;
  @ApiProperty() name!: string;
}

export class AuthProvidersDto {
  @ApiProperty({ enum: [true] }) local!: true;
  @ApiProperty({ type: OidcProviderDto }) oidc!: OidcProviderDto;
}

export const toSessionUser = (u: UserRecord): SessionUserDto => ({
  id: u.id,
  username: u.username,
  fullName: u.fullName,
  email: u.email,
  role: u.role,
  mustChangePassword: u.mustChangePassword,
});
