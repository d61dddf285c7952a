import { Entity, ManyToOne, PrimaryKey, Property, type Rel } from '@mikro-orm/core';
import type { SentRequest } from '../work/work-source.js';
import type { QbwcSession } from './qbwc-session.entity.js';

/**
 * One request of a session's last message, awaiting receiveResponseXML: what its answer is matched by and
 * handed back to its source with (its planned request travels in `meta`), not the qbXML sent. A row of its own
 * per request, written with one statement when the message is sent and taken (deleted) with one when it is
 * answered: as a JSON column of the session it was rewritten, compared at every flush and audited at every call.
 * Never loaded as entities (in-flight.ts); the entity is the table's schema.
 */
@Entity({ tableName: 'qbwc_in_flight_request' })
export class QbwcInFlightRequest {
  @ManyToOne({ entity: 'QbwcSession', primary: true, deleteRule: 'cascade' })
  session!: Rel<QbwcSession>;

  /** The request's place in its message (answers are handled in this order). */
  @PrimaryKey({ type: 'int', autoincrement: false })
  position!: number;

  @Property({ type: 'json' })
  request!: SentRequest;
}
