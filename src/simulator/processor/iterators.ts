/**
 * Query iterators of one QuickBooks session: `iterator="Start"` snapshots the matching records and hands
 * out an `iteratorID`; `Continue` returns the next `MaxReturned`; `Stop` forgets it. QuickBooks keeps
 * iterators in its session, so they belong to the simulator instance, not to the company file.
 */
import { v4 as uuidv4 } from 'uuid';
import type { XmlElement } from '../../qbxml/xml-tree.js';

/** One open iterator. */
export interface IteratorState {
  /** `{GUID}` as QuickBooks formats iterator IDs. */
  readonly id: string;
  /** The request kind that started it; a Continue must be the same kind. */
  readonly requestName: string;
  /** The Start request (its IncludeRetElement/IncludeLineItems/OwnerID shape every page). */
  readonly start: XmlElement;
  /** Record ids not returned yet, in order. */
  remaining: string[];
}

/** The iterators of one session. */
export class IteratorRegistry {
  private readonly open = new Map<string, IteratorState>();

  /** Opens an iterator over `ids` (what the first page did not return). */
  start(requestName: string, start: XmlElement, remaining: string[]): IteratorState {
    const state: IteratorState = { id: `{${uuidv4()}}`, requestName, start, remaining };
    this.open.set(state.id.toLowerCase(), state);
    return state;
  }

  /** An open iterator, if `id` names one. */
  get(id: string): IteratorState | undefined {
    return this.open.get(id.trim().toLowerCase());
  }

  /** Forgets an iterator; false when it was not open. */
  stop(id: string): boolean {
    return this.open.delete(id.trim().toLowerCase());
  }

  /** Number of open iterators (for tests and diagnostics). */
  get size(): number {
    return this.open.size;
  }
}
