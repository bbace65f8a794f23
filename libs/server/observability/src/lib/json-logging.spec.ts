import { loggableUrl, scrubSecrets } from './json-logging';

describe('scrubSecrets', () => {
  it.each([
    ['', ''],
    ['camera 1 online', 'camera 1 online'],
    ['rtsp://admin:hunter2@10.0.0.5/stream', 'rtsp://***@10.0.0.5/stream'],
    ['authorization: Bearer abcdefghijklmnop', 'authorization: Bearer [REDACTED]'],
    ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlX2hlcmU x', 'token [REDACTED_JWT] x'],
  ])('%j', (input, out) => expect(scrubSecrets(input)).toBe(out));
});

describe('loggableUrl', () => {
  it.each([
    [undefined, ''],
    ['/api/cameras', '/api/cameras'],
    ['/api/cameras/1/live.mjpeg?ticket=abc.def', '/api/cameras/1/live.mjpeg?ticket=[REDACTED]'],
    ['/api/auth/oidc/callback?code=x&state=y', '/api/auth/oidc/callback?code=[REDACTED]&state=[REDACTED]'],
  ])('%j', (input, out) => expect(loggableUrl(input)).toBe(out));
});
