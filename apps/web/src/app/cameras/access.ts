import { type Signal, computed, inject } from '@angular/core';
import { AuthService } from '@crowdsafe/web-data-access';

export interface Access {
  /** operator or admin (or a server without auth). */
  canOperate: Signal<boolean>;
  isAdmin: Signal<boolean>;
}

/** Role checks for showing/hiding actions (the server enforces them; this only hides what would be refused). */
export function injectAccess(): Access {
  const auth = inject(AuthService);
  const open = computed(() => auth.status() === 'open');
  return {
    canOperate: computed(() => open() || auth.canOperate()),
    isAdmin: computed(() => open() || auth.isAdmin()),
  };
}
