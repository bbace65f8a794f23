import { HttpException, HttpStatus, Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { SystemLogRepository, type UserRecord } from '@crowdsafe/server-database';
import { lockoutSeconds, PasswordHasher, UserAccountsService } from '@crowdsafe/server-users';

const INVALID = 'Invalid username or password';
/** Unknown usernames whose failures are counted (oldest forgotten first). */
export const PHANTOM_LOCKOUT_MAX_NAMES = 10_000;

/**
 * Failure counts of usernames that have no local account, so that they lock exactly like real accounts: otherwise
 * "423 after 5 tries" would tell an attacker which usernames exist. Bounded (LRU); per process.
 */
class PhantomLockouts {
  private readonly names = new Map<string, { failures: number; lockedUntil: number }>();

  lockedForS(name: string, now: number): number | null {
    const e = this.names.get(name);
    return e && e.lockedUntil > now ? Math.ceil((e.lockedUntil - now) / 1000) : null;
  }

  /** Counts a failure; returns the lock in seconds when this failure (re)locks the name. */
  fail(name: string, now: number, lockout: AppConfig['auth']['lockout']): number | null {
    const e = this.names.get(name) ?? { failures: 0, lockedUntil: 0 };
    this.names.delete(name);
    e.failures++;
    const s = lockoutSeconds(e.failures, lockout);
    if (s !== null) e.lockedUntil = now + s * 1000;
    this.names.set(name, e);
    while (this.names.size > PHANTOM_LOCKOUT_MAX_NAMES) this.names.delete(this.names.keys().next().value as string);
    return s;
  }
}

/** 423 with the time to wait (the controller copies `retryAfterS` into Retry-After). */
export class AccountLockedException extends HttpException {
  constructor(readonly retryAfterS: number) {
    super({ statusCode: HttpStatus.LOCKED, message: `Account locked after repeated failed logins; try again in ${retryAfterS} s`, retryAfter: retryAfterS }, HttpStatus.LOCKED);
  }
}

/**
 * Username/password login with lockout: AUTH_LOCKOUT_THRESHOLD failures in a row lock the account for
 * AUTH_LOCKOUT_BASE_S, doubling per further failure up to AUTH_LOCKOUT_MAX_S. Unknown users cost the same bcrypt
 * time as known ones, get the same message and lock the same way (PhantomLockouts): no answer tells whether an
 * account exists.
 */
@Injectable()
export class LoginService {
  private readonly logger = new Logger('Auth');
  private readonly phantoms = new PhantomLockouts();

  constructor(
    private readonly users: UserAccountsService,
    private readonly hasher: PasswordHasher,
    private readonly logs: SystemLogRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async verify(username: string, password: string, ip: string | undefined): Promise<UserRecord> {
    const user = await this.users.findByUsername(username);
    if (!user || user.authProvider !== 'local' || !user.passwordHash) {
      const name = username.trim().toLowerCase().slice(0, 256);
      const locked = this.phantoms.lockedForS(name, Date.now());
      if (locked !== null) {
        await this.log('warn', 'auth.login_locked', `Login refused for unknown or external user "${username.slice(0, 64)}": locked`, user?.id ?? null, ip);
        throw new AccountLockedException(locked);
      }
      await this.hasher.verify(password, null);
      await this.log('warn', 'auth.login_failed', `Failed login for unknown or external user "${username.slice(0, 64)}"`, user?.id ?? null, ip);
      const s = this.phantoms.fail(name, Date.now(), this.config.auth.lockout);
      if (s !== null) throw new AccountLockedException(s);
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
