/**
 * Entity ids: a short prefix naming the kind (`conn_`, `usr_`...) plus a UUIDv7 without dashes.
 * UUIDv7 starts with a millisecond timestamp, so ids sort in creation order: cursors can be ids.
 * Ids are text, so a malformed id is simply "not found" instead of a database type error.
 */
import { getRandomValues } from 'node:crypto';
import { v7 as uuidv7, v4 as uuidv4 } from 'uuid';

export function newId(prefix: string): string {
  return `${prefix}_${uuidv7(nextV7Fields()).replaceAll('-', '')}`;
}

/**
 * The random bytes, time and sequence of the next UUIDv7, as the uuid library keeps them itself (a 32-bit
 * sequence seeded at random each millisecond, counted up within it, so ids made in the same millisecond still
 * sort in creation order), but with random bytes drawn 256 ids at a time: the library draws 16 bytes from
 * the system per id, which was most of the cost of the ids of a 1000-invoice upsert (11 000 rows, issue #17).
 */
function nextV7Fields(): { random: Uint8Array; msecs: number; seq: number } {
  if (poolNext === POOL_IDS) {
    getRandomValues(pool);
    poolNext = 0;
  }
  const random = pool.subarray(poolNext * 16, ++poolNext * 16);
  const now = Date.now();
  if (now > v7State.msecs) {
    v7State.msecs = now;
    v7State.seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
  } else {
    v7State.seq = (v7State.seq + 1) | 0;
    if (v7State.seq === 0) v7State.msecs++;
  }
  return { random, msecs: v7State.msecs, seq: v7State.seq };
}

const POOL_IDS = 256;
const pool = new Uint8Array(16 * POOL_IDS);
let poolNext = POOL_IDS;
const v7State = { msecs: -Infinity, seq: 0 };

/** A braced, upper-case GUID as QuickBooks and the Web Connector write them: `{XXXXXXXX-XXXX-...}`. */
export function newBracedGuid(): string {
  return `{${uuidv4().toUpperCase()}}`;
}

export const BRACED_GUID = /^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/i;
