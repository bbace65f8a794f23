import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';

/** bcrypt looks at 72 bytes only; longer passwords are pre-hashed so every character counts. */
function material(password: string): string {
  return Buffer.byteLength(password, 'utf8') > 72 ? `sha256:${createHash('sha256').update(password, 'utf8').digest('base64')}` : password;
}

/** bcrypt (bcryptjs) with the configured cost (AUTH_BCRYPT_COST, 12 by default). */
@Injectable()
export class PasswordHasher {
  /** A valid hash of a random string, compared against when the user does not exist (same timing). */
  private dummy: Promise<string> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  hash(password: string): Promise<string> {
    return bcrypt.hash(material(password), this.config.auth.bcryptCost);
  }

  async verify(password: string, hash: string | null): Promise<boolean> {
    if (!hash) {
      this.dummy ??= this.hash(randomBytes(16).toString('hex'));
      await bcrypt.compare(material(password), await this.dummy);
      return false;
    }
    return bcrypt.compare(material(password), hash);
  }
}

/** A one-time password that satisfies the policy: 4 groups of 5 from an unambiguous alphabet (~98 bits). */
export function generateTemporaryPassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    const bytes = randomBytes(5);
    groups.push([...bytes].map((b) => alphabet[b % alphabet.length]).join(''));
  }
  return groups.join('-');
}
