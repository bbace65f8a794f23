import {
  DEFAULT_RISK_CONFIG,
  DEFAULT_RISK_SETTINGS,
  EVENT_PROFILES,
  applyPatch,
  checkRiskConfig,
  parseHhMm,
  resolveRiskConfig,
  scheduleActive,
  validateRiskConfig,
} from './config';
import { EVENT_PROFILE_IDS, RISK_TERMS, type RiskSettings } from './types';

function issuesOf(raw: unknown): { path: string; message: string }[] {
  const r = validateRiskConfig(raw);
  return r.ok ? [] : r.issues;
}

describe('built-in profiles', () => {
  it.each(EVENT_PROFILE_IDS.map((id) => [id]))('%s: valid, weights sum to 1', (id) => {
    const cfg = applyPatch(DEFAULT_RISK_CONFIG, EVENT_PROFILES[id]);
    expect(checkRiskConfig(cfg, '')).toEqual([]);
    expect(RISK_TERMS.reduce((a, t) => a + cfg.weights[t], 0)).toBeCloseTo(1, 12);
  });

  it('base: the spec weights, optional terms 0; event profiles weigh pressure and counter-flow > 0', () => {
    expect(DEFAULT_RISK_CONFIG.weights).toEqual({ density: 0.4, surge: 0.3, velocity: 0.3, pressure: 0, counterFlow: 0 });
    for (const id of EVENT_PROFILE_IDS.filter((p) => p !== 'base')) {
      expect(EVENT_PROFILES[id].weights?.pressure).toBeGreaterThan(0);
      expect(EVENT_PROFILES[id].weights?.counterFlow).toBeGreaterThan(0);
    }
  });
});

