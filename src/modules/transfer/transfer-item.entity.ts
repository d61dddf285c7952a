import { Collection, Entity, Enum, Index, ManyToOne, OneToMany, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base-entity.js';
import type { Connector } from '../connector/connector.entity.js';
import { TransferAlert } from './transfer-alert.js';
import { TransferEntityType, TransferState } from './transfer-state.js';

/** The ledger: one row per (Autotask entity, connector) to send to QuickBooks. */
@ObjectType({ description: 'One Autotask entity to send to one connector, with its QuickBooks outcome.' })
@Entity()
@Unique({ properties: ['entityType', 'entityId', 'connector'] })
// The Web Connector's hot path (mapping-engine/ledger-source.ts): a connector's work left, type by type in id
// order. Partial, so finished rows (most of the table, kept for history) cost nothing there, whatever their number.
@Index({
  name: 'transfer_item_pending',
  expression: `create index "transfer_item_pending" on "transfer_item" ("connector_id", "entity_type", "id") where "state" in ('QUEUED', 'NEEDS_RECONCILE')`,
})
// The paid-status check (paid-status.store.ts) asks, at every Web Connector call, whether the connector has
// transferred invoices and since when: one probe here, not a count over years of history.
@Index({
  name: 'transfer_item_transferred_invoice',
  expression: `create index "transfer_item_transferred_invoice" on "transfer_item" ("connector_id", "finished_at") where "entity_type" = 'INVOICE' and "state" = 'SUCCEEDED' and "qb_txn_id" is not null`,
})
export class TransferItem extends BaseEntity {
  @ManyToOne({ entity: 'Connector' })
  connector: Rel<Connector>;

  @Field(() => TransferEntityType)
  @Enum({ items: () => TransferEntityType, nativeEnumName: 'transfer_entity_type' })
  entityType: TransferEntityType;

  @Field({ description: 'Our id of the entity (organization, invoice or payment).' })
  @Property({ type: 'text' })
  entityId: string;

  @Field(() => TransferState)
  @Enum({ items: () => TransferState, nativeEnumName: 'transfer_state' })
  state: TransferState = TransferState.QUEUED;

  @Field(() => Int, { description: 'How many times it was sent to QuickBooks.' })
  @Property()
  attemptCount: number = 0;

  /** How many steps its history holds: the number of its latest TransferAttempt. */
  @Property({ default: 0 })
  stepCount: number = 0;

  @Field({ description: 'Look the item up in QuickBooks before sending it again (set when its outcome was unknown).' })
  @Property()
  reconcileBeforeSend: boolean = false;

  @Field(() => String, { nullable: true, description: "QuickBooks' statusCode (or HRESULT) of the last answer." })
  @Property({ type: 'text', nullable: true })
  qbStatusCode: string | null = null;

  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) qbStatusMessage: string | null = null;

  @Field(() => String, { nullable: true, description: 'What a person can do about a failure.' })
  @Property({ type: 'text', nullable: true })
  hint: string | null = null;

  @Field(() => [TransferAlert], { description: 'What to check about it in QuickBooks although it succeeded (e.g. TOTAL_MISMATCH); empty when nothing.' })
  @Property({ type: 'jsonb', default: '[]' })
  alerts: TransferAlert[] = [];

  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) qbListId: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) qbTxnId: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) qbRefNumber: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) qbEditSequence: string | null = null;

  /**
   * TxnLineIDs of the QuickBooks transaction's lines, by the plugin's key of each line (a purchase order: our
   * line's Autotask id): a later Mod resends every line by its TxnLineID (QuickBooks deletes the ones it omits).
   */
  @Property({ type: 'jsonb', default: '{}' })
  qbLineIds: Record<string, string> = {};

  @Field({ description: 'Changed in Autotask after it reached QuickBooks, and the change is not in QuickBooks yet ("QuickBooks Needs Resync"); cleared when the change succeeds.' })
  @Property({ default: false })
  needsResync: boolean = false;

  /**
   * Changed in Autotask while the version before the change was on its way to QuickBooks (SENT, or being
   * reconciled): once that one is recorded, the item is queued again for the change (requeueChanged).
   */
  @Property({ default: false })
  resyncAfterSend: boolean = false;

  /**
   * The ledger item (id) this queued one last waited for (its translation said waitFor: an invoice's customer).
   * While that one is still queued, sent or being reconciled, this one is not read as a candidate again
   * (pendingWindow): a message's window goes on to items that can go, instead of translating the same waiting
   * ones at every message. Bookkeeping, not a step: not audited, never cleared (a finished dependency lets it through).
   */
  @Property({ type: 'text', nullable: true })
  waitsFor: string | null = null;

  @Field(() => String, { nullable: true, description: 'Who queued it (user name, "cli" or "scheduler").' })
  @Property({ type: 'text', nullable: true })
  queuedBy: string | null = null;

  @Field(() => String, { nullable: true, description: 'The qbXML requestID of the latest send; its response carries it back.' })
  @Property({ type: 'text', nullable: true })
  requestId: string | null = null;

  /** The Web Connector session (ticket) of the latest send. */
  @Property({ type: 'text', nullable: true })
  ticket: string | null = null;

  @Field(() => Date, { nullable: true, description: 'When it was last sent to QuickBooks.' })
  @Property({ type: 'timestamptz', nullable: true })
  sentAt: Date | null = null;

  @Field(() => Date, { nullable: true, description: 'When it reached SUCCEEDED, FAILED or CANCELLED.' })
  @Property({ type: 'timestamptz', nullable: true })
  finishedAt: Date | null = null;

  @OneToMany(() => TransferAttempt, (a) => a.item, { orderBy: { number: 'asc' } })
  attempts = new Collection<TransferAttempt>(this);

  constructor(connector: Connector, entityType: TransferEntityType, entityId: string) {
    super('xfer');
    this.connector = connector;
    this.entityType = entityType;
    this.entityId = entityId;
  }
}

/** One send of a transfer item, or one state change made by a person (retry, cancel). */
@ObjectType({ description: 'One step in a transfer item\'s history.' })
@Entity()
export class TransferAttempt extends BaseEntity {
  @ManyToOne(() => TransferItem, { deleteRule: 'cascade' })
  item: Rel<TransferItem>;

  @Field(() => Int) @Property() number: number;

  @Field(() => TransferState, { description: 'The state this step left the item in.' })
  @Enum({ items: () => TransferState, nativeEnumName: 'transfer_state' })
  state: TransferState;

  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) qbStatusCode: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) message: string | null = null;
  @Field(() => String, { nullable: true, description: 'Who or what made the step.' })
  @Property({ type: 'text', nullable: true })
  actor: string | null = null;

  @Field(() => String, { nullable: true, description: 'The qbXML requestID, for a send.' })
  @Property({ type: 'text', nullable: true })
  requestId: string | null = null;

  constructor(item: TransferItem, number: number, state: TransferState) {
    super('xatt');
    this.item = item;
    this.number = number;
    this.state = state;
  }
}
