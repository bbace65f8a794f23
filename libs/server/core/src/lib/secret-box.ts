import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { StartupError } from './errors';

/**
 * Secrets at rest: AES-256-GCM with a versioned, self-describing format
 *
 *     v1:<keyId>:<iv>:<tag>:<ciphertext>        (iv/tag/ciphertext base64url; keyId = 8 hex of sha256(key))
 *
 * so values written under an older key stay readable while `crowdsafe rotate-secrets` re-encrypts them with the
 * current one. Values that do not start with `v1:` are legacy plaintext (rows written before encryption existed):
 * `open` returns them unchanged and the next write or a rotation encrypts them.
 */
export const SECRET_PREFIX = 'v1:';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/** The key id embedded in ciphertexts: first 8 hex digits of sha256(key). Not secret, not reversible. */
export function secretKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** Decodes a base64 SECRETS_KEY; throws naming `variable` when it is not exactly 32 bytes. */
export function decodeSecretKey(base64: string, variable = 'SECRETS_KEY'): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== KEY_BYTES || key.toString('base64') !== base64.trim()) {
    throw new SecretBoxError(`${variable} must be base64 of exactly ${KEY_BYTES} bytes (openssl rand -base64 32)`);
  }
  return key;
}

export function generateSecretKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

export function isSealed(value: string): boolean {
  return value.startsWith(SECRET_PREFIX);
}

export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  readonly keyId: string;

  /** `current` encrypts; `current` and `previous` decrypt. */
  constructor(current: Buffer, previous: Buffer[] = []) {
    if (current.length !== KEY_BYTES) throw new SecretBoxError(`a secrets key must be ${KEY_BYTES} bytes`);
    this.keyId = secretKeyId(current);
    this.keys.set(this.keyId, Buffer.from(current));
    for (const k of previous) {
      if (k.length !== KEY_BYTES) throw new SecretBoxError(`a secrets key must be ${KEY_BYTES} bytes`);
      const id = secretKeyId(k);
      if (!this.keys.has(id)) this.keys.set(id, Buffer.from(k));
    }
  }

  static fromBase64(current: string, previous: string[] = []): SecretBox {
    return new SecretBox(
      decodeSecretKey(current),
      previous.map((p) => decodeSecretKey(p, 'SECRETS_PREVIOUS_KEYS')),
    );
  }

  /** Encrypts `plain` with the current key (a fresh random IV each call). */
  seal(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.keyId) as Buffer, iv);
    cipher.setAAD(Buffer.from(`${SECRET_PREFIX}${this.keyId}`));
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `${SECRET_PREFIX}${this.keyId}:${iv.toString('base64url')}:${tag.toString('base64url')}:${ct.toString('base64url')}`;
  }

  /** Decrypts a sealed value (any configured key); legacy plaintext is returned unchanged. */
  open(value: string): string {
    if (!isSealed(value)) return value;
    const parts = value.split(':');
    if (parts.length !== 5) throw new SecretBoxError('malformed encrypted value (expected v1:<keyId>:<iv>:<tag>:<ct>)');
    const [, keyId, ivText, tagText, ctText] = parts as [string, string, string, string, string];
    const key = this.keys.get(keyId);
    if (!key) {
      throw new SecretBoxError(
        `a stored secret was encrypted with key ${keyId}, which is neither SECRETS_KEY nor in SECRETS_PREVIOUS_KEYS`,
      );
    }
    const iv = Buffer.from(ivText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretBoxError('malformed encrypted value (iv/tag length)');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(Buffer.from(`${SECRET_PREFIX}${keyId}`));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(ctText, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(`a stored secret failed authentication under key ${keyId} (corrupted or tampered)`);
    }
  }

  /** True when `value` is plaintext or sealed under an older key (a rotation would rewrite it). */
  needsReseal(value: string): boolean {
    return !isSealed(value) || value.split(':')[1] !== this.keyId;
  }
}

/**
 * Reads the key file at `path`, creating it (32 random bytes, base64, mode 0600) when missing. Used for the
 * embedded/dev default when SECRETS_KEY is unset.
 */
export function loadOrCreateKeyFile(path: string): string {
  try {
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8').trim();
      decodeSecretKey(text, `the key file ${path}`);
      return text;
    }
    mkdirSync(dirname(path), { recursive: true });
    const key = generateSecretKey();
    writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
    return key;
  } catch (e) {
    if (e instanceof SecretBoxError) throw new StartupError(e.message, 'Set SECRETS_KEY or restore the key file.');
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateKeyFile(path);
    throw new StartupError(`Cannot read or create the secrets key file ${path} (DATA_DIR): ${(e as Error).message}`);
  }
}

export interface SecretKeySettings {
  /** SECRETS_KEY; null = use/generate the key file. */
  secretsKey: string | null;
  previousSecretsKeys: string[];
}

/** The key file used when SECRETS_KEY is unset (embedded / development). */
export function secretsKeyFile(dataDir: string): string {
  return `${dataDir.replace(/\/+$/, '')}/secrets.key`;
}

const boxes = new Map<string, SecretBox>();

/**
 * The SecretBox for a configuration (cached per key material): SECRETS_KEY when set, else DATA_DIR/secrets.key
 * (created on first use). Config validation already requires SECRETS_KEY in production.
 */
export function secretBoxFor(settings: SecretKeySettings, dataDir: string): SecretBox {
  const file = secretsKeyFile(dataDir);
  const current = settings.secretsKey ?? loadOrCreateKeyFile(file);
  const previous = [...settings.previousSecretsKeys];
  // Moving from the generated key file to SECRETS_KEY: values sealed under the file's key stay readable.
  if (settings.secretsKey && existsSync(file)) {
    const fileKey = readFileSync(file, 'utf8').trim();
    if (fileKey && fileKey !== current && /^[A-Za-z0-9+/]{43}=$/.test(fileKey)) previous.push(fileKey);
  }
  const cacheKey = [current, ...previous].join(',');
  let box = boxes.get(cacheKey);
  if (!box) {
    try {
      box = SecretBox.fromBase64(current, previous);
    } catch (e) {
      throw new StartupError((e as Error).message);
    }
    if (boxes.size > 16) boxes.clear();
    boxes.set(cacheKey, box);
  }
  return box;
}
