import type { AllSettings } from '../api/settings.api';

export type ThemeSetting = 'light' | 'dark' | 'auto';

/** `alerts.sound`: the console alarm. */
export interface SoundSetting {
  enabled: boolean;
  /** 0..1 */
  volume: number;
  /** Default snooze, minutes (5-15). */
  snoozeMinutes: number;
  /** Repeat an unacknowledged CRITICAL alarm every this many seconds; 0 = sound once. */
  repeatCriticalS: number;
}

/** The stored settings the console itself acts on (the server's registry holds the rest). */
export interface ConsoleSettings {
  siteName: string;
  /** IANA zone for dates shown in the console. */
  timeZone: string;
  theme: ThemeSetting;
  sound: SoundSetting;
  /** The camera wizard's proposals for a new camera. */
  defaultTargetFps: number;
  defaultResolution: { width: number; height: number | null };
}

/** The registry's defaults (libs/server/settings registry.ts), used until the server answered. */
export const DEFAULT_CONSOLE_SETTINGS: ConsoleSettings = {
  siteName: 'CrowdSafe',
  timeZone: 'UTC',
  theme: 'auto',
  sound: { enabled: true, volume: 0.8, snoozeMinutes: 10, repeatCriticalS: 30 },
  defaultTargetFps: 5,
  defaultResolution: { width: 1280, height: null },
};

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const num = (v: unknown, min: number, max: number, dflt: number): number =>
  typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : dflt;
const str = (v: unknown, dflt: string): string => (typeof v === 'string' && v.trim() ? v.trim() : dflt);

function validZone(v: unknown): string | null {
  if (typeof v !== 'string' || !v) return null;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: v });
    return v;
  } catch {
    return null;
  }
}

/**
 * GET /api/settings → what the console uses. Every field falls back to the default on its own when absent or out
 * of range (an older or newer server never breaks the console), with the server's own bounds.
 */
export function parseConsoleSettings(all: AllSettings, d: ConsoleSettings = DEFAULT_CONSOLE_SETTINGS): ConsoleSettings {
  const g = obj(all['general']);
  const a = obj(all['alerts']);
  const s = obj(all['system']);
  const sound = obj(a['sound']);
  const res = obj(s['defaultResolution']);
  const theme = g['theme'];
  return {
    siteName: str(g['siteName'], d.siteName).slice(0, 100),
    timeZone: validZone(g['timeZone']) ?? d.timeZone,
    theme: theme === 'light' || theme === 'dark' || theme === 'auto' ? theme : d.theme,
    sound: {
      enabled: typeof sound['enabled'] === 'boolean' ? sound['enabled'] : d.sound.enabled,
      volume: num(sound['volume'], 0, 1, d.sound.volume),
      snoozeMinutes: Math.round(num(sound['snoozeMinutes'], 5, 15, d.sound.snoozeMinutes)),
      repeatCriticalS: num(sound['repeatCriticalS'], 0, 3600, d.sound.repeatCriticalS),
    },
    defaultTargetFps: num(s['defaultTargetFps'], 1, 30, d.defaultTargetFps),
    defaultResolution: {
      width: Math.round(num(res['width'], 160, 7680, d.defaultResolution.width)),
      height: res['height'] === null || res['height'] === undefined ? null : Math.round(num(res['height'], 90, 4320, 0)) || null,
    },
  };
}

/** The browser's IANA zones (Intl.supportedValuesOf), always with UTC and the current value, sorted, no duplicates. */
export function timeZoneChoices(current?: string | null, supported?: () => string[]): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  let list: string[] = [];
  try {
    list = supported ? supported() : (intl.supportedValuesOf?.('timeZone') ?? []);
  } catch {
    list = [];
  }
  const set = new Set(list.filter((z) => typeof z === 'string' && z));
  set.add('UTC');
  if (current) set.add(current);
  return [...set].sort((x, y) => (x === 'UTC' ? -1 : y === 'UTC' ? 1 : x.localeCompare(y)));
}
