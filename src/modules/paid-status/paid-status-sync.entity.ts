import { Entity, Enum, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../shared/base-entity.js';
import type { Connector } from '../connector/connector.entity.js';

export enum PaidStatusOutcome {
  OK = 'OK',
  /** QuickBooks refused a query (error status); tried again when the check is next due. */
  FAILED = 'FAILED',
  /** Whether QuickBooks answered is unknown (lost or unreadable response, session ended); tried again at the next session. */
  INTERRUPTED = 'INTERRUPTED',
}
registerEnumType(PaidStatusOutcome, { name: 'PaidStatusOutcome' });

/**
 * Where the paid-status check of one connector stands: the run in progress (a run is one check within one
 * Web Connector session, possibly several queries and iterator pages), the last finished attempt, and the
 * high-water mark the next run's FromModifiedDate starts from. Nothing is kept in process memory, so any
 * instance may serve any Web Connector call.
 */
@ObjectType({ description: "The paid-status check of one connector's transferred invoices (QuickBooks → our invoices)." })
@Entity({ tableName: 'paid_status_sync' })
@Unique({ properties: ['connector'] })
export class PaidStatusSync extends BaseEntity {
  @ManyToOne({ entity: 'Connector', deleteRule: 'cascade' })
  connector: Rel<Connector>;

  // ---- the run in progress (runId null: none) ----
  @Property({ type: 'text', nullable: true }) runId: string | null = null;
  @Property({ type: 'text', nullable: true }) runSessionId: string | null = null;
  @Property({ type: 'timestamptz', nullable: true }) runStartedAt: Date | null = null;
  /** The FromModifiedDate sent; null: every invoice (a new company file). */
  @Property({ type: 'text', nullable: true }) runFromModified: string | null = null;
  /** Newest TimeModified this run has received, as QuickBooks wrote it. */
  @Property({ type: 'text', nullable: true }) runMaxTimeModified: string | null = null;
  /** Requests of the run sent and not yet answered: the run is complete when this reaches 0. */
  @Property() runOutstanding: number = 0;
  @Property() runPages: number = 0;
  @Property() runReceived: number = 0;
  @Property() runUpdated: number = 0;

  // ---- the last finished attempt ----
  @Field(() => Date, { nullable: true }) @Property({ type: 'timestamptz', nullable: true }) lastAttemptAt: Date | null = null;
  @Property({ type: 'text', nullable: true }) lastAttemptSessionId: string | null = null;
  @Field(() => PaidStatusOutcome, { nullable: true })
  @Enum({ items: () => PaidStatusOutcome, nativeEnumName: 'paid_status_outcome', nullable: true })
  lastOutcome: PaidStatusOutcome | null = null;
  @Field(() => Int, { nullable: true, description: "QuickBooks' statusCode when it refused a query." })
  @Property({ type: 'integer', nullable: true })
  lastStatusCode: number | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) lastError: string | null = null;
  @Field(() => String, { nullable: true, description: 'The FromModifiedDate of the last attempt; null: every invoice was read.' })
  @Property({ type: 'text', nullable: true })
  lastFromModified: string | null = null;
  @Field(() => Int, { nullable: true, description: 'Invoices QuickBooks returned in the last attempt (ours and others).' })
  @Property({ type: 'integer', nullable: true })
  lastReceived: number | null = null;
  @Field(() => Int, { nullable: true, description: 'Our invoices whose QuickBooks status changed in the last attempt.' })
  @Property({ type: 'integer', nullable: true })
  lastUpdated: number | null = null;

  @Field(() => Date, { nullable: true }) @Property({ type: 'timestamptz', nullable: true }) lastSuccessAt: Date | null = null;
  /** Newest TimeModified of any completed run, as QuickBooks wrote it: the next run starts here minus the overlap. */
  @Field(() => String, { nullable: true, description: 'Newest QuickBooks TimeModified seen by a completed check.' })
  @Property({ type: 'text', nullable: true })
  highWaterMark: string | null = null;

  constructor(connector: Connector) {
    super('pss');
    this.connector = connector;
  }
}
