import { COMMON_PASSWORDS } from './common-passwords';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

const SEQUENCES = ['abcdefghijklmnopqrstuvwxyz', '01234567890', 'qwertyuiopasdfghjklzxcvbnm'];

/**
 * The password policy (NIST 800-63B style: length over composition rules). Returns null when acceptable, else one
 * message for the user. Rules: 12-256 characters; not the username (nor containing it); not a common password
 * (also with trailing digits/symbols removed); at least 5 different characters; not a keyboard/alphabet run.
 */
export function checkPasswordPolicy(password: string, username?: string | null): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Password must be at least ${PASSWORD_MIN_LENGTH} characters (a passphrase of a few words works well)`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Password must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = password.toLowerCase();
  const user = (username ?? '').trim().toLowerCase();
  if (user.length >= 3 && (lower.includes(user) || lower.includes([...user].reverse().join('')))) return 'Password must not contain the username';
  const stripped = lower.replace(/[\d\W_]+$/u, '');
  const squashed = lower.replace(/[\s_.-]+/g, '');
  if (COMMON_PASSWORDS.has(lower) || COMMON_PASSWORDS.has(stripped) || COMMON_PASSWORDS.has(squashed)) return 'Password is too common; choose a less predictable one';
  if (new Set(password).size < 5) return 'Password must contain at least 5 different characters';
  if (SEQUENCES.some((s) => s.includes(squashed) || [...s].reverse().join('').includes(squashed))) return 'Password must not be a keyboard or alphabet sequence';
  return null;
}
