import { deviceLabel, subscribeErrorText, vapidKeyBytes, withTimeout } from './push-keys';

// A real VAPID public key (npx web-push generate-vapid-keys), base64url.
const KEY = 'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U';

describe('push helpers', () => {
  it('decodes a base64url VAPID key into the 65-byte P-256 point', () => {
    const b = vapidKeyBytes(KEY);
    expect(b).toHaveLength(65);
    expect(b[0]).toBe(4);
  });

  it.each(['', 'not base64!', 'AAAA', KEY.slice(0, 40)])('rejects %p', (k) => expect(() => vapidKeyBytes(k)).toThrow(/invalid VAPID public key/));

  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36', 'Chrome on Linux'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36 Edg/120.0', 'Edge on Windows'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0; rv:120.0) Gecko/20100101 Firefox/120.0', 'Firefox on macOS'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1', 'Safari on iOS'],
    ['curl/8', 'Browser'],
  ])('deviceLabel(%s) = %s', (ua, label) => expect(deviceLabel(ua)).toBe(label));

  it.each([
    [{ name: 'NotAllowedError', message: 'denied' }, /blocked for this site/],
    [{ name: 'AbortError', message: 'Registration failed - push service error' }, /push service could not be reached/],
    [{ name: 'InvalidStateError', message: 'x' }, /refused the subscription/],
    [{ name: 'TimeoutError', message: 'the service worker did not start within 15 s' }, /^Subscribing timed out: the service worker/],
    [new Error('other'), /^other$/],
  ])('subscribeErrorText(%p)', (e, re) => expect(subscribeErrorText(e)).toMatch(re));

  it('withTimeout: the value in time, a TimeoutError after, the rejection as is', async () => {
    jest.useFakeTimers();
    await expect(withTimeout(Promise.resolve(1), 10, 'x')).resolves.toBe(1);
    await expect(withTimeout(Promise.reject(new Error('no')), 10, 'x')).rejects.toThrow('no');
    const slow = withTimeout(new Promise(() => undefined), 10, 'too slow');
    jest.advanceTimersByTime(10);
    await expect(slow).rejects.toMatchObject({ name: 'TimeoutError', message: 'too slow' });
    jest.useRealTimers();
  });
});
