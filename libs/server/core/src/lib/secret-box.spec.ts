import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSecretKey, generateSecretKey, isSealed, loadOrCreateKeyFile, SecretBox, secretKeyId } from './secret-box';

const k1 = Buffer.alloc(32, 1);
const k2 = Buffer.alloc(32, 2);

describe('SecretBox', () => {
  it.each([
    { name: 'empty string', plain: '' },
    { name: 'rtsp url with credentials', plain: 'rtsp://admin:s3cr3t@10.0.0.5:554/stream1' },
    { name: 'unicode', plain: 'pässwörd ✓ 密码' },
    { name: 'long', plain: 'x'.repeat(10_000) },
  ])('round-trips $name and never contains the plaintext', ({ plain }) => {
    const box = new SecretBox(k1);
    const sealed = box.seal(plain);
    expect(sealed).toMatch(/^v1:[0-9a-f]{8}:[\w-]+:[\w-]+:[\w-]*$/);
    if (plain) expect(sealed).not.toContain(plain);
    expect(box.open(sealed)).toBe(plain);
  });

  it('uses a fresh IV each time', () => {
    const box = new SecretBox(k1);
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it.each([
    { name: 'empty', value: '' },
    { name: 'legacy url', value: 'rtsp://u:p@host/x' },
    { name: 'file path', value: 'sample.mp4' },
  ])('returns legacy plaintext unchanged: $name', ({ value }) => {
    expect(new SecretBox(k1).open(value)).toBe(value);
    expect(isSealed(value)).toBe(false);
  });

  it('reads values sealed under a previous key and flags them for re-sealing', () => {
    const old = new SecretBox(k1);
    const rotated = new SecretBox(k2, [k1]);
    const sealed = old.seal('secret');
    expect(rotated.open(sealed)).toBe('secret');
    expect(rotated.needsReseal(sealed)).toBe(true);
    expect(rotated.needsReseal(rotated.seal('secret'))).toBe(false);
    expect(rotated.needsReseal('plaintext')).toBe(true);
  });

  it.each([
    { name: 'unknown key id', value: () => new SecretBox(k2).seal('x'), error: /neither SECRETS_KEY nor in SECRETS_PREVIOUS_KEYS/ },
    { name: 'wrong part count', value: () => 'v1:abc:def', error: /malformed/ },
    {
      name: 'tampered ciphertext',
      value: () => {
        const s = new SecretBox(k1).seal('hello world');
        const parts = s.split(':');
        parts[4] = Buffer.from('jello world').toString('base64url');
        return parts.join(':');
      },
      error: /failed authentication/,
    },
  ])('refuses $name', ({ value, error }) => {
    expect(() => new SecretBox(k1).open(value())).toThrow(error);
  });

  it.each([
    { name: 'empty', key: '', ok: false },
    { name: 'too short', key: Buffer.alloc(16).toString('base64'), ok: false },
    { name: 'not base64', key: '!'.repeat(44), ok: false },
    { name: 'valid', key: generateSecretKey(), ok: true },
  ])('decodeSecretKey: $name', ({ key, ok }) => {
    if (ok) expect(decodeSecretKey(key)).toHaveLength(32);
    else expect(() => decodeSecretKey(key)).toThrow(/SECRETS_KEY/);
  });

  it('key ids are stable and distinct', () => {
    expect(secretKeyId(k1)).toBe(secretKeyId(Buffer.alloc(32, 1)));
    expect(secretKeyId(k1)).not.toBe(secretKeyId(k2));
  });

  it('creates the key file once with mode 0600 and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-key-'));
    const path = join(dir, 'sub', 'secrets.key');
    const a = loadOrCreateKeyFile(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadOrCreateKeyFile(path)).toBe(a);
    expect(readFileSync(path, 'utf8').trim()).toBe(a);
    expect(decodeSecretKey(a)).toHaveLength(32);
  });
});
