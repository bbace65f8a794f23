import { HttpException, HttpStatus, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { SystemLogRepository, type UserRecord } from '@crowdsafe/server-database';
import { PasswordHasher, UserAccountsService } from '@crowdsafe/server-users';

const INVALID = 'Invalid username or password';

/** 423 with the time to wait (the controller copies `retryAfterS` into Retry-After). */
export class AccountLockedException extends HttpException {
  constructor(readonly retryAfterS: number) {
    super({ statusCode: HttpStatus.LOCKED, message: `Account locked after repeated failed logins; try again in ${retryAfterS} s`, retryAfter: retryAfterS }, HttpStatus.LOCKED);
  }
}

/**
 * Username/password login with lockout: AUTH_LOCKOUT_THRESHOLD failures in a row lock the account for
 * AUTH_LOCKOUT_BASE_S, doubling per further failure up to AUTH_LOCKOUT_MAX_S. Unknown users cost the same bcrypt
 * time as known ones and get the same message.
 */
@Injectable()
export class LoginService {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly users: UserAccountsService,
    private readonly hasher: PasswordHasher,
    private readonly logs: SystemLogRepository,
  ) {}

  async verify(username: string, password: string, ip: string | undefined): Promise<UserRecord> {
    const user = await this.users.findByUsername(username);
    if (!user || user.authProvider !== 'local' || !user.passwordHash) {
      await this.hasher.verify(password, null);
      await this.log('warn', 'auth.login_failed', `Failed login for unknown or external user "${username.slice(0, 64)}"`, user?.id ?? null, ip);
      throw new UnauthorizedException(INVALID);
    }
    const now = Date.now();
    if (user.lockedUntil && new Date(user.lockedUntil).getTime() > now) {
      await this.log('warn', 'auth.login_locked', `Login refused for ${user.username}: account locked`, user.id, ip);
      throw new AccountLockedException(Math.ceil((new Date(user.lockedUntil).getTime() - now) / 1000));
    }
    if (!(await this.hasher.verify(password, user.passwordHash))) {
      const lockedUntil = await this.users.recordFailure(user);
      await this.log('warn', 'auth.login_failed', `Failed login for ${user.username} (${user.failedLoginCount + 1} in a row)`, user.id, ip);
      if (lockedUntil) {
        const s = Math.ceil((lockedUntil.getTime() - Date.now()) / 1000);
        this.logger.warn(`account ${user.username} locked for ${s} s after ${user.failedLoginCount + 1} failed logins`);
        await this.log('warn', 'auth.lockout', `Account ${user.username} locked for ${s} s after repeated failed logins`, user.id, ip);
        throw new AccountLockedException(s);
      }
      throw new UnauthorizedException(INVALID);
    }
    if (!user.isActive) {
      await this.log('warn', 'auth.login_failed', `Login refused for ${user.username}: account disabled`, user.id, ip);
      throw new UnauthorizedException('Account disabled; contact an administrator');
    }
    await this.users.recordSuccess(user);
    await this.log('info', 'auth.login', `${user.username} signed in`, user.id, ip);
    return user;
  }

  async log(level: 'info' | 'warn', action: string, message: string, userId: string | null, ip: string | undefined): Promise<void> {
    await this.logs.write({ level, category: 'auth', action, message, userId, ip: ip ?? null }).catch((err: Error) => this.logger.warn(`system log write failed: ${err.message}`));
  }
}
