/**
 * Purity checks for plugin tests: run a function with the sources of non-determinism and I/O replaced by
 * functions that throw, and with its inputs deep-frozen so that mutating them throws too.
 */

/** Thrown when the code under test reached for the clock, randomness or the network. */
export class ImpureCallError extends Error {
  override readonly name = 'ImpureCallError';
  constructor(what: string) {
    super(`translate must be pure, but it called ${what}: everything it needs comes in its context`);
  }
}

type Restore = () => void;

function replace(target: object, key: string, value: unknown, restores: Restore[]): void {
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  Object.defineProperty(target, key, { value, configurable: true, writable: true, enumerable: descriptor?.enumerable ?? false });
  restores.push(() => {
    if (descriptor) Object.defineProperty(target, key, descriptor);
    else delete (target as Record<string, unknown>)[key];
  });
}

const forbidden = (what: string) => () => {
  throw new ImpureCallError(what);
};

/**
 * Runs `fn` while `fetch`, `Date.now`, `new Date()` (without arguments), `Math.random`, `performance.now`,
 * `crypto.randomUUID` and `crypto.getRandomValues` throw {@link ImpureCallError}; restores them afterwards.
 * `new Date("2024-05-31")` stays allowed: parsing a given date is deterministic.
 */
export function withoutNondeterminism<T>(fn: () => T): T {
  const restores: Restore[] = [];
  const RealDate = Date;
  class StrictDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) throw new ImpureCallError('new Date() (the clock)');
      super(...(args as [string]));
    }
    static override now(): number {
      throw new ImpureCallError('Date.now()');
    }
  }
  try {
    replace(globalThis, 'fetch', forbidden('fetch()'), restores);
    replace(globalThis, 'Date', StrictDate, restores);
    replace(RealDate, 'now', forbidden('Date.now()'), restores);
    replace(Math, 'random', forbidden('Math.random()'), restores);
    replace(performance, 'now', forbidden('performance.now()'), restores);
    replace(globalThis.crypto, 'randomUUID', forbidden('crypto.randomUUID()'), restores);
    replace(globalThis.crypto, 'getRandomValues', forbidden('crypto.getRandomValues()'), restores);
    return fn();
  } finally {
    for (const restore of restores.reverse()) restore();
  }
}

/** Freezes an object graph in place (plain data from fixtures), so writes to it throw in strict mode. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}

/** A deep copy of plain (JSON) data. */
export function cloneData<T>(value: T): T {
  return structuredClone(value);
}
