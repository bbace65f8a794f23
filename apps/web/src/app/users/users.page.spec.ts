import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ApiError, AuthService, type User, UsersApi } from '@crowdsafe/web-data-access';
import { ToastService } from '@crowdsafe/web-ui';
import { of, throwError } from 'rxjs';
import { UsersPage } from './users.page';

// The first render compiles the page's templates: slow on a loaded machine.
jest.setTimeout(60_000);

const user = (over: Partial<User>): User => ({ id: 'u1', username: 'ana', fullName: 'Ana Lima', email: 'ana@example.org', role: 'operator', isActive: true, mustChangePassword: false, lastLoginAt: null, authProvider: null, ...over });

describe('UsersPage', () => {
  let api: Record<'list' | 'create' | 'update' | 'delete' | 'resetPassword' | 'activity', jest.Mock>;
  let toasts: { show: jest.SpyInstance };

  beforeEach(() => {
    api = {
      list: jest.fn(() => of([user({}), user({ id: 'me', username: 'admin', role: 'admin', fullName: null, email: null }), user({ id: 'u3', username: 'vic', role: 'viewer', isActive: false, mustChangePassword: true })])),
      create: jest.fn(),
      update: jest.fn(() => of(user({}))),
      delete: jest.fn(() => of(undefined)),
      resetPassword: jest.fn(() => of('temp-pass-123')),
      activity: jest.fn(() => of([])),
    };
    TestBed.configureTestingModule({
      providers: [
        { provide: UsersApi, useValue: api },
        { provide: AuthService, useValue: { user: signal({ id: 'me' }) } },
      ],
    });
    toasts = { show: jest.spyOn(TestBed.inject(ToastService), 'show') };
  });

  async function render() {
    const f = TestBed.createComponent(UsersPage);
    await f.whenStable();
    const el = f.nativeElement as HTMLElement;
    const button = (label: string, within: ParentNode = el) => [...within.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === label || b.textContent?.trim() === label) as HTMLButtonElement;
    const type = (sel: string, v: string) => {
      const i = el.querySelector(sel) as HTMLInputElement;
      i.value = v;
      i.dispatchEvent(new Event(i.tagName === 'SELECT' ? 'change' : 'input'));
    };
    return { f, el, button, type, q: (id: string) => el.querySelector(`[data-testid="${id}"]`) };
  }

  it('no users match the search', async () => {
    api.list.mockReturnValue(of([]));
    const { q } = await render();
    expect(q('users-table')?.textContent).toContain('No users match.');
  });

  it('lists the users, marks "you" and hides deactivate/delete on your own row; search filters', async () => {
    const { f, el, q, type } = await render();
    const rows = q('users-table')?.querySelectorAll('tbody tr[data-username]') ?? [];
    expect([...rows].map((r) => r.getAttribute('data-username'))).toEqual(['ana', 'admin', 'vic']);
    expect(rows[1].textContent).toContain('you');
    expect(rows[1].querySelector('[aria-label="Delete admin"]')).toBeNull();
    expect(rows[2].textContent).toContain('Deactivated');
    expect(rows[2].textContent).toContain('must change password');
    type('#user-search', 'VIEW');
    await f.whenStable();
    expect([...el.querySelectorAll('tr[data-username]')].map((r) => r.getAttribute('data-username'))).toEqual(['vic']);
  });

  it('a load error offers a retry', async () => {
    api.list.mockReturnValueOnce(throwError(() => new ApiError(500, 'Server failed', 'x', null)));
    const { f, el, button } = await render();
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('Server failed');
    button('Retry').click();
    await f.whenStable();
    expect(el.querySelector('[role="alert"]')).toBeNull();
  });

  it('creating validates the fields first, then shows the temporary password once', async () => {
    api.create.mockReturnValue(of({ ...user({ id: 'n', username: 'new.user' }), temporaryPassword: 'tmp-XYZ' }));
    const { f, el, q, type } = await render();
    (q('add-user') as HTMLButtonElement).click();
    await f.whenStable();
    type('#u-name', 'bad name');
    type('#u-email', 'not-an-email');
    type('#u-pass', 'short');
    (q('user-save') as HTMLButtonElement).click();
    await f.whenStable();
    expect(el.textContent).toContain('Username: 1–64 letters');
    expect(el.textContent).toContain('Not a valid email address');
    expect(el.textContent).toContain('Password: at least 12 characters');
    expect(api.create).not.toHaveBeenCalled();

    type('#u-name', 'new.user');
    type('#u-email', ' n@example.org ');
    type('#u-pass', '');
    type('#u-full', ' New User ');
    type('#u-role', 'operator');
    (q('user-save') as HTMLButtonElement).click();
    await f.whenStable();
    expect(api.create).toHaveBeenCalledWith({ username: 'new.user', role: 'operator', email: 'n@example.org', fullName: 'New User' });
    expect(toasts.show).toHaveBeenCalledWith('new.user created');
    expect(q('temporary-password')?.textContent).toBe('tmp-XYZ');
    expect(api.list).toHaveBeenCalledTimes(2);
  });

  it('editing sends the patch; server messages stay in the dialog', async () => {
    api.update.mockReturnValueOnce(throwError(() => new ApiError(400, 'Bad request', 'x', null, ['email already used'])));
    const { f, el, q, button, type } = await render();
    button('Edit ana').click();
    await f.whenStable();
    expect(q('user-username')).toBeNull();
    type('#u-full', '');
    const active = el.querySelector('#u-active') as HTMLInputElement;
    active.checked = false;
    active.dispatchEvent(new Event('change'));
    (q('user-save') as HTMLButtonElement).click();
    await f.whenStable();
    expect(api.update).toHaveBeenCalledWith('u1', { fullName: null, email: 'ana@example.org', role: 'operator', isActive: false });
    expect(el.querySelector('[data-testid="user-dialog"] [role="alert"]')?.textContent).toContain('email already used');
    (q('user-save') as HTMLButtonElement).click();
    await f.whenStable();
    expect(toasts.show).toHaveBeenCalledWith('ana updated');
    expect(q('user-dialog')).toBeNull();
  });

  it('deactivates, deletes after confirming, and reports failures as toasts', async () => {
    const { f, button, el } = await render();
    button('Deactivate ana').click();
    expect(api.update).toHaveBeenCalledWith('u1', { isActive: false });
    expect(toasts.show).toHaveBeenCalledWith('ana deactivated');
    button('Activate vic').click();
    expect(toasts.show).toHaveBeenCalledWith('vic activated');

    button('Delete ana').click();
    await f.whenStable();
    expect(el.textContent).toContain('Delete ana?');
    button('Delete', el.querySelector('[role="dialog"]') as HTMLElement).click();
    await f.whenStable();
    expect(api.delete).toHaveBeenCalledWith('u1');
    expect(toasts.show).toHaveBeenCalledWith('ana deleted');

    api.delete.mockReturnValue(throwError(() => new ApiError(409, 'Cannot delete the last admin', 'x', null)));
    button('Delete vic').click();
    await f.whenStable();
    button('Delete', el.querySelector('[role="dialog"]') as HTMLElement).click();
    expect(toasts.show).toHaveBeenCalledWith('Cannot delete the last admin', 'danger', 8000);
  });

  it('resets a password after confirming and shows it', async () => {
    const { f, q, button } = await render();
    button('Reset password of vic').click();
    await f.whenStable();
    (q('confirm-reset') as HTMLButtonElement).click();
    await f.whenStable();
    expect(api.resetPassword).toHaveBeenCalledWith('u3');
    expect(q('temporary-password')?.textContent).toBe('temp-pass-123');
  });

  it('shows a user’s activity, empty first', async () => {
    const { f, el, button } = await render();
    button('Activity of ana').click();
    await f.whenStable();
    expect(el.querySelector('[role="dialog"]')?.textContent).toContain('No activity recorded.');
    api.activity.mockReturnValue(of([{ time: '2026-01-01T10:00:00Z', level: 'info', category: 'auth', action: null, message: 'signed in', ip: null }]));
    button('Activity of vic').click();
    await f.whenStable();
    expect(el.querySelector('[role="dialog"]')?.textContent).toContain('signed in');
    expect(el.querySelector('[role="dialog"]')?.textContent).toContain('auth');
  });
});
