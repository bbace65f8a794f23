import type { AppConfig } from '@crowdsafe/server-config';
import { PushKeyController } from './push-key.controller';

describe('PushKeyController', () => {
  it.each([
    [null, { enabled: false, publicKey: null }],
    [{ publicKey: 'BPUB', privateKey: 'secret', subject: 'mailto:a@b.c', ttlS: 60 }, { enabled: true, publicKey: 'BPUB' }],
  ])('push config %p → %p (never the private key)', (push, expected) => {
    const res = new PushKeyController({ notifications: { push } } as unknown as AppConfig).publicKey();
    expect(res).toEqual(expected);
    expect(JSON.stringify(res)).not.toContain('secret');
  });
});
