import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ApiError, AuthService, CamerasApi, ConsoleSettingsStore, SettingsApi } from '@crowdsafe/web-data-access';
import { ToastService } from '@crowdsafe/web-ui';
import { of, throwError } from 'rxjs';
import { PushService } from '../push/push.service';
import { SettingsPage } from './settings.page';

// The first render compiles the page's templates: slow on a loaded machine.
jest.setTimeout(60_000);

const riskSettings = {
  defaults: {
    weights: { density: 0.4, surge: 0.2, velocity: 0.2, pressure: 0.1, counterFlow: 0.1 },
    thresholds: { caution: 30, warning: 55, critical: 75 },
    hysteresis: { riseDwellS: 2, fallDwellS: 10, margin: 5 },
  },
  cameras: {},
};
const alerts = {
  thresholds: { surge: 0.3, surgeCritical: 0.6, stagnationVelocity: 0.1, stagnationDensity: 3, capacityPercent: 90, capacityCriticalPercent: 110, earlyWarningS: 30 },
  routing: { CAUTION: ['dashboard'], WARNING: ['dashboard', 'email'], CRITICAL: ['dashboard', 'email', 'sms'] },
};

describe('SettingsPage', () => {
  let api: Record<'all' | 'put' | 'recipients' | 'createRecipient' | 'updateRecipient' | 'deleteRecipient' | 'riskThresholds' | 'putRiskThresholds' | 'category', jest.Mock>;
  let isAdmin: ReturnType<typeof signal<boolean>>;
  let toast: jest.SpyInstance;
  let applySaved: jest.Mock;

  beforeEach(() => {
    isAdmin = signal(true);
    applySaved = jest.fn();
    api = {
      all: jest.fn(() => of({ general: { siteName: 'Harbour', timeZone: 'UTC', theme: 'auto' }, alerts: { cooldownS: 60, allClearS: 30, sound: { enabled: true, volume: 0.5, snoozeMinutes: 10, repeatCriticalS: 30 } }, system: { defaultTargetFps: 5, defaultResolution: { width: 1280, height: null }, metricsRetentionDays: 30, logRetentionDays: 90, crossingsRetentionDays: 30, model: { name: 'yolo11n', classes: 1 }, device: null } })),
      put: jest.fn(() => of({})),
      recipients: jest.fn(() => of([])),
      createRecipient: jest.fn(() => of({})),
      updateRecipient: jest.fn(() => of({})),
      deleteRecipient: jest.fn(() => of(undefined)),
      riskThresholds: jest.fn(() => of(JSON.parse(JSON.stringify(riskSettings)))),
      putRiskThresholds: jest.fn((s) => of(s)),
      category: jest.fn(() => of(JSON.parse(JSON.stringify(alerts)))),
    };
    TestBed.configureTestingModule({
      providers: [
        { provide: SettingsApi, useValue: api },
        { provide: CamerasApi, useValue: { list: jest.fn(() => of([{ id: 'c1', name: 'North gate' }])) } },
        { provide: AuthService, useValue: { status: signal('authenticated'), canOperate: signal(true), isAdmin } },
        { provide: ConsoleSettingsStore, useValue: { applySaved } },
        { provide: PushService, useValue: { state: signal('unsupported'), error: signal(null), minLevel: signal(null), refresh: jest.fn(), subscribe: jest.fn(), unsubscribe: jest.fn() } },
      ],
    });
    toast = jest.spyOn(TestBed.inject(ToastService), 'show');
  });

  async function render() {
    const f = TestBed.createComponent(SettingsPage);
    await f.whenStable();
    const el = f.nativeElement as HTMLElement;
    const q = (id: string) => el.querySelector(`[data-testid="${id}"]`) as HTMLElement;
    const type = async (sel: string, v: string) => {
      const i = el.querySelector(sel) as HTMLInputElement;
      i.value = v;
      i.dispatchEvent(new Event(i.tagName === 'SELECT' ? 'change' : 'input'));
      await f.whenStable();
    };
    const tab = async (id: string) => (q(`tab-${id}`).click(), await f.whenStable());
    return { f, el, q, type, tab };
  }

  it('viewers (not admin) get no System tab and read-only risk settings', async () => {
    isAdmin.set(false);
    const { q, el, tab } = await render();
    expect(q('tab-system')).toBeNull();
    expect(api.recipients).not.toHaveBeenCalled();
    await tab('alerts');
    expect(el.textContent).toContain('Recipients are managed by administrators.');
    await tab('risk');
    expect(q('save-risk')).toBeNull();
  });

  it('general: saving with nothing changed says so; a changed site name is saved and applied at once', async () => {
    const { q, type, f } = await render();
    expect((q('site-name') as HTMLInputElement).value).toBe('Harbour');
    q('save-general').click();
    expect(toast).toHaveBeenCalledWith('Nothing changed', 'info');
    expect(api.put).not.toHaveBeenCalled();

    await type('#site-name', '');
    expect((q('save-general') as HTMLButtonElement).disabled).toBe(true);
    await type('#site-name', '  North harbour ');
    q('save-general').click();
    await f.whenStable();
    expect(api.put).toHaveBeenCalledWith('general', 'siteName', 'North harbour');
    expect(applySaved).toHaveBeenCalledWith('general', 'siteName', 'North harbour');
    expect(toast).toHaveBeenCalledWith('Settings saved');
  });

  it('a rejected value is shown on its field', async () => {
    api.put.mockReturnValue(throwError(() => new ApiError(400, 'Bad request', 'x', null, ['cooldownS must not be less than 10'])));
    const { el, q, type, tab, f } = await render();
    await tab('sound');
    await type('#cooldown', '5');
    expect(el.textContent).toContain('Cooldown: 10 to 3600 seconds');
    q('save-alerts').click();
    await f.whenStable();
    expect(api.put).toHaveBeenCalledWith('alerts', 'cooldownS', 5);
    expect(el.textContent).toContain('cooldownS must not be less than 10');
  });

  it('system tab shows the model and saves the retention', async () => {
    const { el, type, tab, f } = await render();
    await tab('system');
    expect(el.textContent).toContain('name: yolo11n · classes: 1');
    await type('#sys-mret', '7');
    (el.querySelector('#panel-system form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    await f.whenStable();
    expect(api.put).toHaveBeenCalledWith('system', 'metricsRetentionDays', 7);
    expect(api.put).toHaveBeenCalledTimes(1);
  });

  it('keys the server does not hold, left empty, are not saved as null', async () => {
    api.all.mockReturnValue(of({ general: {}, alerts: {}, system: { defaultTargetFps: 5, defaultResolution: { width: 1280, height: null }, metricsRetentionDays: 30 } }));
    const { el, type, tab, f } = await render();
    await tab('system');
    await type('#sys-mret', '7');
    (el.querySelector('#panel-system form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    await f.whenStable();
    expect(api.put.mock.calls).toEqual([['system', 'metricsRetentionDays', 7]]);
  });

  it('load error is shown', async () => {
    api.all.mockReturnValue(throwError(() => new ApiError(500, 'Server failed', 'x', null)));
    const { el } = await render();
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('Server failed');
  });

  describe('recipients', () => {
    it('none yet; adding one checks required fields, then creates it', async () => {
      const { el, q, type, tab, f } = await render();
      await tab('alerts');
      expect(el.textContent).toContain('No recipients: alerts only appear in the console.');
      q('add-recipient').click();
      await f.whenStable();
      q('save-recipient').click();
      await f.whenStable();
      expect(el.querySelector('[role="dialog"]')?.textContent).toContain('name: required');
      expect(api.createRecipient).not.toHaveBeenCalled();
      await type('#rc-name', ' Ops ');
      await type('#rc-dest', ' ops@example.org ');
      q('save-recipient').click();
      await f.whenStable();
      expect(api.createRecipient).toHaveBeenCalledWith({ name: 'Ops', channel: 'email', destination: 'ops@example.org', minLevel: 'WARNING', cameraId: null, isActive: true });
      expect(toast).toHaveBeenCalledWith('Recipient saved');
      expect(api.recipients).toHaveBeenCalledTimes(2);
    });

    it('lists, edits (server errors in the dialog) and deletes', async () => {
      api.recipients.mockReturnValue(of([{ id: 'r1', name: 'Ops', channel: 'sms', destination: '+4477', minLevel: 'CRITICAL', cameraId: 'c1', isActive: false }]));
      api.updateRecipient.mockReturnValueOnce(throwError(() => new ApiError(400, 'Bad', 'x', null, ['destination: not a phone number'])));
      const { el, tab, f, q } = await render();
      await tab('alerts');
      const row = [...el.querySelectorAll('tbody tr')].find((r) => r.textContent?.includes('Ops')) as HTMLElement;
      expect(row.textContent).toContain('North gate');
      expect(row.textContent).toContain('No');
      (row.querySelector('[aria-label="Edit Ops"]') as HTMLButtonElement).click();
      await f.whenStable();
      q('save-recipient').click();
      await f.whenStable();
      expect(api.updateRecipient).toHaveBeenCalledWith('r1', expect.objectContaining({ name: 'Ops', channel: 'sms' }));
      expect(el.querySelector('[role="dialog"]')?.textContent).toContain('not a phone number');
      q('save-recipient').click();
      await f.whenStable();
      expect(el.querySelector('[role="dialog"]')).toBeNull();

      (el.querySelector('[aria-label="Delete Ops"]') as HTMLButtonElement).click();
      await f.whenStable();
      const del = [...el.querySelectorAll('[role="dialog"] button')].find((b) => b.textContent?.trim() === 'Delete') as HTMLButtonElement;
      del.click();
      await f.whenStable();
      expect(api.deleteRecipient).toHaveBeenCalledWith('r1');
      expect(toast).toHaveBeenCalledWith('Recipient deleted');
    });
  });

  describe('risk tab', () => {
    it('hints on weights that do not sum to 1 and unordered thresholds, then saves valid settings', async () => {
      const { el, q, type, tab, f } = await render();
      await tab('risk');
      expect(el.textContent).toContain('Sum: 1');
      await type('[data-testid="weight-density"]', '0.9');
      expect(el.textContent).toContain('weights must sum to 1 (got 1.500)');
      await type('[data-testid="threshold-critical"]', '40');
      expect(el.textContent).toContain('Thresholds must be ordered caution < warning < critical.');
      q('save-risk').click();
      await f.whenStable();
      expect(api.putRiskThresholds).not.toHaveBeenCalled();
      expect(q('risk-errors').textContent).toContain('weights must sum to 1');

      await type('[data-testid="weight-density"]', '0.4');
      await type('[data-testid="threshold-critical"]', '80');
      await type('#p-c1', 'concert');
      await type('#h-margin', '3');
      q('save-risk').click();
      await f.whenStable();
      expect(api.putRiskThresholds).toHaveBeenCalledWith(expect.objectContaining({
        defaults: expect.objectContaining({ thresholds: { caution: 30, warning: 55, critical: 80 }, hysteresis: { riseDwellS: 2, fallDwellS: 10, margin: 3 } }),
        cameras: { c1: { profile: 'concert' } },
      }));
      expect(toast).toHaveBeenCalledWith('Risk settings saved and applied');
    });

    it('server rejections are listed', async () => {
      api.putRiskThresholds.mockReturnValue(throwError(() => new ApiError(400, 'Bad', 'x', null, ['defaults.weights: must sum to 1'])));
      const { q, tab, f } = await render();
      await tab('risk');
      q('save-risk').click();
      await f.whenStable();
      expect(q('risk-errors').textContent).toContain('defaults.weights: must sum to 1');
    });
  });

  describe('alert policy tab', () => {
    it('loads the thresholds and routing; save is enabled once changed and sends only what changed', async () => {
      const { q, type, tab, f, el } = await render();
      await tab('policy');
      expect((q('ap-earlyWarningS') as HTMLInputElement).value).toBe('30');
      expect((q('rt-CRITICAL-sms') as HTMLInputElement).checked).toBe(true);
      expect((q('save-alert-policy') as HTMLButtonElement).disabled).toBe(true);
      q('rt-WARNING-sms').click();
      await f.whenStable();
      expect((q('save-alert-policy') as HTMLButtonElement).disabled).toBe(false);
      (el.querySelector('[data-testid="alert-policy"]') as HTMLFormElement).dispatchEvent(new Event('submit'));
      await f.whenStable();
      expect(api.put).toHaveBeenCalledTimes(1);
      expect(api.put).toHaveBeenCalledWith('alerts', 'routing', { CAUTION: ['dashboard'], WARNING: ['dashboard', 'email', 'sms'], CRITICAL: ['dashboard', 'email', 'sms'] });
      expect(toast).toHaveBeenCalledWith('Alert policy saved: applied to every camera');
      expect((q('save-alert-policy') as HTMLButtonElement).disabled).toBe(true);

      api.put.mockReturnValue(throwError(() => new ApiError(400, 'Bad', 'x', null, ['alerts.thresholds.surgeCritical: must be above surge'])));
      await type('[data-testid="ap-surgeCritical"]', '0.1');
      (el.querySelector('[data-testid="alert-policy"]') as HTMLFormElement).dispatchEvent(new Event('submit'));
      await f.whenStable();
      expect(api.put).toHaveBeenLastCalledWith('alerts', 'thresholds', expect.objectContaining({ surgeCritical: 0.1 }));
      expect(el.querySelector('[data-testid="alert-policy"] [role="alert"]')?.textContent).toContain('must be above surge');
    });

    it('a load failure is explained', async () => {
      api.category.mockReturnValue(throwError(() => new ApiError(403, 'Forbidden', 'x', null)));
      const { el, tab } = await render();
      await tab('policy');
      expect(el.textContent).toContain('Could not load the alert policy: Forbidden');
    });
  });
});