describe('validateRiskConfig', () => {
  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['empty object', {}],
  ])('%s -> the defaults', (_n, raw) => {
    expect(validateRiskConfig(raw)).toEqual({ ok: true, value: DEFAULT_RISK_SETTINGS });
  });

  const w = (density: number, surge: number, velocity: number) => ({ density, surge, velocity, pressure: 0, counterFlow: 0 });

  it.each<[string, unknown, { path: string; message: string }[]]>([
    ['not an object', 42, [{ path: '', message: 'must be an object' }]],
    ['unknown top-level field', { colour: 'red' }, [{ path: 'colour', message: 'unknown field' }]],
    ['weights sum 0.9', { defaults: { weights: w(0.4, 0.3, 0.2) } }, [{ path: 'defaults.weights', message: 'must sum to 1 (got 0.9)' }]],
    ['weights off by 2e-6', { defaults: { weights: w(0.4, 0.3, 0.300002) } }, [{ path: 'defaults.weights', message: 'must sum to 1 (got 1.000002)' }]],
    ['negative weight', { defaults: { weights: w(1.2, -0.2, 0) } }, [{ path: 'defaults.weights.surge', message: 'must be a number >= 0' }]],
    [
      'incomplete weights',
      { defaults: { weights: { density: 1 } } },
      ['surge', 'velocity', 'pressure', 'counterFlow'].map((t) => ({
        path: `defaults.weights.${t}`,
        message: 'must be a number (weights are given complete)',
      })),
    ],
    ['unknown weight', { defaults: { weights: { ...w(0.4, 0.3, 0.3), noise: 0 } } }, [{ path: 'defaults.weights.noise', message: 'unknown field' }]],
    ['thresholds out of order', { defaults: { thresholds: { warning: 20 } } }, [{ path: 'defaults.thresholds', message: 'must be strictly ordered: caution < warning < critical' }]],
    ['equal thresholds', { defaults: { thresholds: { warning: 75 } } }, [{ path: 'defaults.thresholds', message: 'must be strictly ordered: caution < warning < critical' }]],
    ['threshold 100', { defaults: { thresholds: { critical: 100 } } }, [{ path: 'defaults.thresholds.critical', message: 'must be a number in (0, 100)' }]],
    ['threshold 0', { defaults: { thresholds: { caution: 0 } } }, [{ path: 'defaults.thresholds.caution', message: 'must be a number in (0, 100)' }]],
    ['threshold not a number', { defaults: { thresholds: { caution: '25' } } }, [{ path: 'defaults.thresholds.caution', message: 'must be a number' }]],
    ['reference 0', { defaults: { references: { density: 0 } } }, [{ path: 'defaults.references.density', message: 'must be a number > 0' }]],
    ['crowding ramp reversed', { defaults: { references: { crowdingFull: 1 } } }, [{ path: 'defaults.references.crowdingFull', message: 'must be greater than references.crowdingFrom' }]],
    ['negative dwell', { defaults: { hysteresis: { riseDwellS: -1 } } }, [{ path: 'defaults.hysteresis.riseDwellS', message: 'must be a number >= 0' }]],
    ['bad time zone', { timeZone: 'Mars/Olympus' }, [{ path: 'timeZone', message: 'must be an IANA time zone such as "Europe/London"' }]],
    ['unknown profile id', { profiles: { rave: {} } }, [{ path: 'profiles.rave', message: 'unknown profile (one of base, concert, religious-gathering, stadium-egress, transit)' }]],
    ['profile weights not summing to 1', { profiles: { concert: { weights: w(0.5, 0.5, 0.5) } } }, [{ path: 'profiles.concert.weights', message: 'must sum to 1 (got 1.5)' }]],
    ['camera with unknown profile', { cameras: { 'cam-1': { profile: 'rave' } } }, [{ path: 'cameras.cam-1.profile', message: 'unknown profile (one of base, concert, religious-gathering, stadium-egress, transit)' }]],
    ['camera override breaking the order', { cameras: { 'cam-1': { overrides: { thresholds: { caution: 60 } } } } }, [{ path: 'cameras.cam-1.thresholds', message: 'must be strictly ordered: caution < warning < critical' }]],
    ['schedules not an array', { schedules: {} }, [{ path: 'schedules', message: 'must be an array' }]],
  ])('%s', (_n, raw, issues) => {
    expect(issuesOf(raw)).toEqual(issues);
  });

  const sched = { name: 'peak', days: [1, 2, 3, 4, 5], from: '07:00', to: '09:30' };
  it.each<[string, Record<string, unknown>, { path: string; message: string }[]]>([
    ['valid', {}, []],
    ['whole day 00:00-24:00', { from: '00:00', to: '24:00' }, []],
    ['across midnight', { from: '22:00', to: '02:00' }, []],
    ['hour 25', { from: '25:00' }, [{ path: 'schedules[0].from', message: 'must be a time "HH:MM" from 00:00 to 23:59' }]],
    ['minute 60', { to: '09:60' }, [{ path: 'schedules[0].to', message: 'must be a time "HH:MM" from 00:00 to 24:00' }]],
    ['from 24:00', { from: '24:00' }, [{ path: 'schedules[0].from', message: 'must be a time "HH:MM" from 00:00 to 23:59' }]],
    ['not zero-padded', { from: '7:00' }, [{ path: 'schedules[0].from', message: 'must be a time "HH:MM" from 00:00 to 23:59' }]],
    ['empty window', { to: '07:00' }, [{ path: 'schedules[0].to', message: 'must differ from from (use 00:00-24:00 for a whole day)' }]],
    ['weekday 7', { days: [7] }, [{ path: 'schedules[0].days', message: 'must be a non-empty array of weekdays 0 (Sunday) to 6' }]],
    ['no weekdays', { days: [] }, [{ path: 'schedules[0].days', message: 'must be a non-empty array of weekdays 0 (Sunday) to 6' }]],
    ['no name', { name: ' ' }, [{ path: 'schedules[0].name', message: 'must be a non-empty string' }]],
    ['unknown profile', { profile: 'rave' }, [{ path: 'schedules[0].profile', message: 'unknown profile (one of base, concert, religious-gathering, stadium-egress, transit)' }]],
    ['cameras not strings', { cameras: [1] }, [{ path: 'schedules[0].cameras', message: 'must be an array of camera ids' }]],
    ['override breaking a reference', { overrides: { references: { surge: -2 } } }, [{ path: 'schedules[0].references.surge', message: 'must be a number > 0' }]],
  ])('schedule: %s', (_n, patch, issues) => {
    expect(issuesOf({ schedules: [{ ...sched, ...patch }] })).toEqual(issues);
  });

  it('returns the parsed settings', () => {
    const raw = {
      timeZone: 'Europe/London',
      defaults: { thresholds: { caution: 20 } },
      cameras: { gate: { profile: 'stadium-egress' } },
      schedules: [{ ...sched, profile: 'transit' }],
    };
    const r = validateRiskConfig(raw);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.timeZone).toBe('Europe/London');
    expect(r.value.defaults.thresholds).toEqual({ caution: 20, warning: 50, critical: 75 });
    expect(r.value.cameras).toEqual({ gate: { profile: 'stadium-egress' } });
    expect(r.value.schedules).toEqual([{ ...sched, profile: 'transit' }]);
  });
});

