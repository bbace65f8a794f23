import { Module } from '@nestjs/common';
import { InitialAdmin } from './initial-admin';
import { PasswordHasher } from './password-hasher';
import { UserAccountsService } from './user-accounts.service';
import { UsersController } from './users.controller';

/**
 * User accounts and the admin user API. Needs a `UserSessionRevoker` provider from a global module (AuthModule
 * provides it) and the global DatabaseModule / AppConfigModule.
 */
@Module({
  controllers: [UsersController],
  providers: [PasswordHasher, UserAccountsService, InitialAdmin],
  exports: [PasswordHasher, UserAccountsService],
})
export class UsersModule {}
