import { computed, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ConsoleSettingsStore, type ThemeSetting } from '@crowdsafe/web-data-access';
import { ThemeService, resolveTheme } from './theme.service';

describe('ThemeService', () => {
  const site = signal<ThemeSetting>('auto');
  let dark = true;

  beforeEach(() => {
    localStorage.clear();
    site.set('auto');
    dark = true;
    window.matchMedia = ((q: string) => ({ matches: q.includes('dark') && dark, addEventListener: jest.fn(), removeEventListener: jest.fn() })) as unknown as typeof window.matchMedia;
  });
  const make = () => {
    TestBed.configureTestingModule({ providers: [{ provide: ConsoleSettingsStore, useValue: { theme: computed(() => site()) } }] });
    const t = TestBed.inject(ThemeService);
    TestBed.tick();
    return t;
  };
  const attr = () => document.documentElement.getAttribute('data-bs-theme');

  it.each([
    ['light', false, 'light'],
    ['light', true, 'light'],
    ['dark', false, 'dark'],
    ['auto', true, 'dark'],
    ['auto', false, 'light'],
  ] as const)('resolveTheme(%s, system dark %p) = %s', (s, d, t) => expect(resolveTheme(s, d)).toBe(t));

  it('follows the site default (general.theme), hot', () => {
    dark = false;
    const t = make();
    expect(attr()).toBe('light');
    site.set('dark');
    TestBed.tick();
    expect(t.theme()).toBe('dark');
    expect(attr()).toBe('dark');
  });

  it("this browser's choice wins until it goes back to the site default", () => {
    site.set('light');
    const t = make();
    t.toggle();
    expect(attr()).toBe('dark');
    expect(localStorage.getItem('cs.theme')).toBe('dark');
    site.set('light');
    TestBed.tick();
    expect(attr()).toBe('dark');
    t.useSiteDefault();
    expect(attr()).toBe('light');
    expect(localStorage.getItem('cs.theme')).toBeNull();
  });

  it('a stored choice is read at start', () => {
    localStorage.setItem('cs.theme', 'light');
    site.set('dark');
    expect(make().theme()).toBe('light');
  });
});
