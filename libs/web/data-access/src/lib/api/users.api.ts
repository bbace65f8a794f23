import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { UserRole } from '@crowdsafe/contracts';
import { type Observable, map } from 'rxjs';

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

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const strOrNull = (v: unknown): string | null => (typeof v === 'string' && v.length ? v : null);

export function toUser(raw: unknown): User {
  const r = obj(raw);
  return {
    id: String(r['id'] ?? ''),
    username: String(r['username'] ?? ''),
    fullName: strOrNull(r['fullName']),
    email: strOrNull(r['email']),
    role: (r['role'] ?? 'viewer') as UserRole,
    isActive: r['isActive'] !== false,
    mustChangePassword: r['mustChangePassword'] === true,
    lastLoginAt: strOrNull(r['lastLoginAt'] ?? r['lastLogin']),
    authProvider: strOrNull(r['authProvider']),
  };
}

export function toActivity(raw: unknown): UserActivity {
  const r = obj(raw);
  return {
    time: String(r['time'] ?? r['createdAt'] ?? r['timestamp'] ?? ''),
    level: String(r['level'] ?? 'info'),
    category: String(r['category'] ?? ''),
    action: strOrNull(r['action']),
    message: String(r['message'] ?? ''),
    ip: strOrNull(r['ipAddress'] ?? r['ip']),
  };
}

const items = (r: unknown): unknown[] => (Array.isArray(r) ? r : ((obj(r)['items'] ?? obj(r)['data']) as unknown[] | undefined) ?? []);

/** Users REST facade (admin only; see /work/notes/auth-api.md). */
@Injectable({ providedIn: 'root' })
export class UsersApi {
  private readonly http = inject(HttpClient);

  list(): Observable<User[]> {
    return this.http.get<unknown>('/api/users').pipe(map((r) => items(r).map(toUser)));
  }

  get(id: string): Observable<User> {
    return this.http.get<unknown>(`/api/users/${encodeURIComponent(id)}`).pipe(map(toUser));
  }

  create(input: UserCreate): Observable<User & { temporaryPassword: string | null }> {
    return this.http
      .post<unknown>('/api/users', input)
      .pipe(map((r) => ({ ...toUser(r), temporaryPassword: strOrNull(obj(r)['temporaryPassword']) })));
  }

  update(id: string, patch: UserPatch): Observable<User> {
    return this.http.patch<unknown>(`/api/users/${encodeURIComponent(id)}`, patch).pipe(map(toUser));
  }

  delete(id: string): Observable<void> {
    return this.http.delete<void>(`/api/users/${encodeURIComponent(id)}`);
  }

  /** The temporary password is shown once; the user must change it at the next login. */
  resetPassword(id: string): Observable<string> {
    return this.http
      .post<unknown>(`/api/users/${encodeURIComponent(id)}/reset-password`, {})
      .pipe(map((r) => String(obj(r)['temporaryPassword'] ?? '')));
  }

  activity(id: string): Observable<UserActivity[]> {
    return this.http.get<unknown>(`/api/users/${encodeURIComponent(id)}/activity`).pipe(map((r) => items(r).map(toActivity)));
  }
}
