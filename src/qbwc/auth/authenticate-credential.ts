/**
 * authenticate's checks: the registration named by the AppURL path, the API credential's user name and
 * password (argon2id, constant-time), the person and connector still enabled, and throttling of repeated
 * failures per registration and client address (in the database, so it holds across instances).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword, verifyPassword } from '../../modules/credential/password.js';
import { Registration } from '../../modules/registration/registration.entity.js';
import { AuthThrottle } from './auth-throttle.entity.js';

export type ClientAddress = string;

/** Failures allowed in one window before sign-ins are refused outright. */
const MAX_FAILURES = 5;
const WINDOW_MS = 15 * 60_000;
const BLOCK_MS = 15 * 60_000;

export type AuthResult =
  | { readonly ok: true; readonly registration: Registration }
  | { readonly ok: false; readonly reason: string };

export async function authenticateCredential(
  em: EntityManager,
  origin: { registrationId: string | undefined; client: ClientAddress },
  userName: string,
  password: string,
): Promise<AuthResult> {
  const throttle = await throttleFor(em, `${origin.registrationId ?? '-'}|${origin.client}`);
  const now = Date.now();
  if (throttle.blockedUntil && throttle.blockedUntil.getTime() > now) {
    return { ok: false, reason: `too many failed sign-ins; blocked until ${throttle.blockedUntil.toISOString()}` };
  }
  const registration = origin.registrationId
    ? await em.findOne(Registration, { id: origin.registrationId }, { populate: ['connector', 'connector.company', 'user', 'credential'] })
    : null;
  // The password is checked even when the registration is unknown, so timing does not tell them apart.
  const passwordOk = registration ? await verifyPassword(registration.credential.passwordHash, password) : await verifyPassword(await dummyHash(), password);
  const userNameOk = registration ? sameText(registration.credential.userName, userName) : false;
  if (!registration || !passwordOk || !userNameOk) {
    recordFailure(throttle, now);
    return { ok: false, reason: !registration ? 'unknown registration in the AppURL' : 'wrong user name or password' };
  }
  throttle.failures = 0;
  throttle.blockedUntil = null;
  const refusal = accessRefusal(registration);
  return refusal ? { ok: false, reason: refusal } : { ok: true, registration };
}

/**
 * What, besides the password, a registration needs to be served: checked by authenticate and again on every
 * call of the session it opened (qbwc-service.ts), so taking access away ends a running session too.
 */
export function accessRefusal(registration: Registration): string | null {
  if (registration.revokedAt) return 'the registration was revoked';
  if (!registration.credential.active) return 'the API credential is inactive';
  if (!registration.user.active) return `${registration.user.name} is inactive`;
  if (!registration.connector.enabled) return `connector "${registration.connector.name}" is paused`;
  return null;
}

async function throttleFor(em: EntityManager, key: string): Promise<AuthThrottle> {
  const existing = await em.findOne(AuthThrottle, { key });
  if (existing) return existing;
  const created = new AuthThrottle(key);
  em.persist(created);
  return created;
}

function recordFailure(throttle: AuthThrottle, now: number): void {
  if (now - throttle.windowStartedAt.getTime() > WINDOW_MS) {
    throttle.windowStartedAt = new Date(now);
    throttle.failures = 0;
  }
  throttle.failures++;
  if (throttle.failures >= MAX_FAILURES) throttle.blockedUntil = new Date(now + BLOCK_MS);
}

function sameText(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

let dummy: Promise<string> | undefined;

/** An argon2id hash of a random string, verified against when there is no registration to check. */
function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}
