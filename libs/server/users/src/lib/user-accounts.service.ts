import { ConflictException, Inject, Injectable, NotFoundException, BadRequestException } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import type { UserRole } from '@crowdsafe/contracts';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { EntityName, isUniqueViolation, isUuid, type UserRecord } from '@crowdsafe/server-database';
import { generateTemporaryPassword, PasswordHasher } from './password-hasher';
import { checkPasswordPolicy } from './password-policy';

export const USERNAME_PATTERN = /^[a-z0-9._@-]{1,64}$/;

export interface NewUser {
  username: string;
  password?: string | null;
  email?: string | null;
  fullName?: string | null;
  role: UserRole;
  mustChangePassword?: boolean;
  authProvider?: string;
  externalId?: string | null;
}

export interface UserPatch {
  email?: string | null;
  fullName?: string | null;
  role?: UserRole;
  isActive?: boolean;
}

/** Lockout after `failures` consecutive failures: null below the threshold, else base * 2^(over) capped at max. */
export function lockoutSeconds(failures: number, lockout: { threshold: number; baseS: number; maxS: number }): number | null {
  if (failures < lockout.threshold) return null;
  const over = Math.min(failures - lockout.threshold, 30);
  return Math.min(lockout.baseS * 2 ** over, lockout.maxS);
}

export const normalizeUsername = (u: string): string => u.trim().toLowerCase();

/** The users table: accounts, passwords, lockout bookkeeping and the last-admin rule. */
@Injectable()
export class UserAccountsService {
  private readonly repo: Repository<UserRecord>;

  constructor(
    dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.repo = dataSource.getRepository<UserRecord>(EntityName.User);
  }

  count(): Promise<number> {
    return this.repo.count();
  }

  findById(id: string): Promise<UserRecord | null> {
    return isUuid(id) ? this.repo.findOneBy({ id }) : Promise.resolve(null);
  }

  async get(id: string): Promise<UserRecord> {
    const u = await this.findById(id);
    if (!u) throw new NotFoundException(`User ${id} not found`);
    return u;
  }

  findByUsername(username: string): Promise<UserRecord | null> {
    const u = normalizeUsername(username);
    return USERNAME_PATTERN.test(u) ? this.repo.findOneBy({ username: u }) : Promise.resolve(null);
  }

  findExternal(provider: string, externalId: string): Promise<UserRecord | null> {
    return this.repo.findOneBy({ authProvider: provider, externalId });
  }

  list(limit = 1000, offset = 0): Promise<UserRecord[]> {
    return this.repo.find({ order: { username: 'ASC' }, take: limit, skip: offset });
  }

  /** Creates a user. No password given (local account) -> a temporary one is generated and returned. */
  async create(input: NewUser): Promise<{ user: UserRecord; temporaryPassword: string | null }> {
    const username = normalizeUsername(input.username);
    if (!USERNAME_PATTERN.test(username)) throw new BadRequestException('username must be 1-64 of a-z 0-9 . _ @ -');
    const local = (input.authProvider ?? 'local') === 'local';
    let temporaryPassword: string | null = null;
    let password = input.password ?? null;
    if (local && !password) password = temporaryPassword = generateTemporaryPassword();
    if (password && !temporaryPassword) {
      const problem = checkPasswordPolicy(password, username);
      if (problem) throw new BadRequestException(problem);
    }
    try {
      const saved = await this.repo.save(
        this.repo.create({
          username,
          email: input.email?.trim() || null,
          fullName: input.fullName?.trim() || null,
          role: input.role,
          isActive: true,
          passwordHash: password ? await this.hasher.hash(password) : null,
          mustChangePassword: temporaryPassword !== null || (input.mustChangePassword ?? false),
          failedLoginCount: 0,
          lockedUntil: null,
          lastLoginAt: null,
          authProvider: input.authProvider ?? 'local',
          externalId: input.externalId ?? null,
        }),
      );
      return { user: saved, temporaryPassword };
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictException('A user with this username or email already exists');
      throw err;
    }
  }

