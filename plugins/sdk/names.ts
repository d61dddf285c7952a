/**
 * QuickBooks' length limits for names and numbers, and the one rule for text that exceeds them. QuickBooks
 * refuses an over-long name; cutting it silently makes two different names one (two organizations sharing
 * their first 41 characters become one customer). So a connector chooses: FAIL (a data problem on the field)
 * or SHORTEN to a deterministic name that ends in a discriminator derived from the whole text, so two
 * different long names never shorten to the same one, and a name that fits is never mistaken for one.
 * Plugins call these helpers instead of cutting names themselves.
 */
import { createHash } from 'node:crypto';
import { v5 as uuidV5 } from 'uuid';
import type { ConnectorSettings, EntityType } from './types.js';

/** QuickBooks' limits: one level of a list element's name, and the transaction numbers. */
export const QB_LIMITS = Object.freeze({
  /** A customer or job name (each level of `Parent:Job`). */
  customerName: 41,
  vendorName: 41,
  employeeName: 41,
  otherName: 41,
  /** An item name (each level of `Parent:Sub`). */
  itemName: 31,
  accountName: 31,
  className: 31,
  /** RefNumber of invoices, credit memos, sales receipts. */
  refNumber: 11,
  /** RefNumber of received payments (the check number). */
  paymentRefNumber: 20,
  paymentMethodName: 31,
  /** The full name of an account (`Parent:Child`), as references carry it. */
  accountFullName: 159,
  /** A transaction line's Desc (free text: cut with `fit`, joined with `joinWithin`). */
  lineDescription: 4095,
});

/**
 * A problem for a reference to an existing QuickBooks record by a name longer than QuickBooks allows: no record
 * can have that name, and a cut name could name another record, so the reference is never sent.
 */
export function tooLongToReference(value: string, max: number, what: string): string | undefined {
  const name = value.trim();
  if (name.length <= max) return undefined;
  return `"${name}" is ${name.length} characters, but ${what} names have at most ${max} in QuickBooks, so none is named so: correct it in Autotask.`;
}

/** What to do with text longer than QuickBooks allows (the connector's `longNamePolicy`). */
export type LongNamePolicy = 'FAIL' | 'SHORTEN';

/** The discriminator: `~` and five characters derived from the whole text. */
const DISCRIMINATOR_LENGTH = 6;
const SHORTENED = /~[0-9A-Z]{5}$/;

function discriminator(text: string): string {
  const hash = createHash('sha256').update(text, 'utf8').digest();
  return `~${(hash.readUInt32BE(0) % 36 ** 5).toString(36).toUpperCase().padStart(5, '0')}`;
}

/**
 * `text` shortened to `max` characters deterministically: its first characters plus `~` and a discriminator
 * derived from the whole text ("Northwind Traders Management Services Holding" → "Northwind Traders Management Services~K3Q9Z").
 * Text that fits is returned as is, except text that looks like a shortened name at exactly `max` characters,
 * which is shortened too, so a name that fits can never equal another one's shortened form.
 */
export function shortenName(text: string, max: number): string {
  if (text.length < max || (text.length === max && !SHORTENED.test(text))) return text;
  return `${text.slice(0, max - DISCRIMINATOR_LENGTH).trimEnd()}${discriminator(text)}`;
}

/**
 * `name` with `suffix` at its end (" (C)", " (2)"), the name shortened first ({@link shortenName}, never cut) so
 * that the whole stays within `max`: how a name already used in QuickBooks becomes a distinct one.
 */
export function withNameSuffix(name: string, suffix: string, max: number): string {
  return `${shortenName(name, max - suffix.length).trimEnd()}${suffix}`;
}

/** Text fitted to a QuickBooks limit under a policy: the value to send, or a problem a person can act on. */
export type FittedName =
  | { readonly ok: true; readonly value: string; /** The original, when the value was shortened. */ readonly shortenedFrom?: string }
  | { readonly ok: false; readonly message: string };

/**
 * Fits `text` (trimmed) to `max` under the connector's policy. `what` names the field for the message
 * ("a QuickBooks customer name", "an invoice number").
 */
export function fitName(text: string, max: number, policy: LongNamePolicy, what: string): FittedName {
  const value = text.trim();
  const fitted = shortenName(value, max);
  if (fitted === value) return { ok: true, value };
  if (policy === 'FAIL') {
    return {
      ok: false,
      message:
        `"${value}" is ${value.length} characters, more than the ${max} QuickBooks allows for ${what}: shorten it in Autotask, ` +
        'or set the connector\'s long name policy (longNamePolicy) to SHORTEN to send it shortened, with a discriminator that keeps it unique.',
    };
  }
  return { ok: true, value: fitted, shortenedFrom: value };
}

/** A QuickBooks name path fitted level by level: the levels to send, or a problem. */
export type FittedNamePath =
  | { readonly ok: true; readonly path: string[]; /** Levels that were shortened, as they were. */ readonly shortened: string[] }
  | { readonly ok: false; readonly message: string };

/**
 * The QuickBooks name path of an Autotask name under the connector's long-name policy: `~` separates levels
 * (`Tech~On-Site` → item `On-Site` under `Tech`, `Parent~Job` → job `Job` of customer `Parent`), whitespace runs
 * become one space, a literal `:` becomes `-` (QuickBooks reserves it for the hierarchy), empty levels are
 * dropped, and each level longer than `maxSegment` fails or is shortened ({@link shortenName}).
 */
export function fitNamePath(name: string, maxSegment: number, policy: LongNamePolicy, what: string): FittedNamePath {
  const path: string[] = [];
  const shortened: string[] = [];
  for (const level of normalizedLevels(name)) {
    const fitted = fitName(level, maxSegment, policy, what);
    if (!fitted.ok) return fitted;
    path.push(fitted.value);
    if (fitted.shortenedFrom) shortened.push(fitted.shortenedFrom);
  }
  return { ok: true, path, shortened };
}

/** The levels of an Autotask name, normalized as QuickBooks names (not yet fitted to a limit). */
export function normalizedLevels(name: string): string[] {
  return name
    .split('~')
    .map((segment) => segment.replace(/:/g, '-').replace(/\s+/g, ' ').trim())
    .filter((segment) => segment.length > 0);
}

/** The fixed namespace of qbd-bridge's ExternalGUIDs (UUIDv5). */
const GUID_NAMESPACE = '5d1c7a52-8f0e-4b8e-9a57-2f6f1c0b7e31';

/**
 * The `ExternalGUID` of the QuickBooks record a transfer creates: a UUIDv5 of the connector and the entity,
 * in QuickBooks' GUIDTYPE form `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`. The same transfer always gets the
 * same GUID (a resend, a reconcile), so the GUID in QuickBooks' answer identifies it. Unlike `Other` or
 * `Memo`, QuickBooks' forms do not show it, so people do not edit it.
 */
export function externalGuid(connector: Pick<ConnectorSettings, 'id'>, entityType: EntityType, entityId: string): string {
  return `{${uuidV5(`${connector.id}:${entityType}:${entityId}`, GUID_NAMESPACE).toUpperCase()}}`;
}

/** Whether two GUIDs are the same (QuickBooks may change their case). */
export function sameGuid(a: string | undefined | null, b: string | undefined | null): boolean {
  return !!a && !!b && a.toUpperCase() === b.toUpperCase();
}

/** The prerequisite key of an item (`PlannedRequest.key`): `item:` and its full name, lower case (QuickBooks' names ignore case). */
export function itemKey(fullName: string): string {
  return `item:${fullName.toLowerCase()}`;
}
