import { Entity, Enum, Formula, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../shared/base-entity.js';
import type { Connector } from '../../modules/connector/connector.entity.js';
import type { Registration } from '../../modules/registration/registration.entity.js';
import type { SourcedRequest } from '../work/work-source.js';
import type { HostInfo } from '../host-info.js';
import { auditQuietly } from '../../modules/audit/audit-subscriber.js';

/** The `access` formula's row (see there). */
export interface StoredAccess {
  readonly revokedAt: string | null;
  readonly credentialActive: boolean;
  readonly credentialRotatedAt: string | null;
  readonly userActive: boolean;
  readonly userName: string;
}

export enum SessionState {
  /** Between authenticate and closeConnection (or expiry). At most one per connector. */
  ACTIVE = 'ACTIVE',
  CLOSED = 'CLOSED',
  FAILED = 'FAILED',
  /** Abandoned by the Web Connector (no call for SESSION_IDLE_MINUTES). */
  EXPIRED = 'EXPIRED',
}

/** Where an active session is in its life (see src/qbwc/README.md). */
export enum SessionPhase {
  /** Reading the service's stamp from the open company file before sending anything else. */
  VERIFYING_COMPANY = 'VERIFYING_COMPANY',
  WORKING = 'WORKING',
  FINISHED = 'FINISHED',
}

registerEnumType(SessionState, { name: 'WebConnectorSessionState' });
registerEnumType(SessionPhase, { name: 'WebConnectorSessionPhase' });

/**
 * One Web Connector update session, keyed by its ticket. Stored in the database, never in process memory,
 * so any instance behind a load balancer can serve any call of it.
 */
@ObjectType('WebConnectorSession', { description: 'One Web Connector update session.' })
@Entity({ tableName: 'qbwc_session' })
@Index({
  name: 'qbwc_session_one_active_per_connector',
  expression: `create unique index "qbwc_session_one_active_per_connector" on "qbwc_session" ("connector_id") where "state" = 'ACTIVE'`,
})
export class QbwcSession extends BaseEntity {
  /** The ticket QBWC sends back on every call: 122 random bits (crypto.randomUUID). */
  @Property({ type: 'text', unique: true, hidden: true })
  ticket: string;

  @ManyToOne({ entity: 'Registration' })
  registration: Rel<Registration>;

  /**
   * What each call re-checks of what authenticate checked — the registration, its API credential and user, as
   * they are now — read in the statement that loads and locks the session (`populate: ['access']`), not in one of
   * its own at every call. Lazy: no other read of sessions pays for the subquery. Timestamps are ISO text.
   */
  @Formula((alias) =>
    `(select jsonb_build_object('revokedAt', r.revoked_at, 'credentialActive', c.active, 'credentialRotatedAt', c.rotated_at, 'userActive', u.active, 'userName', u.name)
      from registration r join api_credential c on c.id = r.credential_id join app_user u on u.id = r.user_id where r.id = ${alias}.registration_id)`,
  { lazy: true, type: 'json' })
  access?: StoredAccess | null;

  @ManyToOne({ entity: 'Connector' })
  connector: Rel<Connector>;

  @Field(() => SessionState)
  @Enum({ items: () => SessionState, nativeEnumName: 'qbwc_session_state' })
  state: SessionState = SessionState.ACTIVE;

  @Field(() => SessionPhase)
  @Enum({ items: () => SessionPhase, nativeEnumName: 'qbwc_session_phase' })
  phase: SessionPhase = SessionPhase.VERIFYING_COMPANY;

  @Field() @Property({ type: 'timestamptz' }) lastCallAt: Date = new Date();
  @Field(() => Date, { nullable: true }) @Property({ type: 'timestamptz', nullable: true }) closedAt: Date | null = null;

  @Field(() => String, { nullable: true, description: 'Company file path QBWC reported.' })
  @Property({ type: 'text', nullable: true })
  companyFilePath: string | null = null;

  /** authenticate named the bound file; when QBWC could not open it, it was told once to use the open file. */
  @Property() boundPathGiven: boolean = false;
  @Property() openFileRetried: boolean = false;

  /** How many times in a row (since its last message of work) this session asked QBWC to wait ("NoOp") for work that was not ready yet. */
  @Property() noOpCount: number = 0;

  /** Identity checks QuickBooks' answer left unanswered; the second one ends the session (never re-sent for ever). */
  @Property({ default: 0 }) identityChecksUnanswered: number = 0;

  /**
   * The work sources' pending count at authenticate: receiveResponseXML's percentage is done / (done + what is
   * left of it), so a call does not count the whole queue again (see QbwcService.progress).
   */
  @Property({ default: 0 }) pendingAtStart: number = 0;

  @Field(() => String, { nullable: true, description: 'qbXML version used for this session.' })
  @Property({ type: 'text', nullable: true })
  qbxmlVersion: string | null = null;

  /** What QBWC reported about QuickBooks on the first sendRequestXML. */
  @Property({ type: 'json', nullable: true })
  host: HostInfo | null = null;

  // The requests of the last message, awaiting receiveResponseXML, are rows of their own (in-flight-request.entity.ts).

  /** Follow-ups to send before asking the work sources again (iterator continuations, stamping). */
  @Property({ type: 'json' })
  followUps: SourcedRequest[] = [];

  @Field(() => Int) @Property() sentCount: number = 0;
  @Field(() => Int) @Property() succeededCount: number = 0;
  @Field(() => Int) @Property() failedCount: number = 0;

  @Field(() => String, { nullable: true, description: 'What getLastError tells the Web Connector.' })
  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Field(() => String, { nullable: true, description: 'One-line result, e.g. "12 sent, 11 succeeded, 1 failed".' })
  @Property({ type: 'text', nullable: true })
  outcome: string | null = null;

  constructor(ticket: string, registration: Registration, connector: Connector) {
    super('ses');
    this.ticket = ticket;
    this.registration = registration;
    this.connector = connector;
  }
}

// Every call moves these; the audit log keeps a session's start, phase, host, errors and end (with its counts).
auditQuietly(QbwcSession, ['lastCallAt', 'noOpCount', 'identityChecksUnanswered', 'followUps', 'sentCount', 'succeededCount', 'failedCount']);
