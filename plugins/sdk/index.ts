/**
 * The plugin SDK: the only module plugins import. See README.md here for the contract and an example.
 */
import type { ItemTypePlugin, QbRef, QbxmlResponse, ResponseOutcome } from './types.js';

export type * from './types.js';
export type * from './entities.js';

/** The contract version this host speaks. */
export const PLUGIN_API_VERSION = 1;

/** Declares a plugin; a typed identity that lets TypeScript check the whole definition. */
export function definePlugin<TEntity>(plugin: ItemTypePlugin<TEntity>): ItemTypePlugin<TEntity> {
  return plugin;
}

/** qbXML `…Ref` content from a reference: ListID when known (QuickBooks prefers it), else FullName. */
export function qbRef(ref: QbRef): { ListID: string } | { FullName: string } {
  return ref.listId ? { ListID: ref.listId } : { FullName: ref.fullName };
}

/** A decimal string with exactly two decimals, as AMTTYPE wants ("12.5" → "12.50"); exact, no binary floats. */
export function amount(value: string): string {
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(value.trim());
  if (!match) throw new Error(`not a decimal amount: ${JSON.stringify(value)}`);
  const [, sign, whole = '', fraction = ''] = match;
  const cents = BigInt(`${whole || '0'}${(fraction + '000').slice(0, 3)}`);
  const rounded = (cents + 5n) / 10n; // half up on the third decimal
  const text = rounded.toString().padStart(3, '0');
  const result = `${text.slice(0, -2)}.${text.slice(-2)}`;
  return rounded === 0n ? result : `${sign}${result}`;
}

/** A decimal string with at most 5 decimals (PRICETYPE / QUANTYPE), trailing zeros dropped. */
export function decimal(value: string): string {
  const [whole, fraction = ''] = value.trim().split('.');
  const trimmed = fraction.slice(0, 5).replace(/0+$/, '');
  return trimmed ? `${whole}.${trimmed}` : whole!;
}

/** Cuts text to QuickBooks' limit for a field (QuickBooks refuses, never truncates, over-long values). */
export function fit(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}

/** The first `…Ret` of a response, if any. */
export function firstRet(response: QbxmlResponse, retName: string): Record<string, unknown> | undefined {
  const value = response.body[retName];
  const first = Array.isArray(value) ? value[0] : value;
  return first && typeof first === 'object' ? (first as Record<string, unknown>) : undefined;
}

/** A failed outcome from an error status, with QuickBooks' code and message and the plugin's hint. */
export function failure(response: QbxmlResponse, hint: string): ResponseOutcome {
  return { kind: 'failed', statusCode: String(response.statusCode), message: response.statusMessage, hint };
}

/** Hints for the QuickBooks status codes every plugin meets. */
export function commonHint(statusCode: number): string | undefined {
  switch (statusCode) {
    case 3100:
      return 'The name is already used in QuickBooks, possibly by a vendor, employee or other name: rename one of them.';
    case 3140:
      return 'A referenced QuickBooks record (customer, item, class, account, terms, tax code) does not exist or is of the wrong type: check the mappings and the QuickBooks lists.';
    case 3170:
    case 3175:
    case 3176:
    case 3180:
      return 'Someone was editing the same record in QuickBooks: retry the transfer.';
    case 3200:
      return 'The record changed in QuickBooks since it was last read: retry the transfer.';
    case 3250:
      return 'A QuickBooks feature this needs is turned off (e.g. sales tax or class tracking in Preferences).';
    case 3260:
    case 3261:
      return 'The QuickBooks user the Web Connector runs as lacks permission: in QuickBooks, Integrated Applications, let it log in as an admin.';
    default:
      return undefined;
  }
}
