/**
 * Throttling of failed Web Connector sign-ins, in the database so every instance sees the same counts.
 *
 * Two counters, because one credential serves every registration: per client address (any user name, any
 * registration in the URL — guessing over many registration ids gains nothing) and per credential user name
 * (all addresses together — a guesser with many addresses is bounded too). A counter that reaches its limit
 * within its window blocks that address or that user name for a while, even with the right password.
 * Counters exist only for real things: a user name no credential has gets no row (the address counter still
 * counts the failure), and rows whose window and block are over are deleted.
 *
 * The statements are set-based (an upsert per counter) so parallel guesses cannot race past a limit.
 *
 * For the legitimate user: a mistyped password from their own machine blocks only that address, after
 * QBWC_SIGNIN_MAX_FAILURES failures; the credential-wide block (QBWC_SIGNIN_MAX_FAILURES_PER_CREDENTIAL, set
 * well above it) is what a distributed guesser can trigger for everyone — the price of bounding them.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SignInThrottleConfig } from '../../app/config.js';
import { ApiCredential } from '../../modules/credential/api-credential.entity.js';

export type ClientAddress = string;

const TABLE = 'qbwc_auth_throttle';

export function addressKey(client: ClientAddress): string {
  return `address:${client}`;
}

export function userNameKey(userName: string): string {
  return `user:${userName}`;
}

/** Why sign-ins from this address or with this user name are refused right now, or null. */
export async function signInBlock(em: EntityManager, client: ClientAddress, userName: string, now: Date): Promise<string | null> {
  const rows: Array<{ key: string; blocked_until: Date }> = await em.execute(
    `select "key", "blocked_until" from "${TABLE}" where "key" in (?, ?) and "blocked_until" > ? order by "blocked_until" desc`,
    [addressKey(client), userNameKey(userName), now],
  );
  const block = rows[0];
  if (!block) return null;
  const what = block.key.startsWith('address:') ? `from ${client}` : `for user name "${userName}"`;
  return `too many failed sign-ins ${what}; blocked until ${new Date(block.blocked_until).toISOString()}`;
}

/** Counts a failed sign-in against the address, and against the user name when a credential has it. */
export async function recordSignInFailure(
  em: EntityManager,
  limits: SignInThrottleConfig,
  client: ClientAddress,
  userName: string,
  knownUserName: boolean,
  now: Date,
): Promise<void> {
  await bump(em, addressKey(client), limits.maxFailuresPerAddress, limits, now);
  const credentialExists = knownUserName || (userName !== '' && (await em.count(ApiCredential, { userName })) > 0);
  if (credentialExists) await bump(em, userNameKey(userName), limits.maxFailuresPerCredential, limits, now);
}

/** A successful sign-in clears its address' counter (the user name's keeps counting until its window ends). */
export async function clearAddress(em: EntityManager, client: ClientAddress): Promise<void> {
  await em.execute(`delete from "${TABLE}" where "key" = ?`, [addressKey(client)]);
}

/** Deletes counters whose window and block are both over. */
export async function pruneSignInThrottle(em: EntityManager, limits: SignInThrottleConfig, now: Date): Promise<void> {
  await em.execute(`delete from "${TABLE}" where "window_started_at" < ? and ("blocked_until" is null or "blocked_until" <= ?)`, [windowStart(limits, now), now]);
}

/** One failure more on `key`: a new window when the old one is over, a block when the count reaches `limit`. */
async function bump(em: EntityManager, key: string, limit: number, limits: SignInThrottleConfig, now: Date): Promise<void> {
  const since = windowStart(limits, now);
  const until = new Date(now.getTime() + limits.blockMinutes * 60_000);
  const count = `case when t."window_started_at" < ? then 1 else t."failures" + 1 end`;
  await em.execute(
    `insert into "${TABLE}" as t ("key", "failures", "window_started_at", "blocked_until") values (?, 1, ?, case when 1 >= ? then ?::timestamptz end) ` +
      `on conflict ("key") do update set "failures" = ${count}, ` +
      `"window_started_at" = case when t."window_started_at" < ? then excluded."window_started_at" else t."window_started_at" end, ` +
      `"blocked_until" = case when ${count} >= ? then ?::timestamptz else t."blocked_until" end`,
    [key, now, limit, until, since, since, since, limit, until],
  );
}

function windowStart(limits: SignInThrottleConfig, now: Date): Date {
  return new Date(now.getTime() - limits.windowMinutes * 60_000);
}
