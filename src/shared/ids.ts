/**
 * Entity ids: a short prefix naming the kind (`conn_`, `usr_`...) plus a UUIDv7 without dashes.
 * UUIDv7 starts with a millisecond timestamp, so ids sort in creation order: cursors can be ids.
 * Ids are text, so a malformed id is simply "not found" instead of a database type error.
 */
import { v7 as uuidv7, v4 as uuidv4 } from 'uuid';

export function newId(prefix: string): string {
  return `${prefix}_${uuidv7().replaceAll('-', '')}`;
}

/** A braced, upper-case GUID as QuickBooks and the Web Connector write them: `{XXXXXXXX-XXXX-...}`. */
export function newBracedGuid(): string {
  return `{${uuidv4().toUpperCase()}}`;
}

export const BRACED_GUID = /^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/i;
