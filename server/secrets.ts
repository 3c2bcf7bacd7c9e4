import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.ts';
import { AppError } from './errors.ts';

// Tokens are stored encrypted with AES-256-GCM (authenticated: a tampered ciphertext fails to
// decrypt). The key lives outside the database: GUIDEPOST_SECRET_KEY, or a random key in
// `${dataDir}/secret.key` made on first use with mode 0600, so a copied database file alone
// reveals no token.

const VERSION = 'v1';
const KEY_FILE = 'secret.key';

// Messages name the key by its role, never by its path: they end up in job errors that viewers
// read through GET /api/sync, and an absolute path tells any reader about the server's disk.
const KEY_HELP =
  "Restore the data directory's secret key (secret.key) from the backup made with this database, " +
  'or set GUIDEPOST_SECRET_KEY to the key used before; failing that, connect the organisation again.';

function keyFileError(action: string, err: unknown): AppError {
  const code = (err as NodeJS.ErrnoException).code;
  return new AppError('invalid_config', `The data directory's secret key (secret.key) could not be ${action}${code ? ` (${code})` : ''}. Check that the server's user may read and write the data directory.`, { cause: err });
}

/** The 32-byte key: from config.secretKey (hashed to 32 bytes), else the key file, created if missing. */
export function loadSecretKey(config: Pick<Config, 'secretKey' | 'dataDir'>): Buffer {
  if (config.secretKey) return createHash('sha256').update(config.secretKey, 'utf8').digest();
  const file = join(config.dataDir, KEY_FILE);
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw keyFileError('read', err);
  }
  if (text !== undefined) {
    const key = Buffer.from(text.trim(), 'base64');
    if (key.length !== 32) throw new AppError('invalid_config', `The data directory's secret key (secret.key) is not a 32-byte base64 key. Restore it from the backup made with this database, or delete it (a new one is made) and connect the organisation again.`);
    return key;
  }
  const key = randomBytes(32);
  try {
    mkdirSync(config.dataDir, { recursive: true });
    // 'wx': if another process made the file first, use theirs.
    writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadSecretKey(config);
    throw keyFileError('created', err);
  }
}

export function encryptSecret(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join(':');
}

export function decryptSecret(key: Buffer, stored: string): string {
  const [version, iv, tag, ct] = stored.split(':');
  if (version !== VERSION || !iv || !tag || ct === undefined) throw new AppError('invalid_config', 'A stored token has an unknown format. Connect the organisation again.');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new AppError('invalid_config', `A stored token cannot be decrypted with this secret key (did GUIDEPOST_SECRET_KEY or the data directory's secret key, secret.key, change since it was saved?). ${KEY_HELP}`);
  }
}

// A PEM private key, raw or pasted with its line breaks escaped ("\n").
const PEM_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----([\s\S]*?)-----END [A-Z ]*PRIVATE KEY-----/;

/**
 * The only part of a secret ever shown: its last 4 characters. A PEM key ends in dashes
 * ("-----END RSA PRIVATE KEY-----"), so for one it is the last 4 characters of its base64 body
 * (header lines of an encrypted PEM, such as "Proc-Type: 4,ENCRYPTED", are not body).
 */
export function last4(secret: string): string {
  const pem = PEM_KEY.exec(secret.replace(/\\n/g, '\n'));
  const body = pem ? pem[1]!.split(/\s+/).filter((part) => /^[A-Za-z0-9+/=]+$/.test(part)).join('') : secret;
  return body.slice(-4);
}