describe('schedules', () => {
  it.each<[unknown, boolean, number | null]>([
    ['00:00', false, 0],
    ['23:59', false, 1439],
    ['24:00', false, null],
    ['24:00', true, 1440],
    ['12:5', false, null],
    [null, false, null],
  ])('parseHhMm(%p, end=%p) -> %p', (s, end, m) => expect(parseHhMm(s, end)).toBe(m));

  const night = { name: 'night', days: [5], from: '22:00', to: '02:00' };
  it.each<[number, string, boolean]>([
    [5, '21:59', false],
    [5, '22:00', true],
    [5, '23:59', true],
    [6, '00:00', true],
    [6, '01:59', true],
    [6, '02:00', false],
    [6, '23:00', false],
    [0, '01:00', false],
    [4, '01:00', false],
  ])('night window Fri 22:00-02:00: weekday %p %s -> %p', (day, hhmm, active) => {
    expect(scheduleActive(night, day, parseHhMm(hhmm) as number)).toBe(active);
  });
});

describe('resolveRiskConfig', () => {
  const settings: RiskSettings = {
    ...DEFAULT_RISK_SETTINGS,
    timeZone: 'Europe/London',
    cameras: {
      gate: { profile: 'stadium-egress', overrides: { thresholds: { critical: 70 } } },
      platform: { overrides: { references: { density: 8 } } },
    },
    schedules: [
      {
        name: 'weekday peak',
        days: [1, 2, 3, 4, 5],
        from: '07:00',
        to: '09:30',
        cameras: ['platform'],
        profile: 'transit',
        overrides: { thresholds: { caution: 20 } },
      },
      { name: 'friday night', days: [5], from: '22:00', to: '02:00', overrides: { hysteresis: { fallDwellS: 30 } } },
    ],
  };
  const transitWeights = EVENT_PROFILES.transit.weights;
  const egressWeights = EVENT_PROFILES['stadium-egress'].weights;

  it.each<[string, string, string, string, string[], Record<string, unknown>]>([
    ['unknown camera, quiet time: defaults', 'other', '2026-11-24T12:00:00Z', 'base', [], { ...DEFAULT_RISK_CONFIG }],
    ['camera profile + override', 'gate', '2026-11-24T12:00:00Z', 'stadium-egress', [], {
      weights: egressWeights,
      thresholds: { caution: 25, warning: 50, critical: 70 },
    }],
    // Monday 08:00 GMT (winter): peak applies to platform only, with its profile; the camera override still applies.
    ['platform in the Monday peak (GMT)', 'platform', '2026-11-23T08:00:00Z', 'transit', ['weekday peak'], {
      weights: transitWeights,
      thresholds: { caution: 20, warning: 50, critical: 75 },
      references: { ...DEFAULT_RISK_CONFIG.references, density: 8 },
    }],
    ['gate in the Monday peak: not its schedule', 'gate', '2026-11-23T08:00:00Z', 'stadium-egress', [], { weights: egressWeights }],
    // 07:30 UTC in July is 08:30 BST: inside; 08:45 UTC is 09:45 BST: outside.
    ['platform at 08:30 BST', 'platform', '2026-07-06T07:30:00Z', 'transit', ['weekday peak'], { weights: transitWeights }],
    ['platform at 09:45 BST', 'platform', '2026-07-06T08:45:00Z', 'base', [], { weights: DEFAULT_RISK_CONFIG.weights }],
    ['any camera on Friday 23:00', 'gate', '2026-11-27T23:00:00Z', 'stadium-egress', ['friday night'], {
      hysteresis: { riseDwellS: 2, fallDwellS: 30, margin: 5 },
    }],
    ['window spills into Saturday 01:00', 'other', '2026-11-28T01:00:00Z', 'base', ['friday night'], {
      hysteresis: { riseDwellS: 2, fallDwellS: 30, margin: 5 },
    }],
    ['not Sunday 01:00', 'other', '2026-11-29T01:00:00Z', 'base', [], { hysteresis: DEFAULT_RISK_CONFIG.hysteresis }],
  ])('%s', (_n, camera, iso, profile, schedules, expected) => {
    const r = resolveRiskConfig(settings, camera, new Date(iso));
    expect(r.profile).toBe(profile);
    expect(r.schedules).toEqual(schedules);
    expect(r.config).toMatchObject(expected);
  });
});
