import { metricsAccessChecker } from './metrics-access';

const TOKEN = 'a-scrape-token-0123456789';

describe('metricsAccessChecker', () => {
  it.each([
    // [networks, token, ip, authorization, expected status or 'ok']
    [[], null, undefined, undefined, 'ok'],
    [['loopback'], null, '127.0.0.1', undefined, 'ok'],
    [['loopback'], null, '::ffff:127.0.0.1', undefined, 'ok'],
    [['loopback'], null, '::1', undefined, 'ok'],
    [['loopback'], null, '10.1.2.3', undefined, 403],
    [['loopback'], null, undefined, undefined, 403],
    [['10.0.0.0/8'], null, '10.1.2.3', undefined, 'ok'],
    [['uniquelocal'], null, '172.20.0.5', undefined, 'ok'],
    [[], TOKEN, '8.8.8.8', `Bearer ${TOKEN}`, 'ok'],
    [[], TOKEN, '8.8.8.8', `bearer ${TOKEN}`, 'ok'],
    [[], TOKEN, '8.8.8.8', undefined, 401],
    [[], TOKEN, '8.8.8.8', `Bearer ${TOKEN}x`, 401],
    [[], TOKEN, '8.8.8.8', TOKEN, 401],
    [['loopback'], TOKEN, '127.0.0.1', undefined, 401],
    [['loopback'], TOKEN, '10.0.0.1', `Bearer ${TOKEN}`, 403],
    [['loopback'], TOKEN, '127.0.0.1', `Bearer ${TOKEN}`, 'ok'],
  ] as const)('networks %j token %s from %s with %s -> %s', (networks, token, ip, auth, expected) => {
    const d = metricsAccessChecker({ token, allowedNetworks: networks })(ip, auth);
    if (expected === 'ok') expect(d).toEqual({ ok: true });
    else expect(d).toMatchObject({ ok: false, status: expected });
  });
});
