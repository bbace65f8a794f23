import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { loadConfig } from '@crowdsafe/server-config';
import { decodeSecretKey, generateSecretKey, SecretBox, secretBoxFor, secretsKeyFile, StartupError } from '@crowdsafe/server-core';
import { openDataSource, rotateSecrets } from '@crowdsafe/server-database';

export const summary = 're-encrypt every secret at rest with the current SECRETS_KEY (or a new generated key file)';

const USAGE = `usage: crowdsafe rotate-secrets [--generate]

Re-encrypts camera source URLs, secret source options and secret settings values with the current key, reading
values sealed under any key still configured. One transaction: all rows or none.

With SECRETS_KEY (production):
  1. set SECRETS_KEY=<new key: openssl rand -base64 32> and SECRETS_PREVIOUS_KEYS=<old key> for the api and this command
  2. crowdsafe rotate-secrets
  3. remove the old key from SECRETS_PREVIOUS_KEYS and restart the api
Without SECRETS_KEY (embedded: the key lives in DATA_DIR/secrets.key):
  crowdsafe rotate-secrets --generate   writes a new key file after re-encrypting (stop the api first)`;

export async function run(args: string[]): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const unknown = args.filter((a) => a !== '--generate');
  if (unknown.length) throw new StartupError(`rotate-secrets: unknown argument ${unknown[0]}\n${USAGE}`);
  const config = loadConfig();
  const generate = args.includes('--generate');
  if (generate && config.security.secretsKey) {
    throw new StartupError('rotate-secrets --generate only manages the DATA_DIR key file; with SECRETS_KEY set, follow the steps in --help');
  }

  let box: SecretBox = secretBoxFor(config.security, config.dataDir);
  let newKey: string | null = null;
  const file = secretsKeyFile(config.dataDir);
  if (generate) {
    newKey = generateSecretKey();
    const oldKey = readFileSync(file, 'utf8').trim();
    box = new SecretBox(decodeSecretKey(newKey), [decodeSecretKey(oldKey), ...config.security.previousSecretsKeys.map((k) => decodeSecretKey(k, 'SECRETS_PREVIOUS_KEYS'))]);
    // Written next to the old file first: if anything below fails, the old key file is untouched.
    writeFileSync(`${file}.new`, `${newKey}\n`, { mode: 0o600 });
  }

  const ds = await openDataSource(config);
  try {
    const r = await rotateSecrets(ds, box);
    const total = Object.values(r.rewritten).reduce((a, b) => a + b, 0);
    for (const [col, n] of Object.entries(r.rewritten)) console.log(`${col}: ${n} value(s) re-encrypted`);
    console.log(`Done: ${total} value(s) re-encrypted under key ${box.keyId} (${r.scanned} row(s) scanned).`);
  } catch (e) {
    if (newKey && existsSync(`${file}.new`)) rmSync(`${file}.new`);
    throw e;
  } finally {
    await ds.destroy();
  }
  if (newKey) {
    renameSync(`${file}.new`, file);
    console.log(`New key written to ${file} (0600). Restart the api.`);
  }
}