  /** Applies an admin's change; refuses to remove the last active admin. Returns [before, after]. */
  async update(id: string, patch: UserPatch): Promise<[UserRecord, UserRecord]> {
    const before = await this.get(id);
    const losesAdmin = before.role === 'admin' && before.isActive && ((patch.role !== undefined && patch.role !== 'admin') || patch.isActive === false);
    if (losesAdmin) await this.assertAnotherActiveAdmin(id, 'demote or deactivate');
    const after: UserRecord = {
      ...before,
      ...(patch.email !== undefined ? { email: patch.email?.trim() || null } : {}),
      ...(patch.fullName !== undefined ? { fullName: patch.fullName?.trim() || null } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.isActive !== undefined ? { isActive: patch.isActive } : {}),
    };
    if (patch.isActive === true && !before.isActive) {
      after.failedLoginCount = 0;
      after.lockedUntil = null;
    }
    try {
      await this.repo.update(
        { id },
        { email: after.email, fullName: after.fullName, role: after.role, isActive: after.isActive, failedLoginCount: after.failedLoginCount, lockedUntil: after.lockedUntil },
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictException('A user with this email already exists');
      throw err;
    }
    return [before, await this.get(id)];
  }

  async delete(id: string): Promise<UserRecord> {
    const user = await this.get(id);
    if (user.role === 'admin' && user.isActive) await this.assertAnotherActiveAdmin(id, 'delete');
    await this.repo.delete({ id });
    return user;
  }

  /** New temporary password, lockout cleared, change forced at next login. */
  async resetPassword(id: string): Promise<{ user: UserRecord; temporaryPassword: string }> {
    const user = await this.get(id);
    if (user.authProvider !== 'local') throw new BadRequestException(`User ${user.username} signs in through ${user.authProvider}; its password is managed there`);
    const temporaryPassword = generateTemporaryPassword();
    await this.repo.update({ id }, { passwordHash: await this.hasher.hash(temporaryPassword), mustChangePassword: true, failedLoginCount: 0, lockedUntil: null });
    return { user, temporaryPassword };
  }

  /** The user's own change: checks the current password and the policy. */
  async changePassword(id: string, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.get(id);
    if (user.authProvider !== 'local') throw new BadRequestException(`Your password is managed by ${user.authProvider}`);
    if (!(await this.hasher.verify(currentPassword, user.passwordHash))) throw new BadRequestException('Current password is incorrect');
    if (currentPassword === newPassword) throw new BadRequestException('New password must differ from the current one');
    const problem = checkPasswordPolicy(newPassword, user.username);
    if (problem) throw new BadRequestException(problem);
    await this.repo.update({ id }, { passwordHash: await this.hasher.hash(newPassword), mustChangePassword: false });
  }

  /**
   * Counts a failed login; returns the lock end when this failure (re)locks the account. The count is one atomic
   * `failed_login_count = failed_login_count + 1` in the database (PostgreSQL or SQLite), never read-modify-write:
   * concurrent wrong passwords are all counted, so parallel guessing cannot stay under the lockout threshold.
   */
  async recordFailure(user: UserRecord, now = new Date()): Promise<Date | null> {
    await this.repo.increment({ id: user.id }, 'failedLoginCount', 1);
    const fresh = await this.repo.findOne({ where: { id: user.id }, select: { id: true, failedLoginCount: true } });
    const failures = fresh?.failedLoginCount ?? user.failedLoginCount + 1;
    const s = lockoutSeconds(failures, this.config.auth.lockout);
    const lockedUntil = s === null ? null : new Date(now.getTime() + s * 1000);
    if (lockedUntil) await this.repo.update({ id: user.id }, { lockedUntil });
    return lockedUntil;
  }

  async recordSuccess(user: UserRecord, now = new Date()): Promise<void> {
    await this.repo.update({ id: user.id }, { failedLoginCount: 0, lockedUntil: null, lastLoginAt: now });
  }

  /** Just-in-time account of an external identity (OIDC / proxy): created, or its role/email/name refreshed. */
  async upsertExternal(provider: string, externalId: string, profile: { username: string; email: string | null; fullName: string | null; role: UserRole }): Promise<UserRecord> {
    const existing = await this.findExternal(provider, externalId);
    if (existing) {
      const patch: Partial<UserRecord> = { role: profile.role, lastLoginAt: new Date() };
      if (profile.email && profile.email !== existing.email) patch.email = profile.email;
      if (profile.fullName && profile.fullName !== existing.fullName) patch.fullName = profile.fullName;
      if (existing.role === 'admin' && profile.role !== 'admin' && existing.isActive) {
        const others = await this.repo.count({ where: { role: 'admin', isActive: true } });
        if (others <= 1) delete patch.role; // never demote the last admin through an IdP change
      }
      try {
        await this.repo.update({ id: existing.id }, patch);
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        delete patch.email;
        await this.repo.update({ id: existing.id }, patch);
      }
      return (await this.findById(existing.id)) as UserRecord;
    }
    const taken = await this.findByUsername(profile.username);
    if (taken) throw new ConflictException(`The username ${normalizeUsername(profile.username)} already belongs to another account`);
    const emailTaken = profile.email ? await this.repo.findOneBy({ email: profile.email }) : null;
    const { user } = await this.create({
      username: profile.username,
      email: emailTaken ? null : profile.email,
      fullName: profile.fullName,
      role: profile.role,
      authProvider: provider,
      externalId,
    });
    await this.repo.update({ id: user.id }, { lastLoginAt: new Date() });
    return user;
  }

  private async assertAnotherActiveAdmin(id: string, what: string): Promise<void> {
    const admins = await this.repo.find({ where: { role: 'admin', isActive: true }, select: { id: true } });
    if (!admins.some((a) => a.id !== id)) throw new ConflictException(`Cannot ${what} the last active admin`);
  }
}
