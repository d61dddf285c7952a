/**
 * Bearer tokens: 32 random bytes, shown once as `qbdb_<base64url>`; only their SHA-256 is stored.
 * (A memory-hard KDF protects low-entropy passwords; 256-bit random tokens need only a one-way hash,
 * and a fast one keeps every authenticated request cheap.)
 */
import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ApiToken } from './api-token.entity.js';
import type { User } from './user.entity.js';

const TOKEN_PREFIX = 'qbdb_';

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Creates a token for `user`; the returned `secret` is the only copy there will ever be. */
export function issueToken(em: EntityManager, user: User, label: string): { token: ApiToken; secret: string } {
  const secret = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const token = new ApiToken(user, label, hashSecret(secret), secret.slice(0, TOKEN_PREFIX.length + 6));
  em.persist(token);
  return { token, secret };
}

/**
 * Resolves an `Authorization` header to an active user's unrevoked token, or undefined.
 * Lookup is by hash (an index seek); comparing hashes of random secrets leaks nothing useful by timing.
 */
export async function authenticateBearer(em: EntityManager, header: string | undefined): Promise<ApiToken | undefined> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const token = await em.findOne(ApiToken, { secretHash: hashSecret(match[1]!), revokedAt: null }, { populate: ['user'] });
  if (!token || !token.user.active) return undefined;
  return token;
}

/** How stale `lastUsedAt` may get: a script's burst of requests writes it once, not once per request. */
const TOUCH_EVERY_MS = 60_000;

/** Records use without going through the audit log (a read is not a change worth auditing), once a minute at most. */
export async function touchToken(em: EntityManager, token: ApiToken): Promise<void> {
  const now = new Date();
  if (token.lastUsedAt && now.getTime() - token.lastUsedAt.getTime() < TOUCH_EVERY_MS) return;
  await em.nativeUpdate(ApiToken, { id: token.id }, { lastUsedAt: now });
}
