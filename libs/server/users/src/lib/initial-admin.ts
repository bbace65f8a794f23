import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { StartupError } from '@crowdsafe/server-core';
import { isUniqueViolation, SystemLogRepository } from '@crowdsafe/server-database';
import { checkPasswordPolicy } from './password-policy';
import { UserAccountsService } from './user-accounts.service';

/**
 * First start (no user at all): creates the admin from INITIAL_ADMIN_USERNAME / INITIAL_ADMIN_PASSWORD, or with a
 * generated one-time password printed once to the log (must be changed at first login). Never a default password.
 */
@Injectable()
export class InitialAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly users: UserAccountsService,
    private readonly logs: SystemLogRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if ((await this.users.count()) > 0) return;
    const { username, password } = this.config.auth.initialAdmin;
    if (password) {
      const problem = checkPasswordPolicy(password, username);
      if (problem) throw new StartupError(`INITIAL_ADMIN_PASSWORD does not meet the password policy: ${problem}`);
    }
    try {
      const { user, temporaryPassword } = await this.users.create({ username, password, role: 'admin' });
      if (temporaryPassword) {
        // The one and only time this password is shown.
        this.logger.warn(
          `Created the initial admin "${user.username}" with the one-time password: ${temporaryPassword}  ` +
            '(change it at first login; set INITIAL_ADMIN_PASSWORD to choose one)',
        );
      } else this.logger.log(`Created the initial admin "${user.username}" (password from INITIAL_ADMIN_PASSWORD)`);
      await this.logs.write({ category: 'auth', action: 'auth.initial_admin', message: `Initial admin ${user.username} created`, userId: user.id });
    } catch (err) {
      if (!isUniqueViolation(err) && !/already exists/.test((err as Error).message)) throw err; // another replica won the race
    }
  }
}
