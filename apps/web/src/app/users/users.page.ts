import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { USER_ROLES, type UserRole } from '@crowdsafe/contracts';
import { AuthService, type User, type UserActivity, UsersApi, toApiError } from '@crowdsafe/web-data-access';
import { ModalComponent, ToastService, ToastsComponent } from '@crowdsafe/web-ui';

interface Draft {
  id: string | null;
  username: string;
  fullName: string;
  email: string;
  role: UserRole;
  password: string;
  isActive: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

@Component({
  selector: 'cs-users-page',
  imports: [FormsModule, ModalComponent, ToastsComponent, DatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './users.page.html',
})
export class UsersPage {
  private readonly api = inject(UsersApi);
  private readonly toasts = inject(ToastService);
  private readonly auth = inject(AuthService);
  protected readonly roles = USER_ROLES;

  protected readonly users = signal<User[] | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly search = signal('');
  protected readonly draft = signal<Draft | null>(null);
  protected readonly draftErrors = signal<Record<string, string>>({});
  protected readonly serverErrors = signal<string[]>([]);
  protected readonly saving = signal(false);
  protected readonly confirmDelete = signal<User | null>(null);
  protected readonly confirmReset = signal<User | null>(null);
  /** Shown once after a reset/create without password. */
  protected readonly temporary = signal<{ user: string; password: string } | null>(null);
  protected readonly activityOf = signal<User | null>(null);
  protected readonly activity = signal<UserActivity[] | null>(null);
  protected readonly activityError = signal<string | null>(null);
  protected readonly meId = computed(() => this.auth.user()?.id ?? null);

  protected readonly rows = computed(() => {
    const q = this.search().trim().toLowerCase();
    const list = this.users() ?? [];
    return q ? list.filter((u) => [u.username, u.fullName ?? '', u.email ?? '', u.role].some((v) => v.toLowerCase().includes(q))) : list;
  });

  constructor() {
    this.load();
  }

  protected load(): void {
    this.api.list().subscribe({
      next: (u) => (this.users.set(u), this.loadError.set(null)),
      error: (e: unknown) => this.loadError.set(toApiError(e).message),
    });
  }

  protected create(): void {
    this.serverErrors.set([]);
    this.draftErrors.set({});
    this.draft.set({ id: null, username: '', fullName: '', email: '', role: 'viewer', password: '', isActive: true });
  }

  protected edit(u: User): void {
    this.serverErrors.set([]);
    this.draftErrors.set({});
    this.draft.set({ id: u.id, username: u.username, fullName: u.fullName ?? '', email: u.email ?? '', role: u.role, password: '', isActive: u.isActive });
  }

  protected patch(p: Partial<Draft>): void {
    this.draft.update((d) => (d ? { ...d, ...p } : d));
  }

  private validate(d: Draft): Record<string, string> {
    const e: Record<string, string> = {};
    if (!d.id) {
      if (!/^[A-Za-z0-9._@-]{1,64}$/.test(d.username)) e['username'] = 'Username: 1–64 letters, digits and . _ @ -';
      if (d.password && (d.password.length < 12 || d.password.length > 256)) e['password'] = 'Password: at least 12 characters (or leave empty for a temporary one)';
    }
    if (d.email && (!EMAIL.test(d.email) || d.email.length > 254)) e['email'] = 'Not a valid email address';
    if (d.fullName.length > 128) e['fullName'] = 'At most 128 characters';
    return e;
  }

  protected save(): void {
    const d = this.draft();
    if (!d) return;
    const e = this.validate(d);
    this.draftErrors.set(e);
    if (Object.keys(e).length) return;
    this.saving.set(true);
    this.serverErrors.set([]);
    const done = () => (this.saving.set(false), this.draft.set(null), this.load());
    const fail = (err: unknown) => {
      const a = toApiError(err);
      this.saving.set(false);
      this.serverErrors.set(a.details.length ? [...a.details] : [a.message]);
    };
    if (d.id) {
      this.api
        .update(d.id, { fullName: d.fullName.trim() || null, email: d.email.trim() || null, role: d.role, isActive: d.isActive })
        .subscribe({ next: () => (done(), this.toasts.show(`${d.username} updated`)), error: fail });
    } else {
      this.api
        .create({
          username: d.username.trim(),
          role: d.role,
          ...(d.password ? { password: d.password } : {}),
          ...(d.email.trim() ? { email: d.email.trim() } : {}),
          ...(d.fullName.trim() ? { fullName: d.fullName.trim() } : {}),
        })
        .subscribe({
          next: (u) => {
            done();
            this.toasts.show(`${u.username} created`);
            if (u.temporaryPassword) this.temporary.set({ user: u.username, password: u.temporaryPassword });
          },
          error: fail,
        });
    }
  }

  protected setActive(u: User, isActive: boolean): void {
    this.api.update(u.id, { isActive }).subscribe({
      next: () => (this.toasts.show(`${u.username} ${isActive ? 'activated' : 'deactivated'}`), this.load()),
      error: (e: unknown) => this.toasts.show(toApiError(e).message, 'danger', 8000),
    });
  }

  protected doDelete(): void {
    const u = this.confirmDelete();
    if (!u) return;
    this.api.delete(u.id).subscribe({
      next: () => (this.confirmDelete.set(null), this.toasts.show(`${u.username} deleted`), this.load()),
      error: (e: unknown) => (this.confirmDelete.set(null), this.toasts.show(toApiError(e).message, 'danger', 8000)),
    });
  }

  protected doReset(): void {
    const u = this.confirmReset();
    if (!u) return;
    this.api.resetPassword(u.id).subscribe({
      next: (password) => (this.confirmReset.set(null), this.temporary.set({ user: u.username, password }), this.load()),
      error: (e: unknown) => (this.confirmReset.set(null), this.toasts.show(toApiError(e).message, 'danger', 8000)),
    });
  }

  protected copyTemporary(): void {
    const t = this.temporary();
    if (t) void navigator.clipboard?.writeText(t.password).then(() => this.toasts.show('Copied to the clipboard', 'info'));
  }

  protected showActivity(u: User): void {
    this.activityOf.set(u);
    this.activity.set(null);
    this.activityError.set(null);
    this.api.activity(u.id).subscribe({
      next: (a) => this.activity.set(a),
      error: (e: unknown) => this.activityError.set(toApiError(e).message),
    });
  }
}
