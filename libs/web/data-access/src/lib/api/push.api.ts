import { Injectable, inject } from '@angular/core';
import type { RiskLevel } from '@crowdsafe/contracts';
import { type Observable, map } from 'rxjs';
import { Api, type PushSubscriptionStateDto, getPushPublicKey, pushSubscriptionStatus, subscribePush, unsubscribePush } from '../../generated';

export interface PushSubscriptionState {
  subscribed: boolean;
  recipientId: string | null;
  minLevel: RiskLevel | null;
  /** False once the push service reported the subscription gone. */
  active: boolean;
}

const toState = (d: PushSubscriptionStateDto): PushSubscriptionState => ({
  subscribed: d.subscribed,
  recipientId: d.recipientId ?? null,
  minLevel: d.minLevel ?? null,
  active: d.active,
});

/**
 * Web push REST facade: the server's VAPID public key (GET /api/notifications/push/public-key) and the signed-in
 * user's self-service subscription of this browser (POST /api/notifications/push/subscription[/status|/remove]).
 */
@Injectable({ providedIn: 'root' })
export class PushApi {
  private readonly api = inject(Api);

  /** null when push is not configured on the server. */
  publicKey(): Observable<string | null> {
    return this.api.invoke(getPushPublicKey).pipe(map((r) => (r.enabled && r.publicKey ? r.publicKey : null)));
  }

  subscribe(subscription: PushSubscriptionJSON, minLevel?: RiskLevel, device?: string): Observable<PushSubscriptionState> {
    return this.api
      .invoke(subscribePush, { body: { subscription: subscription as never, ...(minLevel ? { minLevel } : {}), ...(device ? { device } : {}) } })
      .pipe(map(toState));
  }

  status(endpoint: string): Observable<PushSubscriptionState> {
    return this.api.invoke(pushSubscriptionStatus, { body: { endpoint } }).pipe(map(toState));
  }

  remove(endpoint: string): Observable<PushSubscriptionState> {
    return this.api.invoke(unsubscribePush, { body: { endpoint } }).pipe(map(toState));
  }
}
