/**
 * Password hashing for the Web Connector credential: argon2id (memory-hard) from @node-rs/argon2,
 * a maintained binding with prebuilt binaries. verify() compares in constant time.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { LRUCache } from 'lru-cache';

/** OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. */
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/**
 * Passwords verified lately, by the hash they matched. The Web Connector signs in at every update, and argon2id
 * costs about 20 ms of CPU each time: with 200 company files updating at once, a sixth of the service's CPU.
 * What is kept is an HMAC of the password under a key that exists only in this process's memory, so nothing
 * here can be checked offline; a changed password has a new hash and misses; a failure is never kept (the
 * sign-in throttle counts each one, and a wrong password is checked by argon2id as before).
 */
export const verifyPassword = passwordVerifier(verify);

/** verifyPassword over `check` (argon2id's verify; a test passes one that counts). */
export function passwordVerifier(check: (passwordHash: string, password: string) => Promise<boolean>): (passwordHash: string, password: string) => Promise<boolean> {
  const key = randomBytes(32);
  const verified = new LRUCache<string, Buffer>({ max: 10_000, ttl: 15 * 60_000 });
  const keyed = (password: string): Buffer => createHmac('sha256', key).update(password).digest();
  return async (passwordHash, password) => {
    const known = verified.get(passwordHash);
    if (known && timingSafeEqual(known, keyed(password))) return true;
    try {
      const ok = await check(passwordHash, password);
      if (ok) verified.set(passwordHash, keyed(password));
      return ok;
    } catch {
      return false;
    }
  };
}

/** A password people can type into the Web Connector: 24 characters from an unambiguous alphabet. */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(24);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
