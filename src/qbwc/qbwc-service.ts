/**
 * The Web Connector callbacks (see README.md in this folder for a session's life). Every public method
 * answers with a protocol value and never throws at QBWC: unexpected failures are logged and turned into
 * "busy", "", -1 or a getLastError message a person can act on.
 */
import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../app/config.js';
import type { Logger } from '../app/logger.js';
import { asActor } from '../modules/audit/actor.js';
import { Company } from '../modules/company/company.entity.js';
import { AlertKind, ConnectorAlert } from '../modules/connector/connector-alert.entity.js';
import type { Connector } from '../modules/connector/connector.entity.js';
import { authenticateCredential, refusalOf, type ClientAddress } from './auth/authenticate-credential.js';
import { accessOfLoaded, sessionAccess, type SessionAccess } from './session/session-access.js';
import { IDENTITY_SOURCE, identityCheckRequest, readStamp, stampFailure, stampRequests } from './company-identity.js';
import { chooseQbxmlVersion, parseHostInfo } from './host-info.js';
import { buildRequestMessage, parseResponseMessage, QbxmlMessageError, type QbxmlResponseItem } from './qbxml-message.js';
import { QbwcSession, SessionPhase, SessionState } from './session/qbwc-session.entity.js';
import type { HandledResponse, OutboundRequest, SentRequest, SourcedRequest, WorkContext, WorkSource } from './work/work-source.js';
import { putInFlight, takeInFlight } from './session/in-flight.js';
import { SessionAdmission } from './session/admission.js';
import { loadSession } from './session/load-session.js';
import { executeBound } from '../db/rows.js';
import { compareVersions } from './versions.js';
import { Semaphore } from '../shared/semaphore.js';
import { sessionsEnded, sessionsStarted } from '../app/metrics.js';

/** The value serverVersion reports (QBWC shows it in its log). */
export const SERVER_VERSION = 'qbd-bridge 0.1.0';

/** Sent when nothing else is left in a message that must carry something; harmless and always valid. */
const KEEPALIVE: OutboundRequest = { requestId: 'keepalive', type: 'HostQueryRq', innerXml: '' };
const INTERNAL_SOURCES = new Set([IDENTITY_SOURCE, 'keepalive']);
/** getLastError's answer that makes QBWC pause about 5 seconds and call sendRequestXML again. */
const NOOP = 'NoOp';
/**
 * About a minute of waiting, in a row, for work that is not ready, then the session finishes. Counted from the
 * last message that carried work: a long session waits now and then (a dependency in flight) without ending
 * early with work left for the next scheduled update.
 */
const MAX_NOOPS_IN_A_ROW = 12;
/**
 * Calls wait for a database connection in this process, in arrival order, rather than in the pool (whose
 * acquire timeout would turn a burst of sessions into errors): the endpoint uses the pool but a couple of
 * connections, left for GraphQL and the scheduler. A new session is answered `busy` (with the retry hint) when the
 * process already serves QBWC_MAX_ACTIVE_SESSIONS (session/admission.ts) or, as a backstop, when this many calls
 * per connection are already waiting; calls of running sessions always wait their turn.
 */
const RESERVED_CONNECTIONS = 2;
const MAX_QUEUED_PER_CONNECTION = 25;
/** An identity check QuickBooks leaves unanswered is asked once more; the second time the session ends. */
const MAX_UNANSWERED_IDENTITY_CHECKS = 2;

export interface QbwcServiceDeps {
  readonly orm: MikroORM;
  readonly config: Pick<Config, 'qbwc'>;
  readonly logger: Logger;
  readonly sources: readonly WorkSource[];
}

/** Which registration a call came in for (from the AppURL path) and from where. */
export interface CallOrigin {
  readonly registrationId: string | undefined;
  readonly client: ClientAddress;
}

export class QbwcService {
  private readonly log: Logger;
  private readonly connections: Semaphore;
  private readonly maxQueued: number;
  private readonly admission: SessionAdmission;
  /** When this process last looked for idle sessions (expireIdleSessions). */
  private lastSweepAt = 0;

  constructor(private readonly deps: QbwcServiceDeps) {
    this.log = deps.logger.child({ module: 'qbwc' });
    const poolMax = deps.orm.config.get('pool')?.max ?? 1;
    const width = Math.max(1, poolMax - RESERVED_CONNECTIONS);
    this.connections = new Semaphore(width);
    this.maxQueued = width * MAX_QUEUED_PER_CONNECTION;
    this.admission = new SessionAdmission(deps.config.qbwc.maxActiveSessions);
  }

  serverVersion(): string {
    return SERVER_VERSION;
  }

