import { DOCUMENT } from '@angular/common';
import { Injectable, inject, signal } from '@angular/core';

export type Theme = 'light' | 'dark';
const KEY = 'cs.theme';

/** Light/dark theme via Bootstrap's `data-bs-theme` on <html>, remembered in localStorage. */
@Injectable({ providedIn: 'root' })
export class ThemeService {
  private readonly doc = inject(DOCUMENT);
  readonly theme = signal<Theme>(readTheme());

  apply(): void {
    const t = this.theme();
    this.doc.documentElement.setAttribute('data-bs-theme', t);
    this.doc.querySelector('meta[name="color-scheme"]')?.setAttribute('content', t);
  }

  toggle(): void {
    this.set(this.theme() === 'dark' ? 'light' : 'dark');
  }

  set(theme: Theme): void {
    this.theme.set(theme);
    try {
      localStorage.setItem(KEY, theme);
    } catch {
      /* storage disabled: still switch for this page */
    }
    this.apply();
  }
}

function readTheme(): Theme {
  try {
    const v = localStorage.getItem(KEY);
    if (v === 'light' || v === 'dark') return v;
  } catch {
    /* ignore */
  }
  return 'dark';
}
