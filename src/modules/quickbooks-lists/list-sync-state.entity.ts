import { Entity, Enum, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../shared/base-entity.js';
import type { Connector } from '../connector/connector.entity.js';
import { QuickBooksList } from './quickbooks-list.js';

export enum ListSyncKind {
  /** Every element (ActiveStatus All); elements not seen are removed (deleted in QuickBooks). */
  FULL = 'FULL',
  /** Elements modified since the high-water mark (FromModifiedDate, ActiveStatus All). */
  INCREMENTAL = 'INCREMENTAL',
}

export enum ListSyncOutcome {
  OK = 'OK',
  /** QuickBooks answered with an error status (e.g. payroll not enabled); tried again when the list is stale. */
  FAILED = 'FAILED',
  /** Whether QuickBooks answered is unknown (lost response, session ended); tried again at the next session. */
  INTERRUPTED = 'INTERRUPTED',
}

registerEnumType(ListSyncKind, { name: 'QuickBooksListSyncKind' });
registerEnumType(ListSyncOutcome, { name: 'QuickBooksListSyncOutcome' });

/**
 * Where the sync of one list of one connector stands: the run in progress (a run is one pull, possibly
 * several iterator pages within one Web Connector session), the last finished attempt, the high-water mark
 * for incremental pulls, and an on-demand refresh request. All state is here, never in process memory.
 */
@Entity({ tableName: 'quickbooks_list_sync' })
@Unique({ properties: ['connector', 'list'] })
export class QuickBooksListSync extends BaseEntity {
  @ManyToOne({ entity: 'Connector', deleteRule: 'cascade' })
  connector: Rel<Connector>;

  @Enum({ items: () => QuickBooksList, nativeEnumName: 'quickbooks_list' })
  list: QuickBooksList;

  /** Someone asked for a refresh (refreshQuickBooksLists); cleared when a run starts. */
  @Property({ type: 'timestamptz', nullable: true }) refreshRequestedAt: Date | null = null;
  @Property() fullRefreshRequested: boolean = false;

  // ---- the run in progress (runId null: none) ----
  @Property({ type: 'text', nullable: true }) runId: string | null = null;
  @Property({ type: 'text', nullable: true }) runSessionId: string | null = null;
  @Enum({ items: () => ListSyncKind, nativeEnumName: 'quickbooks_list_sync_kind', nullable: true }) runKind: ListSyncKind | null = null;
  @Property({ type: 'timestamptz', nullable: true }) runStartedAt: Date | null = null;
  /** The FromModifiedDate sent (incremental runs). */
  @Property({ type: 'text', nullable: true }) runFromModified: string | null = null;
  /** Newest TimeModified this run has received, as QuickBooks wrote it. */
  @Property({ type: 'text', nullable: true }) runMaxTimeModified: string | null = null;
  @Property() runPages: number = 0;
  @Property() runReceived: number = 0;
  @Property() runWritten: number = 0;

  // ---- the last finished attempt ----
  @Property({ type: 'timestamptz', nullable: true }) lastAttemptAt: Date | null = null;
  @Property({ type: 'text', nullable: true }) lastAttemptSessionId: string | null = null;
  @Enum({ items: () => ListSyncKind, nativeEnumName: 'quickbooks_list_sync_kind', nullable: true }) lastKind: ListSyncKind | null = null;
  @Enum({ items: () => ListSyncOutcome, nativeEnumName: 'quickbooks_list_sync_outcome', nullable: true }) lastOutcome: ListSyncOutcome | null = null;
  @Property({ type: 'integer', nullable: true }) lastStatusCode: number | null = null;
  @Property({ type: 'text', nullable: true }) lastError: string | null = null;
  @Property({ type: 'integer', nullable: true }) lastReceived: number | null = null;
  @Property({ type: 'integer', nullable: true }) lastWritten: number | null = null;
  @Property({ type: 'text', nullable: true }) lastFromModified: string | null = null;

  @Property({ type: 'timestamptz', nullable: true }) lastFullSyncAt: Date | null = null;
  @Property({ type: 'timestamptz', nullable: true }) lastIncrementalSyncAt: Date | null = null;
  /** Newest TimeModified of any completed run, as QuickBooks wrote it: incremental pulls start from here. */
  @Property({ type: 'text', nullable: true }) highWaterMark: string | null = null;

  constructor(connector: Connector, list: QuickBooksList) {
    super('qbls');
    this.connector = connector;
    this.list = list;
  }
}
