/**
 * authenticate's checks: sign-in throttling first (sign-in-throttle.ts: per client address and per credential
 * user name, in the database so it holds across instances), then the registration named by the AppURL path,
 * the API credential's user name and password (argon2id, constant-time), and the person and connector still
 * enabled.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SignInThrottleConfig } from '../../app/config.js';
import { hashPassword, verifyPassword } from '../../modules/credential/password.js';
import { Registration } from '../../modules/registration/registration.entity.js';
import { clearAddress, pruneSignInThrottle, recordSignInFailure, signInBlock, type ClientAddress } from './sign-in-throttle.js';

export type { ClientAddress };

export type AuthResult =
  | { readonly ok: true; readonly registration: Registration }
  | { readonly ok: false; readonly reason: string };

export async function authenticateCredential(
  em: EntityManager,
  origin: { registrationId: string | undefined; client: ClientAddress },
  userName: string,
  password: string,
  limits: SignInThrottleConfig,
): Promise<AuthResult> {
  const now = new Date();
  await pruneSignInThrottle(em, limits, now);
  // While blocked the password is not even checked: the right one is refused too, so guessing learns nothing.
  const blocked = await signInBlock(em, origin.client, userName, now);
  if (blocked) return { ok: false, reason: blocked };
  const registration = origin.registrationId
    ? await em.findOne(Registration, { id: origin.registrationId }, { populate: ['connector', 'connector.company', 'user', 'credential'] })
    : null;
  // The password is checked even when the registration is unknown, so timing does not tell them apart.
  const passwordOk = registration ? await verifyPassword(registration.credential.passwordHash, password) : await verifyPassword(await dummyHash(), password);
  const userNameOk = registration ? sameText(registration.credential.userName, userName) : false;
  if (!registration || !passwordOk || !userNameOk) {
    await recordSignInFailure(em, limits, origin.client, userName, userNameOk, now);
    return { ok: false, reason: !registration ? 'unknown registration in the AppURL' : 'wrong user name or password' };
  }
  await clearAddress(em, origin.client);
  const refusal = accessRefusal(registration);
  return refusal ? { ok: false, reason: refusal } : { ok: true, registration };
}

/**
 * What, besides the password, a registration needs to be served: checked by authenticate and again on every
 * call of the session it opened (qbwc-service.ts), so taking access away ends a running session too.
 */
export function accessRefusal(registration: Registration): string | null {
  return refusalOf({
    revokedAt: registration.revokedAt,
    credentialActive: registration.credential.active,
    credentialRotatedAt: registration.credential.rotatedAt,
    userActive: registration.user.active,
    userName: registration.user.name,
  }, registration.connector);
}

/** What accessRefusal looks at besides the connector, as a running session's calls read it (session/session-access.ts). */
export interface RegistrationAccess {
  readonly revokedAt: Date | null;
  readonly credentialActive: boolean;
  readonly credentialRotatedAt: Date | null;
  readonly userActive: boolean;
  readonly userName: string;
}

export function refusalOf(access: RegistrationAccess, connector: { readonly enabled: boolean; readonly name: string }): string | null {
  if (access.revokedAt) return 'the registration was revoked';
  if (!access.credentialActive) return 'the API credential is inactive';
  if (!access.userActive) return `${access.userName} is inactive`;
  if (!connector.enabled) return `connector "${connector.name}" is paused`;
  return null;
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
