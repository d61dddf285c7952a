/**
 * Encryption of the stored Autotask secret: AES-256-GCM with the key from AUTOTASK_CREDENTIALS_KEY.
 * Stored form: `v1:<key id>:<base64(iv ‖ tag ‖ ciphertext)>`. The 12-byte IV is random per encryption; the
 * additional authenticated data binds the ciphertext to its purpose, so it cannot be moved to another column.
 * The key id (first 8 hex digits of SHA-256 of the key) lets a key change be told apart from tampering.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../errors/app-error.js';
import { missingCredentialsKey } from './errors.js';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function requireKey(key: Buffer | undefined, action: string): Buffer {
  if (!key) throw missingCredentialsKey(action);
  if (key.length !== 32) throw new AppError('INTERNAL', 'AUTOTASK_CREDENTIALS_KEY must be 32 bytes (base64); set it again.');
  return key;
}

export function encryptSecret(plaintext: string, key: Buffer | undefined, purpose: string): string {
  const k = requireKey(key, 'store the Autotask credentials');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', k, iv);
  cipher.setAAD(Buffer.from(purpose, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${VERSION}:${keyId(k)}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64')}`;
}

export function decryptSecret(stored: string, key: Buffer | undefined, purpose: string): string {
  const k = requireKey(key, 'use the stored Autotask credentials');
  const [version, storedKeyId, payload] = stored.split(':');
  if (version !== VERSION || !storedKeyId || !payload) {
    throw new AppError('INTERNAL', 'The stored Autotask secret is not in a known format; set the Autotask connection again.');
  }
  if (storedKeyId !== keyId(k)) {
    throw new AppError(
      'INTERNAL',
      `The stored Autotask secret was encrypted with another AUTOTASK_CREDENTIALS_KEY (key id ${storedKeyId}, the configured key is ${keyId(k)}). ` +
        'Restore the original key, or set the Autotask connection again (with its secret) under the new key.',
    );
  }
  const raw = Buffer.from(payload, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', k, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(purpose, 'utf8'));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new AppError('INTERNAL', 'The stored Autotask secret failed its integrity check (altered in the database?); set the Autotask connection again.');
  }
}
