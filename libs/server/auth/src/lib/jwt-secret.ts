import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '@crowdsafe/server-config';
import { StartupError } from '@crowdsafe/server-core';

/** JWT_SECRET, or one generated once into DATA_DIR/jwt-secret (0600) so sessions survive a restart. */
export function resolveJwtSecret(config: AppConfig): string {
  if (config.auth.jwtSecret) return config.auth.jwtSecret;
  const file = join(config.dataDir, 'jwt-secret');
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
    throw new StartupError(`${file} holds a JWT secret shorter than 32 characters`, 'delete it to generate a new one, or set JWT_SECRET');
  } catch (err) {
    if (err instanceof StartupError) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new StartupError(`JWT_SECRET is not set and ${file} cannot be read: ${(err as Error).message}`);
  }
  const secret = randomBytes(48).toString('base64url');
  try {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return resolveJwtSecret(config); // another process won
    throw new StartupError(`JWT_SECRET is not set and ${file} cannot be written (DATA_DIR): ${(err as Error).message}`, 'set JWT_SECRET (at least 32 characters)');
  }
}
