import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router } from '@angular/router';
import { type AuthProviders, AuthService, AuthApi, toApiError } from '@crowdsafe/web-data-access';

/** Only local, absolute paths are followed after sign-in (no open redirect). */
export function safeReturnUrl(url: string | undefined | null): string {
  if (!url || !url.startsWith('/') || url.startsWith('//') || url.startsWith('/login')) return '/';
  return url;
}

@Component({
  selector: 'cs-login-page',
  imports: [ReactiveFormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './login.page.html',
  styleUrl: './auth-pages.scss',
})
export class LoginPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  protected readonly endReason = this.auth.endReason;

  /** `?returnUrl=` */
  readonly returnUrl = input<string | undefined>();

  protected readonly providers = signal<AuthProviders | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<{ kind: 'invalid' | 'locked' | 'throttled' | 'other'; message: string } | null>(null);
  protected readonly ssoUrl = '/api/auth/oidc/login';

  protected readonly form = new FormGroup({
    username: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.maxLength(64)] }),
    password: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.maxLength(256)] }),
  });

  constructor() {
    inject(AuthApi)
      .providers()
      .subscribe({ next: (p) => this.providers.set(p), error: () => this.providers.set(null) });
  }

  protected submit(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { username, password } = this.form.getRawValue();
    this.busy.set(true);
    this.error.set(null);
    this.auth.login(username.trim(), password).subscribe({
      next: (user) => {
        this.busy.set(false);
        this.form.controls.password.reset('');
        void this.router.navigateByUrl(user?.mustChangePassword ? '/change-password' : safeReturnUrl(this.returnUrl()));
      },
      error: (err: unknown) => {
        this.busy.set(false);
        const e = toApiError(err);
        this.form.controls.password.reset('');
        if (e.status === 423) this.error.set({ kind: 'locked', message: `Account locked. ${e.message}` });
        else if (e.status === 429) this.error.set({ kind: 'throttled', message: `Too many attempts. ${e.message}` });
        else if (e.status === 401) this.error.set({ kind: 'invalid', message: e.message || 'Invalid username or password' });
        else this.error.set({ kind: 'other', message: e.message });
      },
    });
  }
}
