/**
 * Where a session's qbXML requests come from. The session engine asks each registered source in turn for
 * requests, sends them (several per message), matches QuickBooks' answers back by requestID and hands each
 * to the source that asked. Sources keep their own state in the database (the transfer ledger, list-sync
 * cursors), never in the session engine.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../app/logger.js';
import type { Connector } from '../../modules/connector/connector.entity.js';
import type { QbwcSession } from '../session/qbwc-session.entity.js';
import type { QbxmlResponseItem } from '../qbxml-message.js';

/** A qbXML request a source wants sent. */
export interface OutboundRequest {
  /** Echoed by QuickBooks; unique within the session; at most 50 characters (QuickBooks status 1060). */
  readonly requestId: string;
  /** The request element, e.g. `CustomerQueryRq`. */
  readonly type: string;
  /** Attributes besides requestID, e.g. `{ iterator: 'Continue', iteratorID: '{…}' }`. */
  readonly attributes?: Readonly<Record<string, string>>;
  /** The element's content: already escaped and in schema order. */
  readonly innerXml: string;
  /** Anything the source wants back with the response (stored as JSON). */
  readonly meta?: unknown;
}

/** A source's request held by the session engine to send: a follow-up, or one of the message being built. */
export interface SourcedRequest extends OutboundRequest {
  /** The `WorkSource.id` that produced it. */
  readonly source: string;
}

/**
 * A request as sent, remembered by the session until its response arrives: what the answer is matched by and
 * handed back to its source with. Not its qbXML, which is not needed again (a follow-up, a SourcedRequest, is
 * one too: the requests a session leaves behind are both).
 */
export type SentRequest = Pick<SourcedRequest, 'requestId' | 'type' | 'meta' | 'source'>;

export interface WorkContext {
  readonly em: EntityManager;
  readonly connector: Connector;
  readonly session: QbwcSession;
  /** The qbXML version of this session's messages, e.g. "13.0". */
  readonly qbxmlVersion: string;
  readonly logger: Logger;
}

export interface Budget {
  /** Requests that may still go into this message. */
  readonly count: number;
}

/**
 * What became of one answered request, as the source that asked judges it: the session's
 * "sent, succeeded, failed" counts are outcomes, not status severities (an "already exists" answer to a
 * create-if-missing request is a success; an Info answer can still leave its item failed).
 */
export type ResponseOutcomeCount = 'succeeded' | 'failed';

/** A source's verdict on an answer: the follow-ups to send and how the answer counts. */
export interface HandledResponse {
  readonly followUps: readonly OutboundRequest[];
  readonly outcome: ResponseOutcomeCount;
}

export interface WorkSource {
  /** Stable id, stored with sent requests. */
  readonly id: string;
  /** How many requests this source still expects to send (an estimate; used for the progress percentage). */
  pendingCount(ctx: Omit<WorkContext, 'session' | 'qbxmlVersion'>): Promise<number>;
  /**
   * Whether anything is left at all, asked after every answer (receiveResponseXML): a source whose count
   * grows with its queue answers this with one row instead (`limit 1`), so a message costs the same with 10
   * or 100 000 items left. Without it, `pendingCount(ctx) > 0`.
   */
  hasPending?(ctx: Omit<WorkContext, 'qbxmlVersion'>): Promise<boolean>;
  /** The next requests; an empty list means "nothing from me now". They must not be offered again once sent. */
  nextRequests(ctx: WorkContext, budget: Budget): Promise<OutboundRequest[]>;
  /**
   * QuickBooks answered one of this source's requests. Returns follow-ups for this session (e.g. an
   * iterator's next page), and, when the status severity alone does not say it, how the answer counts
   * (a bare list is counted by severity: Error = failed).
   */
  handleResponse(ctx: WorkContext, request: SentRequest, response: QbxmlResponseItem): Promise<readonly OutboundRequest[] | HandledResponse>;
  /**
   * Optional, called once per answered message before `handleResponse` is called for each of this source's
   * answers in it (with the same `ctx`): load what they all need in one go (one statement per message, not
   * per answer). Nothing may change here.
   */
  prepareResponses?(ctx: WorkContext, answered: ReadonlyArray<{ readonly request: SentRequest; readonly response: QbxmlResponseItem }>): Promise<void>;
  /**
   * Optional, called once per answered message after `handleResponse` was called for each of this source's
   * answers in it (with the same `ctx`), before anything else of the call: write what they decided at once
   * (one statement per kind of change, not per answer).
   */
  finishResponses?(ctx: WorkContext): Promise<void>;
  /**
   * Whether these requests reached QuickBooks is unknown (lost response, HRESULT, unreadable answer, expired
   * session), or they are follow-ups a session that ended will never send (the requests they follow did reach it).
   */
  handleUnknownOutcome(ctx: Omit<WorkContext, 'qbxmlVersion'>, requests: readonly SentRequest[], reason: string): Promise<void>;
}
