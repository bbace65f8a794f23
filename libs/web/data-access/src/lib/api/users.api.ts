import { Injectable, inject } from '@angular/core';
import type { UserRole } from '@crowdsafe/contracts';
import { type Observable, map } from 'rxjs';
import {
  Api,
  type ActivityEntryDto,
  type CreatedUserDto,
  type UserDto,
  createUser,
  deleteUser,
  getUser,
  getUserActivity,
  listUsers,
  resetUserPassword,
  updateUser,
} from '../../generated';

export interface User {
  id: string;
  username: string;
  fullName: string | null;
  email: string | null;
  role: UserRole;
  isActive: boolean;
  mustChangePassword: boolean;
  lastLoginAt: string | null;
  authProvider: string | null;
}

export interface UserCreate {
  username: string;
  password?: string;
  email?: string;
  fullName?: string;
  role: UserRole;
}

export interface UserPatch {
  email?: string | null;
  fullName?: string | null;
  role?: UserRole;
  isActive?: boolean;
}

export interface UserActivity {
  time: string;
  level: string;
  category: string;
  action: string | null;
  message: string;
  ip: string | null;
}

const strOrNull = (v: string | null | undefined): string | null => (typeof v === 'string' && v.length ? v : null);

export function toUser(dto: UserDto): User {
  return {
    id: dto.id,
    username: dto.username,
    fullName: strOrNull(dto.fullName),
    email: strOrNull(dto.email),
    role: dto.role,
    isActive: dto.isActive,
    mustChangePassword: dto.mustChangePassword,
    lastLoginAt: strOrNull(dto.lastLoginAt),
    authProvider: strOrNull(dto.authProvider),
  };
}

export function toActivity(dto: ActivityEntryDto): UserActivity {
  return {
    time: dto.time,
    level: dto.level,
    category: dto.category,
    action: strOrNull(dto.action),
    message: dto.message,
    ip: strOrNull(dto.ip),
  };
}

/** Users REST facade over the generated client (admin only). */
@Injectable({ providedIn: 'root' })
export class UsersApi {
  private readonly api = inject(Api);

  list(): Observable<User[]> {
    return this.api.invoke(listUsers).pipe(map((list) => list.map(toUser)));
  }

  get(id: string): Observable<User> {
    return this.api.invoke(getUser, { id }).pipe(map(toUser));
  }

  create(input: UserCreate): Observable<User & { temporaryPassword: string | null }> {
    return this.api
      .invoke(createUser, { body: input })
      .pipe(map((r: CreatedUserDto) => ({ ...toUser(r), temporaryPassword: strOrNull(r.temporaryPassword) })));
  }

  update(id: string, patch: UserPatch): Observable<User> {
    return this.api.invoke(updateUser, { id, body: patch }).pipe(map(toUser));
  }

  delete(id: string): Observable<void> {
    return this.api.invoke(deleteUser, { id });
  }

  /** The temporary password is shown once; the user must change it at the next login. */
  resetPassword(id: string): Observable<string> {
    return this.api.invoke(resetUserPassword, { id }).pipe(map((r) => r.temporaryPassword));
  }

  activity(id: string): Observable<UserActivity[]> {
    return this.api.invoke(getUserActivity, { id }).pipe(map((page) => page.items.map(toActivity)));
  }
}