  /** "" to go on; "O:<version>" asks the user to upgrade a Web Connector older than the configured minimum. */
  clientVersion(version: string | undefined): string {
    const min = this.deps.config.qbwc.minClientVersion;
    if (!min || !version || !/^\d+(\.\d+)*$/.test(version)) return '';
    return compareVersions(version, min) < 0 ? `O:${min}` : '';
  }

  async authenticate(origin: CallOrigin, userName: string, password: string): Promise<string[]> {
    if (this.connections.queued >= this.maxQueued) {
      this.log.warn({ queued: this.connections.queued }, 'authenticate: too many calls waiting for the database (busy)');
      return ['', 'busy', String(this.deps.config.qbwc.busyRetrySeconds)];
    }
    const slot = this.admission.reserve(Date.now(), origin.registrationId);
    if (!slot) {
      this.log.info({ active: this.admission.active }, 'authenticate: this process serves its QBWC_MAX_ACTIVE_SESSIONS (busy)');
      return ['', 'busy', String(this.deps.config.qbwc.busyRetrySeconds)];
    }
    let admitted: { session: string; registration: string } | undefined;
    try {
      const answer = await this.inTransaction(async (em) => {
        await this.expireIdleSessions(em);
        const auth = await authenticateCredential(em, origin, userName, password, this.deps.config.qbwc.signIn);
        if (!auth.ok) {
          this.log.warn({ registration: origin.registrationId, client: origin.client, reason: auth.reason }, 'authenticate refused (nvu)');
          return ['', 'nvu'];
        }
        const { registration } = auth;
        const connector = registration.connector;
        const log = this.log.child({ connector: connector.id, registration: registration.id });
        const active = await em.findOne(QbwcSession, { connector, state: SessionState.ACTIVE }, { populate: ['connector'] });
        if (active && active.registration.id === registration.id) {
          // The same Web Connector entry starts over: its previous run died (QBWC runs one update per entry at a time).
          // Ended before counting the work: what it left in flight is work again (it must be reconciled).
          await this.endAbandoned(em, active, 'the Web Connector started a new update before finishing this one', SessionState.EXPIRED, null);
          await em.flush();
          this.track(active);
        } else if (active) {
          log.info('authenticate: another session of this connector is active (busy)');
          return ['', 'busy', String(this.deps.config.qbwc.busyRetrySeconds)];
        }
        const pending = await this.pendingWork(em, connector);
        if (pending === 0) {
          // No wait/interval elements: QBWC keeps the QWC's schedule (a non-numeric [2] would confuse it).
          log.info('authenticate: no work (none)');
          return [randomUUID(), 'none'];
        }
        const session = new QbwcSession(randomUUID(), registration, connector);
        session.pendingAtStart = pending;
        em.persist(session);
        await em.flush();
        const company = connector.company && !connector.company.unboundAt ? connector.company : null;
        session.boundPathGiven = Boolean(company?.filePath);
        log.info({ session: session.id, ticket: fingerprint(session.ticket), pending }, 'authenticate: session started');
        sessionsStarted.inc();
        admitted = { session: session.id, registration: registration.id };
        return [session.ticket, company?.filePath ?? ''];
      });
      // Counted once the session is committed: a rolled-back authenticate leaves no session to serve.
      if (admitted) slot.admit(admitted.session, admitted.registration);
      return answer;
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        // Two users of one connector authenticated at the same instant: the database let one through.
        return ['', 'busy', String(this.deps.config.qbwc.busyRetrySeconds)];
      }
      this.log.error({ err: error }, 'authenticate failed unexpectedly; answering busy');
      return ['', 'busy', String(this.deps.config.qbwc.busyRetrySeconds)];
    } finally {
      slot.release();
    }
  }

  async sendRequestXML(
    origin: CallOrigin,
    ticket: string,
    hcpResponse: string,
    companyFileName: string,
    qbxmlCountry: string,
    major: number,
    minor: number,
  ): Promise<string> {
    try {
      return await this.withActiveSession(origin, ticket, 'sendRequestXML', '', async (em, session, log) => {
        if (hcpResponse) {
          session.host = parseHostInfo(hcpResponse);
          session.companyFilePath = companyFileName || null;
          log.info({ product: session.host.productName, country: qbxmlCountry, companyFile: companyFileName }, 'host information received');
        }
        session.qbxmlVersion ??= chooseQbxmlVersion(session.connector.qbxmlVersionCap, session.host, major, minor);
        const ctx = this.context(em, session, log);
        const lost = await takeInFlight(em, session.id);
        // QBWC asks again without having posted the previous answer: that answer is lost.
        if (lost.length > 0) await this.settleUnknown(ctx, lost, 'the Web Connector asked for new requests without returning the previous response');
        let requests = await this.nextMessage(ctx);
        if (requests.length === 0) {
          if ((await this.pendingWork(em, session.connector)) > 0 && session.noOpCount < MAX_NOOPS_IN_A_ROW) {
            // Work is pending but not ready to send (a source is still preparing it): "" + getLastError "NoOp"
            // makes QBWC wait about 5 seconds and ask again, instead of ending the session.
            session.noOpCount++;
            session.lastError = NOOP;
            log.info({ noOps: session.noOpCount }, 'sendRequestXML: nothing ready yet (NoOp)');
            return '';
          }
          requests = [{ ...KEEPALIVE, source: 'keepalive' }];
        }
        if (session.lastError === NOOP) session.lastError = null;
        if (requests.some((r) => r.source !== 'keepalive')) session.noOpCount = 0;
        await putInFlight(em, session.id, requests);
        session.sentCount += requests.filter((r) => !INTERNAL_SOURCES.has(r.source)).length;
        log.info({ requests: requests.map((r) => r.requestId), phase: session.phase, qbxmlVersion: session.qbxmlVersion }, 'sendRequestXML');
        return buildRequestMessage(session.qbxmlVersion, requests);
      });
    } catch (error) {
      return this.failUnexpectedly(ticket, 'sendRequestXML', error, '');
    }
  }

  async receiveResponseXML(origin: CallOrigin, ticket: string, response: string, hresult: string, message: string): Promise<number> {
    try {
      return await this.withActiveSession(origin, ticket, 'receiveResponseXML', -1, async (em, session, log) => {
        const ctx = this.context(em, session, log);
        const inFlight = await takeInFlight(em, session.id);
        if (hresult || !response) {
          const reason = `QuickBooks could not process the request message (HRESULT ${hresult || 'none'}: ${message || 'no response'})`;
          await this.settleUnknown(ctx, await leftBehind(em, session, inFlight), reason);
          await this.alert(em, session.connector, AlertKind.QUICKBOOKS_ERROR, reason, { hresult, message });
          return this.fail(session, log, `${reason}. The affected items are marked for reconciliation; run the update again.`, -101);
        }
        let items: QbxmlResponseItem[];
        try {
          items = parseResponseMessage(response);
        } catch (error) {
          const reason = `QuickBooks' answer could not be read (${(error as Error).message})`;
          await this.settleUnknown(ctx, await leftBehind(em, session, inFlight), reason);
          return this.fail(session, log, `${reason}. The affected items are marked for reconciliation.`, -102);
        }
        const byRequestId = new Map(items.map((item) => [item.requestId, item]));
        await this.prepareResponses(ctx, inFlight, byRequestId);
        const unanswered: SentRequest[] = [];
        let verdict: number | null = null;
        for (const request of inFlight) {
          const item = byRequestId.get(request.requestId);
          byRequestId.delete(request.requestId);
          if (!item) {
            unanswered.push(request);
          } else if (request.source === IDENTITY_SOURCE) {
            verdict = await this.handleIdentity(ctx, request, item);
            if (verdict !== null) break;
          } else if (request.source !== 'keepalive') {
            await this.handleWorkResponse(ctx, request, item);
          }
        }
        // The answers handled so far are written, whatever ends the call.
        await this.finishResponses(ctx, inFlight);
        if (verdict !== null) return verdict;
        if (byRequestId.size > 0) log.warn({ requestIds: [...byRequestId.keys()] }, 'responses to requests this session did not send were ignored');
        await this.settleUnknown(ctx, unanswered, 'QuickBooks returned no answer for this request');
        if (unanswered.some((r) => r.source === IDENTITY_SOURCE) && ++session.identityChecksUnanswered >= MAX_UNANSWERED_IDENTITY_CHECKS) {
          return this.fail(session, log,
            `QuickBooks answered the company file check ${session.identityChecksUnanswered} times without its result, so the open company file could not be ` +
            'identified and nothing was sent. Check that QuickBooks has the company file open and responds (no dialog waiting), then run the update again.', -106);
        }
        // Only the keep-alive went out although work is pending: no source could send anything this session
        // (NoOps exhausted). End it rather than keep QuickBooks busy; the work stays queued for the next update.
        const stalled = inFlight.length > 0 && inFlight.every((r) => r.source === 'keepalive') && session.noOpCount >= MAX_NOOPS_IN_A_ROW;
        if (stalled) log.warn({ noOps: session.noOpCount }, 'work is pending but nothing could be sent in this session; ending it');
        const percent = stalled ? 100 : await this.progress(ctx);
        if (percent === 100) {
          session.phase = SessionPhase.FINISHED;
          session.state = SessionState.CLOSED;
          session.closedAt = new Date();
          session.outcome = summary(session);
          sessionsEnded.inc({ outcome: 'completed' });
        }
        log.info({ responses: items.length, percent }, 'receiveResponseXML');
        return percent;
      });
    } catch (error) {
      return this.failUnexpectedly(ticket, 'receiveResponseXML', error, -1);
    }
  }

  /**
   * QBWC could not open the company file. When authenticate had named the bound file (so QBWC can run
   * unattended), the first failure is answered "" — retry with the file open in QuickBooks, as Intuit's sample
   * does: the identity check then decides whether that is the connector's file (perhaps moved). Otherwise the
   * failure is recorded as an alert and answered "done".
   */
  async connectionError(origin: CallOrigin, ticket: string, hresult: string, message: string): Promise<string> {
    try {
      return await this.withActiveSession(origin, ticket, 'connectionError', 'done', async (em, session, log) => {
        if (session.boundPathGiven && !session.openFileRetried) {
          session.openFileRetried = true;
          log.info({ hresult, message }, 'connectionError: the bound file could not be opened; retrying with the open file');
          return '';
        }
        const reason = `The Web Connector could not reach QuickBooks or open the company file (HRESULT ${hresult || 'none'}: ${message || 'no message'})`;
        await this.settleUnknown(this.context(em, session, log), await leftBehind(em, session), reason);
        await this.alert(em, session.connector, AlertKind.QUICKBOOKS_UNREACHABLE, reason, { hresult, message });
        return this.fail(session, log, `${reason}. Start QuickBooks with the company file open, or allow unattended access, and run the update again.`, 'done');
      });
    } catch (error) {
      this.log.error({ err: error, ticket: fingerprint(ticket) }, 'connectionError failed unexpectedly');
      return 'done';
    }
  }

  /**
   * Whether a call may send a body larger than an anonymous one (soap-endpoint.ts): its ticket is an active
   * session of the registration in its URL that still has its access (`lostAccess`). One query by the unique
   * ticket index, no lock, no entity; the call itself checks again when it runs.
   */
  async mayStreamLargeCall(origin: CallOrigin, ticket: string): Promise<boolean> {
    if (!ticket || !origin.registrationId) return false;
    const access = await this.connections.run(() => sessionAccess(this.deps.orm.em.fork(), { ticket, registrationId: origin.registrationId! }));
    return access?.state === SessionState.ACTIVE && this.lostAccess(access) === null;
  }

  async getLastError(origin: CallOrigin, ticket: string): Promise<string> {
    try {
      const session = await this.connections.run(() => this.findSession(this.deps.orm.em.fork(), origin, ticket));
      if (!session) return 'This Web Connector session is unknown or has expired. Run the update again.';
      return session.lastError ?? 'No error was recorded for this session.';
    } catch (error) {
      this.log.error({ err: error, ticket: fingerprint(ticket) }, 'getLastError failed unexpectedly');
      return 'The qbd-bridge service had an internal error (it has been logged). Try again later.';
    }
  }

  async closeConnection(origin: CallOrigin, ticket: string): Promise<string> {
    try {
      return await this.inTransaction(async (em) => {
        const session = await this.findSession(em, origin, ticket, true);
        if (!session) return 'OK';
        const log = this.sessionLog(session);
        if (session.state === SessionState.ACTIVE) {
          await this.settleUnknown(this.context(em, session, log), await leftBehind(em, session), 'the session was closed before the response arrived');
          session.state = SessionState.CLOSED;
          session.closedAt = new Date();
          sessionsEnded.inc({ outcome: 'closed' });
        }
        session.outcome = summary(session) + (session.lastError && session.state === SessionState.FAILED ? `. ${session.lastError}` : '');
        this.track(session);
        log.info({ outcome: session.outcome }, 'closeConnection');
        return session.outcome;
      });
    } catch (error) {
      this.log.error({ err: error, ticket: fingerprint(ticket) }, 'closeConnection failed unexpectedly');
      return 'Closed; the service had an internal error (logged).';
    }
  }

  // ---- the session engine -------------------------------------------------------------------------

  /** The next message: the identity check first, then follow-ups, then each source in turn, within the caps. */
  private async nextMessage(ctx: WorkContext): Promise<SourcedRequest[]> {
    const { session } = ctx;
    if (session.phase === SessionPhase.VERIFYING_COMPANY) {
      const pendingStamp = session.followUps.filter((r) => r.source === IDENTITY_SOURCE);
      if (pendingStamp.length > 0) {
        session.followUps = session.followUps.filter((r) => r.source !== IDENTITY_SOURCE);
        return pendingStamp;
      }
      return [{ ...identityCheckRequest(), source: IDENTITY_SOURCE }];
    }
    const { maxRequestsPerMessage, maxMessageBytes } = this.deps.config.qbwc;
    const message: SourcedRequest[] = [];
    let bytes = 0;
    const fits = (r: OutboundRequest) => message.length === 0 || bytes + r.innerXml.length + 200 <= maxMessageBytes;
    const add = (r: SourcedRequest) => {
      message.push(r);
      bytes += r.innerXml.length + 200;
    };
    while (session.followUps.length > 0 && message.length < maxRequestsPerMessage && fits(session.followUps[0]!)) {
      add(session.followUps.shift()!);
    }
    session.followUps = [...session.followUps];
    for (const source of this.deps.sources) {
      const room = maxRequestsPerMessage - message.length;
      if (room <= 0) break;
      for (const request of await source.nextRequests(ctx, { count: room })) {
        // A source's request that does not fit waits for the next message of this session.
        if (fits(request) && message.length < maxRequestsPerMessage) add({ ...request, source: source.id });
        else session.followUps.push({ ...request, source: source.id });
      }
    }
    return message;
  }

  /** Each source with answers in this message may load what they need at once (WorkSource.prepareResponses). */
  private async prepareResponses(ctx: WorkContext, inFlight: readonly SentRequest[], byRequestId: ReadonlyMap<string | undefined, QbxmlResponseItem>): Promise<void> {
    for (const source of this.deps.sources) {
      if (!source.prepareResponses) continue;
      const answered = inFlight.flatMap((request) => {
        const response = request.source === source.id ? byRequestId.get(request.requestId) : undefined;
        return response ? [{ request, response }] : [];
      });
      if (answered.length > 0) await source.prepareResponses(ctx, answered);
    }
  }

  /** Each source that had answers in this message writes what they decided (WorkSource.finishResponses). */
  private async finishResponses(ctx: WorkContext, inFlight: readonly SentRequest[]): Promise<void> {
    const answeredSources = new Set(inFlight.map((r) => r.source));
    for (const source of this.deps.sources) {
      if (source.finishResponses && answeredSources.has(source.id)) await source.finishResponses(ctx);
    }
  }

  private async handleWorkResponse(ctx: WorkContext, request: SentRequest, item: QbxmlResponseItem): Promise<void> {
    const source = this.source(request.source);
    if (!source) {
      ctx.logger.error({ source: request.source }, 'a response arrived for a work source that is not installed');
      return;
    }
    const handled = await source.handleResponse(ctx, request, item);
    // Outcomes, not severities: the source knows an "already exists" answer to a create-if-missing request is fine.
    const { followUps, outcome } = Array.isArray(handled)
      ? { followUps: handled as readonly OutboundRequest[], outcome: item.statusSeverity === 'Error' ? 'failed' : 'succeeded' }
      : (handled as HandledResponse);
    if (outcome === 'failed') ctx.session.failedCount++;
    else ctx.session.succeededCount++;
    ctx.session.followUps = [...ctx.session.followUps, ...followUps.map((r) => ({ ...r, source: source.id }))];
  }

  /** Handles the identity check / stamping answers; returns a percentage to end the call with, or null to go on. */
  private async handleIdentity(ctx: WorkContext, request: SentRequest, item: QbxmlResponseItem): Promise<number | null> {
    const { em, session, logger: log } = ctx;
    const connector = session.connector;
    // The company the connector is bound to, loaded only here (the session is read without it).
    await em.populate(connector, ['company']);
    if (request.requestId !== 'identity:check') {
      const failure = stampFailure(request, item);
      if (failure) return this.fail(session, log, `${failure}. Nothing else was sent.`, -103);
      if (request.requestId === 'identity:stamp') await this.markVerified(em, session, log);
      return null;
    }
    const bound = connector.company && !connector.company.unboundAt ? connector.company : null;
    const verdict = readStamp(item, connector.fileId);
    if (verdict.kind === 'unreadable') return this.fail(session, log, `${verdict.reason}. Nothing was sent.`, -104);
    if (verdict.kind === 'match') {
      await this.markVerified(em, session, log);
      return null;
    }
    if (verdict.kind === 'unstamped' && !bound) {
      // First contact: stamp the file with this connector's identity, then go on.
      session.followUps = [...stampRequests(connector.fileId).map((r) => ({ ...r, source: IDENTITY_SOURCE })), ...session.followUps];
      log.info({ companyFile: session.companyFilePath }, 'first contact: stamping the company file');
      return 1;
    }
    const opened = session.companyFilePath ?? '(unknown path)';
    const found = verdict.kind === 'other' ? `the identity ${verdict.foundFileId} of another connector` : 'no qbd-bridge identity';
    const message =
      `Wrong company file: the Web Connector opened "${opened}", which carries ${found}, but connector "${connector.name}" ` +
      `is bound to "${bound?.filePath ?? '(a stamped file)'}" (identity ${connector.fileId}). Nothing was sent. ` +
      'Open the right company file in QuickBooks and run the update again; if this file replaced the old one on purpose, an admin can clear the binding (clearCompanyBinding).';
    await this.alert(em, connector, AlertKind.WRONG_COMPANY_FILE, message, {
      openedPath: opened,
      foundFileId: verdict.kind === 'other' ? verdict.foundFileId : null,
      expectedFileId: connector.fileId,
      boundPath: bound?.filePath ?? null,
    });
    return this.fail(session, log, message, -105);
  }

  /** The right file: bind or refresh the connector's Company, resolve stale alerts, start working. */
  private async markVerified(em: EntityManager, session: QbwcSession, log: Logger): Promise<void> {
    const connector = session.connector;
    let company = connector.company && !connector.company.unboundAt ? connector.company : null;
    const now = new Date();
    if (!company) {
      company = new Company();
      company.firstContactAt = now;
      em.persist(company);
      connector.company = company;
      log.info({ companyFile: session.companyFilePath }, 'connector bound to its company file');
    } else if (company.filePath !== session.companyFilePath) {
      log.info({ from: company.filePath, to: session.companyFilePath }, 'same company file at a new path: path updated');
    }
    company.fileId = connector.fileId;
    company.filePath = session.companyFilePath;
    company.lastContactAt = now;
    if (session.host) {
      company.companyName = session.host.companyName ?? company.companyName;
      company.productName = session.host.productName;
      company.productVersion = session.host.productVersion;
      company.country = session.host.country;
      company.supportedQbxmlVersions = session.host.supportedQbxmlVersions;
    }
    const open = await em.find(ConnectorAlert, {
      connector,
      resolvedAt: null,
      kind: { $in: [AlertKind.WRONG_COMPANY_FILE, AlertKind.QUICKBOOKS_UNREACHABLE] },
    });
    for (const alert of open) alert.resolvedAt = now;
    session.phase = SessionPhase.WORKING;
  }

  /**
   * The percentage receiveResponseXML answers. Whether anything is left is asked of each source (one row, not
   * a count); how much is left is estimated from the session's counters against what authenticate counted,
   * so a message costs the same at the first and the last of a long queue.
   */
  private async progress(ctx: WorkContext): Promise<number> {
    const { session } = ctx;
    if (session.phase === SessionPhase.VERIFYING_COMPANY) return 1;
    let anyLeft = session.followUps.length > 0;
    for (const source of this.deps.sources) {
      if (anyLeft) break;
      anyLeft = source.hasPending ? await source.hasPending(ctx) : (await source.pendingCount(ctx)) > 0;
    }
    if (!anyLeft) return 100;
    const done = session.succeededCount + session.failedCount;
    const left = Math.max(1, session.pendingAtStart - done, session.followUps.length);
    return Math.max(1, Math.min(99, Math.floor((100 * done) / (done + left))));
  }

  private async pendingWork(em: EntityManager, connector: Connector): Promise<number> {
    let pending = 0;
    for (const source of this.deps.sources) pending += await source.pendingCount({ em, connector, logger: this.log });
    return pending;
  }

  /** Requests whose fate is unknown go back to their sources (which mark them for reconciliation). */
  private async settleUnknown(ctx: Omit<WorkContext, 'qbxmlVersion'>, requests: readonly SentRequest[], reason: string): Promise<void> {
    const bySource = new Map<string, SentRequest[]>();
    for (const r of requests) {
      if (INTERNAL_SOURCES.has(r.source)) continue;
      bySource.set(r.source, [...(bySource.get(r.source) ?? []), r]);
    }
    for (const [id, list] of bySource) {
      const source = this.source(id);
      if (source) await source.handleUnknownOutcome(ctx, list, reason);
      else ctx.logger.error({ source: id, requests: list.map((r) => r.requestId) }, 'unknown outcome for a work source that is not installed');
    }
  }

  /**
   * Whether a call of a running session sweeps for idle sessions: at most every tenth of the idle time (and every
   * 30 s) per process. The sweep is one statement that almost always finds nothing; at every call it was one of
   * the most frequent statements of a busy service. authenticate always sweeps: that is where a connector held by
   * an abandoned session is wanted again.
   */
  private sweepDue(): boolean {
    const interval = Math.min(30_000, (this.deps.config.qbwc.sessionIdleMinutes * 60_000) / 10);
    return Date.now() - this.lastSweepAt >= interval;
  }

  /**
   * Abandoned sessions (no call for QBWC_SESSION_IDLE_MINUTES) of every connector free their connector; their
   * in-flight work is reconciled later. Runs at every authenticate and, now and then (sweepDue), at calls of running
   * sessions, so expiry follows the clock rather than waiting for someone to sign in on the same connector: one
   * statement that usually finds nothing, and skips sessions another call is serving right now.
   */
  private async expireIdleSessions(em: EntityManager): Promise<void> {
    this.lastSweepAt = Date.now();
    // The ids first, locked, without entities: this runs at every authenticate and almost always finds none.
    const ids = await executeBound<{ id: string }>(em,
      `select id from qbwc_session where state = 'ACTIVE' and last_call_at < ? for update skip locked`, [this.idleCutoff()]);
    if (ids.length === 0) return;
    const stale = await em.find(QbwcSession, { id: { $in: ids.map((r) => r.id) } }, { populate: ['connector'] });
    for (const session of stale) {
      await this.expire(em, session);
      this.track(session);
    }
  }

  /** Ends a session idle for QBWC_SESSION_IDLE_MINUTES, whichever call finds it so (the sweep, or its own late call). */
  private async expire(em: EntityManager, session: QbwcSession): Promise<void> {
    const minutes = this.deps.config.qbwc.sessionIdleMinutes;
    await this.endAbandoned(em, session, `no call for ${minutes} minutes: the Web Connector session was abandoned`, SessionState.EXPIRED,
      `This Web Connector session had no call for ${minutes} minutes and has expired; nothing more is sent, and items in flight will be reconciled. Run the update again.`);
  }

  private idleCutoff(): Date {
    return new Date(Date.now() - this.deps.config.qbwc.sessionIdleMinutes * 60_000);
  }

  /**
   * Why a session may no longer be served although it is still ACTIVE: what authenticate checked has changed
   * since (read now: sessionAccess), or it has been idle too long. Null when it may go on.
   */
  private lostAccess(access: SessionAccess): string | null {
    const refusal = refusalOf(access, access.connector);
    if (refusal) return refusal;
    const rotatedAt = access.credentialRotatedAt;
    if (rotatedAt && rotatedAt > access.createdAt) return "the API credential's password was changed";
    if (access.lastCallAt < this.idleCutoff()) return `no call for ${this.deps.config.qbwc.sessionIdleMinutes} minutes`;
    return null;
  }

  /** Ends a session QBWC will not come back to (or must not be served any more); its in-flight requests' fate is unknown. */
  private async endAbandoned(em: EntityManager, session: QbwcSession, reason: string, state: SessionState, lastError: string | null): Promise<void> {
    const log = this.sessionLog(session);
    await this.settleUnknown({ em, connector: session.connector, session, logger: log }, await leftBehind(em, session), reason);
    session.state = state;
    session.closedAt = new Date();
    session.outcome = `${summary(session)}; ${reason}`;
    if (lastError) session.lastError = lastError;
    sessionsEnded.inc({ outcome: state.toLowerCase() });
    log.warn({ reason }, 'session ended without closeConnection');
  }

  private async alert(em: EntityManager, connector: Connector, kind: AlertKind, message: string, details: Record<string, unknown>): Promise<void> {
    em.persist(new ConnectorAlert(connector, kind, message, details));
  }

  /** Ends the session as failed with a message for getLastError; returns `result`. */
  private fail<T>(session: QbwcSession, log: Logger, message: string, result: T): T {
    session.lastError = message;
    session.state = SessionState.FAILED;
    session.phase = SessionPhase.FINISHED;
    session.closedAt = new Date();
    session.outcome = `${summary(session)}. ${message}`;
    sessionsEnded.inc({ outcome: 'failed' });
    log.warn({ error: message }, 'session failed');
    return result;
  }

  private async withActiveSession<T>(
    origin: CallOrigin,
    ticket: string,
    step: string,
    whenMissing: T,
    fn: (em: EntityManager, session: QbwcSession, log: Logger) => Promise<T>,
  ): Promise<T> {
    return this.inTransaction(async (em) => {
      if (this.sweepDue()) await this.expireIdleSessions(em);
      const session = await this.findSession(em, origin, ticket, true, true);
      if (!session) {
        this.log.warn({ ticket: fingerprint(ticket), step, state: 'unknown' }, 'call for a session that is not active');
        return whenMissing;
      }
      try {
        return await this.serveActive(em, session, step, whenMissing, fn);
      } finally {
        this.track(session);
      }
    });
  }

  /** A call of a session found by its ticket: served only while the session is active and may still be. */
  private async serveActive<T>(
    em: EntityManager,
    session: QbwcSession,
    step: string,
    whenMissing: T,
    fn: (em: EntityManager, session: QbwcSession, log: Logger) => Promise<T>,
  ): Promise<T> {
    if (session.state !== SessionState.ACTIVE) {
      this.log.warn({ ticket: fingerprint(session.ticket), step, state: session.state }, 'call for a session that is not active');
      return whenMissing;
    }
    const access = accessOfLoaded(session);
    if (access && access.lastCallAt < this.idleCutoff()) {
      // Idle too long, and no sweep has ended it yet (sweepDue): ended as the sweep would have.
      await this.expire(em, session);
      return whenMissing;
    }
    const lost = access ? this.lostAccess(access) : 'the session no longer exists';
    if (lost) {
      // Taken away since authenticate: nothing more goes to QuickBooks, not even this call's answer is used.
      await this.endAbandoned(em, session, `access ended: ${lost}`, SessionState.FAILED,
        `This Web Connector session was stopped because ${lost}. Nothing more is sent to QuickBooks, and items in flight will be reconciled at the next update.`);
      return whenMissing;
    }
    const result = await fn(em, session, this.sessionLog(session));
    // Set last, so the call writes the session row once, at its end, with whatever else changed (a flush during
    // the call, before a query of the work sources, would write it apart).
    session.lastCallAt = new Date();
    return result;
  }

  /**
   * The session for a ticket, with its connector, only when it belongs to the registration in the call's URL.
   * Only the session row is locked. What `lostAccess` re-checks on every call comes in the same statement, a few
   * columns (`withAccess`: the session's `access` formula), and the connector's company only by the calls that
   * need it (the identity check).
   */
  private async findSession(em: EntityManager, origin: CallOrigin, ticket: string, lock = false, withAccess = false): Promise<QbwcSession | null> {
    if (!ticket || !origin.registrationId) return null;
    return loadSession(em, { ticket, registrationId: origin.registrationId }, { lock, withAccess });
  }

  /** The session's place in this process' admission: kept while it is active, given back once it has ended. */
  private track(session: QbwcSession): void {
    if (session.state === SessionState.ACTIVE) this.admission.touch(session.id);
    else this.admission.end(session.id);
  }

  private async failUnexpectedly<T>(ticket: string, step: string, error: unknown, result: T): Promise<T> {
    this.log.error({ err: error, ticket: fingerprint(ticket), step }, 'Web Connector call failed unexpectedly');
    try {
      await this.inTransaction(async (em) => {
        const session = await em.findOne(QbwcSession, { ticket }, { populate: ['connector'] });
        if (session?.state === SessionState.ACTIVE) {
          const log = this.sessionLog(session);
          // The failed call's transaction rolled back: the session still holds the requests last sent, whose fate is
          // unknown, and the follow-ups it would have sent. Settled now, as an abandoned session's are, or their items
          // would stay SENT with no session left to end.
          await this.settleUnknown(this.context(em, session, log), await leftBehind(em, session), `the service failed while handling ${step}`);
          this.fail(session, log, 'The qbd-bridge service had an internal error (it has been logged). Items in flight will be reconciled; run the update again.', null);
        }
        if (session) this.track(session);
      });
    } catch {
      // The database may be what failed; getLastError then answers with a generic message.
    }
    return result;
  }

  private context(em: EntityManager, session: QbwcSession, logger: Logger): WorkContext {
    return { em, connector: session.connector, session, qbxmlVersion: session.qbxmlVersion ?? session.connector.qbxmlVersionCap, logger };
  }

  private source(id: string): WorkSource | undefined {
    return this.deps.sources.find((s) => s.id === id);
  }

  private sessionLog(session: QbwcSession): Logger {
    return this.log.child({ session: session.id, ticket: fingerprint(session.ticket), connector: session.connector.id });
  }

  private inTransaction<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.connections.run(() => asActor({ id: 'qbwc', name: 'Web Connector' }, () => this.deps.orm.em.fork().transactional(fn)));
  }
}

/**
 * What a session that ends now leaves behind, taken from it: the requests in flight (whether QuickBooks applied
 * them is unknown) and the follow-ups it will never send (their items' earlier requests did reach QuickBooks).
 * Their sources settle both as outcome unknown, reconciled at the next update; dropped, their items would stay
 * sent with no session left to answer them.
 */
async function leftBehind(em: EntityManager, session: QbwcSession, inFlight?: readonly SentRequest[]): Promise<SentRequest[]> {
  const left = [...(inFlight ?? (await takeInFlight(em, session.id))), ...session.followUps];
  session.followUps = [];
  return left;
}

/** "12 sent, 11 succeeded, 1 failed" */
export function summary(session: Pick<QbwcSession, 'sentCount' | 'succeededCount' | 'failedCount'>): string {
  return `${session.sentCount} sent, ${session.succeededCount} succeeded, ${session.failedCount} failed`;
}

/** Enough of a ticket to follow it through the logs without making the log a key store. */
function fingerprint(ticket: string): string {
  return ticket ? `${ticket.slice(0, 8)}…` : '(none)';
}

