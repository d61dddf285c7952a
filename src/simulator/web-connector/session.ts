/**
 * One Web Connector update, call for call as QBWC runs it (docs/qbwc-qbxml.md §3):
 *
 *   serverVersion → clientVersion → authenticate → [open QuickBooks / connectionError]
 *   → (sendRequestXML → QuickBooks → receiveResponseXML)* → closeConnection
 *
 * Decisions marked [G] are not confirmed by a source and are documented where they are made.
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { XMLParser } from 'fast-xml-parser';
import type { QbxmlProcessResult, SimulatedQuickBooks } from '../quickbooks-host.js';
import { QBXMLRP2_ERRORS, type HresultError } from './hresults.js';
import { LOG_SOURCE, QbwcLog } from './log.js';
import { parseQwc, QwcValidationError, type QwcFile } from './qwc.js';
import { callSoap, SoapCallError, type QbwcOperation, type SoapParam } from './soap-transport.js';
import type {
  PostedResponse,
  RequestSelector,
  SoapCallRecord,
  WebConnectorOutcome,
  WebConnectorRunOptions,
  WebConnectorRunResult,
} from './types.js';

/** The QBWC release the emulator claims to be (the version seen in jsgoupil/quickbooks-sync#62's log). */
export const EMULATED_QBWC_VERSION = '2.3.0.215';

const DEFAULT_TIMEOUT_MS = 100_000;
const DEFAULT_NOOP_PAUSE_MS = 5_000;
const DEFAULT_MAX_CALLS = 10_000;

/** Special getLastError answers (consolibyte QuickBooks.php constants). */
const NOOP = 'NoOp';
const INTERACTIVE_MODE = 'Interactive mode';

/** Ends the run from inside: an outcome plus the message the user would see. */
class EndOfRun {
  constructor(
    readonly outcome: WebConnectorOutcome,
    readonly lastError?: string,
  ) {}
}

function selects(selector: RequestSelector | boolean | undefined, requestIndex: number): boolean {
  if (selector === undefined || selector === false) return false;
  if (selector === true) return true;
  if (typeof selector === 'number') return selector === requestIndex;
  if (typeof selector === 'function') return selector(requestIndex);
  return selector.includes(requestIndex);
}

/** Windows paths: case-insensitive, either slash. */
function samePath(a: string, b: string): boolean {
  const norm = (p: string) => p.trim().replace(/\//g, '\\').toLowerCase();
  return norm(a) === norm(b);
}

function optionalInt(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return /^\s*-?\d+\s*$/.test(value) ? Number(value) : undefined;
}

const hcpParser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (name) => name === 'DataExtRet' || name === 'CompanyQueryRs',
});

/** The FileID data extension stored under `ownerId` in a HostQuery/CompanyQuery/PreferencesQuery response. */
export function fileIdFromHcpResponse(hcpXml: string, ownerId: string): string | undefined {
  try {
    const doc = hcpParser.parse(hcpXml) as Record<string, any>;
    const companies: any[] = doc?.['QBXML']?.['QBXMLMsgsRs']?.['CompanyQueryRs'] ?? [];
    for (const rs of companies) {
      for (const ext of rs?.['CompanyRet']?.['DataExtRet'] ?? []) {
        if (
          String(ext?.['OwnerID'] ?? '').toLowerCase() === ownerId.toLowerCase() &&
          String(ext?.['DataExtName'] ?? '') === 'FileID'
        ) {
          return String(ext?.['DataExtValue'] ?? '');
        }
      }
    }
  } catch {
    // An unparsable HCP response simply has no FileID; the server will see the same text.
  }
  return undefined;
}

/** Runs one update against the QWC's AppURL. Throws `QwcValidationError` for a QWC file QBWC would refuse. */
export async function runWebConnectorUpdate(options: WebConnectorRunOptions): Promise<WebConnectorRunResult> {
  let qwc = options.qwc;
  if (qwc === undefined) {
    if (options.qwcXml !== undefined) qwc = parseQwc(options.qwcXml);
    else if (options.qwcPath !== undefined) qwc = parseQwc(await readFile(options.qwcPath, 'utf8'));
    else throw new TypeError('runWebConnectorUpdate needs qwcXml, qwcPath or qwc');
  }
  const unsupported: string[] = [];
  if (qwc.qbType !== 'QBFS') {
    unsupported.push(`QBType ${qwc.qbType}: the emulator drives QuickBooks Financial Software (QBFS) only`);
  }
  if (qwc.style !== undefined && qwc.style.toLowerCase() !== 'document') {
    unsupported.push(`Style ${qwc.style}: the emulator speaks the default Document style only`);
  }
  if (unsupported.length > 0) throw new QwcValidationError(unsupported);
  return new UpdateSession(qwc, options).run();
}

class UpdateSession {
  private readonly log: QbwcLog;
  private readonly calls: SoapCallRecord[] = [];
  private readonly requests: string[] = [];
  private readonly responses: PostedResponse[] = [];
  private readonly timeoutMs: number;
  private readonly noOpPauseMs: number;
  private readonly maxCalls: number;
  private readonly clientVersion: string;

  private serverVersion: string | undefined;
  private warning: string | undefined;
  private ticket: string | undefined;
  private companyFilePath: string | undefined;
  private companyFileId: string | undefined;
  private waitBeforeNextUpdateSeconds: number | undefined;
  private minimumRunEveryNSeconds: number | undefined;
  private percentDone: number | undefined;
  private closeConnectionResult: string | undefined;

  constructor(
    private readonly qwc: QwcFile,
    private readonly options: WebConnectorRunOptions,
  ) {
    this.log = new QbwcLog(options.log, options.now);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.noOpPauseMs = options.noOpPauseMs ?? DEFAULT_NOOP_PAUSE_MS;
    this.maxCalls = options.maxCalls ?? DEFAULT_MAX_CALLS;
    this.clientVersion = options.clientVersion ?? EMULATED_QBWC_VERSION;
  }

  async run(): Promise<WebConnectorRunResult> {
    const { qwc, log } = this;
    log.info(LOG_SOURCE.registry, '********************* Update session locked *********************');
    log.info(LOG_SOURCE.instantiate, 'Initiated connection to the following application.');
    log.info(LOG_SOURCE.instantiate, `AppName: ${qwc.appName}`);
    log.info(LOG_SOURCE.instantiate, `AppUniqueName (if available): ${qwc.appUniqueName ?? qwc.appName}`);
    log.info(LOG_SOURCE.instantiate, `AppURL: ${qwc.appUrl}`);

    let end: EndOfRun;
    try {
      end = await this.update();
    } catch (error) {
      end = this.endFromError(error);
    }

    switch (end.outcome) {
      case 'completed':
        log.info(LOG_SOURCE.update, 'Update completed successfully.');
        break;
      case 'no-work':
        log.info(LOG_SOURCE.update, 'No data exchange required.');
        break;
      case 'postponed':
        log.info(LOG_SOURCE.update, 'Update postponed by application.');
        break;
      case 'busy':
        log.warn(LOG_SOURCE.update, 'The web service is busy; the update will be tried again at the next scheduled time.');
        break;
      case 'nvu':
        log.error(LOG_SOURCE.update, 'Authentication failed. See log (QWClog.txt) for details.');
        break;
      default:
        log.error(LOG_SOURCE.update, 'Update completed with errors. See log (QWClog.txt) for details.');
    }
    log.info(LOG_SOURCE.registry, '********************* Update session unlocked *********************');

    return Object.freeze({
      outcome: end.outcome,
      calls: this.calls,
      requests: this.requests,
      responses: this.responses,
      lastError: end.lastError,
      warning: this.warning,
      serverVersion: this.serverVersion,
      ticket: this.ticket,
      companyFilePath: this.companyFilePath,
      companyFileId: this.companyFileId,
      waitBeforeNextUpdateSeconds: this.waitBeforeNextUpdateSeconds,
      minimumRunEveryNSeconds: this.minimumRunEveryNSeconds,
      percentDone: this.percentDone,
      closeConnectionResult: this.closeConnectionResult,
      log: log.text(),
      logEntries: log.entries,
    });
  }

  /** Transport failures end the update on the spot: QBWC reports the exception and calls nothing else [G for "nothing else"]. */
  private endFromError(error: unknown): EndOfRun {
    if (error instanceof EndOfRun) return error;
    if (error instanceof SoapCallError) {
      if (error.kind === 'aborted') {
        this.log.warn(LOG_SOURCE.emulator, `The update was cancelled during ${error.operation}().`);
        return new EndOfRun('aborted', 'The update was cancelled.');
      }
      const source = LOG_SOURCE[error.operation];
      if (error.operation === 'authenticate') {
        // QBWC1012 text: consolibyte/quickbooks-php#240.
        this.log.error(source, `QBWC1012: Authentication failed due to following error message.\n${error.message}`);
      } else if (error.operation === 'receiveResponseXML') {
        // QBWC1042 text: consolibyte/quickbooks-php#248.
        this.log.error(source, `QBWC1042: ReceiveResponseXML failed\nError message: ${error.message}`);
      } else {
        this.log.error(source, `${error.operation}() failed.\nError message: ${error.message}`);
      }
      return new EndOfRun('error', error.message);
    }
    const message = error instanceof Error ? error.message : String(error);
    this.log.error(LOG_SOURCE.emulator, `Unexpected emulator failure: ${message}`);
    return new EndOfRun('error', message);
  }

  private async update(): Promise<EndOfRun> {
    const { qwc, log, options } = this;

    // 1. serverVersion
    log.info(LOG_SOURCE.serverVersion, '*** Calling serverVersion().');
    this.serverVersion = await this.callString('serverVersion', []);
    log.info(LOG_SOURCE.serverVersion, `Received from serverVersion() following parameter:<serverVersionRet="${this.serverVersion}">`);

    // 2. clientVersion
    log.info(LOG_SOURCE.clientVersion, `*** Calling clientVersion() with following parameter:<productVersion="${this.clientVersion}">`);
    const clientVersionRet = await this.callString('clientVersion', [['strVersion', this.clientVersion]]);
    log.info(LOG_SOURCE.clientVersion, `Received from clientVersion() following parameter:<clientVersionRet="${clientVersionRet}">`);
    const versionEnd = this.handleClientVersion(clientVersionRet);
    if (versionEnd) return versionEnd;

    // 3. authenticate
    log.info(LOG_SOURCE.authenticate, `Authenticating to application '${qwc.appName}', username = '${qwc.userName}'`);
    log.info(LOG_SOURCE.authenticate, `*** Calling authenticate() with following parameters:<userName="${qwc.userName}"><password=<MaskedForSecurity>`);
    const authRet = await this.callStrings('authenticate', [
      ['strUserName', qwc.userName],
      ['strPassword', options.password],
    ]);
    log.info(
      LOG_SOURCE.authenticate,
      'Received from authenticate() following parameters:' +
        Array.from({ length: Math.max(4, authRet.length) }, (_, i) => `<authRet[${i}]="${authRet[i] ?? ''}">`).join(''),
    );
    const ticket = authRet[0] ?? '';
    const status = authRet[1] ?? '';
    this.ticket = ticket === '' ? undefined : ticket;
    this.readWaitHints(authRet);

    // QBWC compares the special values case-insensitively (a service answering "NONE" gets
    // "No data exchange required": RappidDevelopment/quickbooks-js#15).
    switch (status.toLowerCase()) {
      case 'nvu':
        log.error(LOG_SOURCE.authenticate, 'QBWC1012: Authentication failed: the web service does not recognise this user name and password (authenticate returned "nvu").');
        return new EndOfRun('nvu', 'Authentication failed: invalid user name or password.');
      case 'none':
        log.info(LOG_SOURCE.authenticate, `QBWC1016: Special returned in authenticate(): ${status}. No data exchange required.${this.waitHintsText()}`);
        return new EndOfRun('no-work');
      case 'busy':
        log.warn(LOG_SOURCE.authenticate, `Special returned in authenticate(): ${status}. The web service is busy; the update will be retried later.${this.waitHintsText()}`);
        return new EndOfRun('busy', 'The web service is busy.');
    }
    if (this.waitBeforeNextUpdateSeconds !== undefined && this.waitBeforeNextUpdateSeconds > 0) {
      // QBWC guide (quoted in johnballantyne/qbws#2): authRet[1]="" with authRet[2]=x ⇒ "the update is
      // postponed by x seconds", shown as "Last Result- Update postponed by application".
      log.info(LOG_SOURCE.authenticate, `Update postponed by application for ${this.waitBeforeNextUpdateSeconds} seconds.${this.waitHintsText()}`);
      return new EndOfRun('postponed');
    }
    if (this.ticket === undefined) {
      // [G] QBWC needs a ticket for every later call; an empty one with work to do is a broken service.
      log.error(LOG_SOURCE.authenticate, 'authenticate() returned an empty ticket together with work to do.');
      return new EndOfRun('error', 'authenticate() returned an empty session ticket.');
    }

    // 4. Open QuickBooks with the requested company file, with connectionError on failure.
    const open = options.faults?.differentCompanyFile ?? options.quickbooks;
    const connected = await this.connect(open, status);
    if (connected) return connected;
    this.companyFilePath = open.companyFilePath;

    // 5. The FileID stamp: "The Web Connector stores this as an extension to the company record with a
    // specific OwnerID … the first time the Web Connector connects to the company" (QWC FileID docs), so it
    // is written only when the file has no FileID under this OwnerID yet.
    let hcp = open.hostCompanyPreferencesResponse(qwc.ownerId);
    const existing = fileIdFromHcpResponse(hcp, qwc.ownerId);
    if (existing === undefined) {
      open.stampFileId(qwc.ownerId, qwc.fileId);
      hcp = open.hostCompanyPreferencesResponse(qwc.ownerId);
      log.info(LOG_SOURCE.openConnection, `Stamped FileID ${qwc.fileId} under OwnerID ${qwc.ownerId} in the company file (first connection).`);
    } else if (existing.toLowerCase() !== qwc.fileId.toLowerCase()) {
      log.warn(
        LOG_SOURCE.openConnection,
        `The company file already holds FileID ${existing} under OwnerID ${qwc.ownerId}, not this QWC's ${qwc.fileId}: it was connected to another application entry before.`,
      );
    }
    this.companyFileId = fileIdFromHcpResponse(hcp, qwc.ownerId);

    // 6. The request/response loop.
    return this.exchange(open, hcp);
  }

  private handleClientVersion(ret: string): EndOfRun | undefined {
    const { log } = this;
    if (ret === '') return undefined;
    const prefix = ret.slice(0, 2).toUpperCase();
    const text = ret.slice(2);
    if (prefix === 'W:') {
      this.warning = text;
      log.warn(LOG_SOURCE.clientVersion, `The web service sent a warning: ${text}`);
      if (this.options.continueOnWarning === false) {
        log.warn(LOG_SOURCE.clientVersion, 'The user chose not to continue the update.');
        return new EndOfRun('aborted', text);
      }
      log.info(LOG_SOURCE.clientVersion, 'The user chose to continue the update.');
      return undefined;
    }
    if (prefix === 'E:') {
      log.error(LOG_SOURCE.clientVersion, `The web service refused this Web Connector version: ${text}`);
      return new EndOfRun('error', text);
    }
    if (prefix === 'O:') {
      const message = `This application requires QuickBooks Web Connector version ${text} or later (this is ${this.clientVersion}). Please upgrade the Web Connector.`;
      log.error(LOG_SOURCE.clientVersion, message);
      return new EndOfRun('error', message);
    }
    // [G] Anything else is not one of the documented answers; QBWC is taken to carry on.
    log.warn(LOG_SOURCE.clientVersion, `Unrecognised clientVersion() answer "${ret}"; continuing.`);
    return undefined;
  }

  private readWaitHints(authRet: readonly string[]): void {
    const wait = optionalInt(authRet[2]);
    const runEvery = optionalInt(authRet[3]);
    if (authRet[2] !== undefined && authRet[2].trim() !== '' && wait === undefined) {
      this.log.warn(LOG_SOURCE.authenticate, `authRet[2]="${authRet[2]}" is not a whole number of seconds; ignored.`);
    }
    if (authRet[3] !== undefined && authRet[3].trim() !== '' && runEvery === undefined) {
      this.log.warn(LOG_SOURCE.authenticate, `authRet[3]="${authRet[3]}" is not a whole number of seconds; ignored.`);
    }
    this.waitBeforeNextUpdateSeconds = wait;
    this.minimumRunEveryNSeconds = runEvery;
  }

  private waitHintsText(): string {
    const parts: string[] = [];
    if (this.waitBeforeNextUpdateSeconds !== undefined) parts.push(`next update in ${this.waitBeforeNextUpdateSeconds} s`);
    if (this.minimumRunEveryNSeconds !== undefined) parts.push(`run at most every ${this.minimumRunEveryNSeconds} s`);
    return parts.length === 0 ? '' : ` (${parts.join('; ')})`;
  }

  /**
   * Opens the company file authenticate asked for. On failure QBWC calls connectionError; "done" ends the
   * update, any other answer is a company file path ("" = the open file) to try once more. A second failure
   * is reported through connectionError again and ends the update whatever the answer [G: QBWC's retry count].
   * Returns an EndOfRun when the connection could not be made.
   */
  private async connect(open: SimulatedQuickBooks, requested: string): Promise<EndOfRun | undefined> {
    const { log } = this;
    let target = requested;
    for (let attempt = 1; ; attempt++) {
      log.info(
        LOG_SOURCE.openConnection,
        target === '' ? 'Opening a connection to the company file currently open in QuickBooks.' : `Opening a connection to company file "${target}".`,
      );
      const failure = this.openFailure(open, target);
      if (failure === undefined) {
        log.info(LOG_SOURCE.openConnection, `Connected to company file "${open.companyFilePath}".`);
        return undefined;
      }
      log.error(LOG_SOURCE.openConnection, `Could not open the company file.\nHRESULT = ${failure.hresult}\nMessage: ${failure.message}`);
      log.info(LOG_SOURCE.connectionError, `*** Calling connectionError() with following parameters:<wcTicket="${this.ticket}"><hresult="${failure.hresult}"><message="${failure.message}">`);
      const reply = await this.callString('connectionError', [
        ['ticket', this.ticket ?? ''],
        ['hresult', failure.hresult],
        ['message', failure.message],
      ]);
      log.info(LOG_SOURCE.connectionError, `Received from connectionError() following parameter:<connectionErrorRet="${reply}">`);
      if (reply.toLowerCase() === 'done' || attempt >= 2) {
        if (reply.toLowerCase() !== 'done') {
          log.error(LOG_SOURCE.connectionError, 'The retry with the company file named by connectionError() failed too; giving up.');
        }
        // [G] docs §2.8: closeConnection also ends the error flows.
        await this.closeConnection();
        return new EndOfRun('error', failure.message);
      }
      target = reply;
      log.info(LOG_SOURCE.connectionError, `Retrying with company file ${reply === '' ? '(the one currently open)' : `"${reply}"`}.`);
    }
  }

  private openFailure(open: SimulatedQuickBooks, target: string): HresultError | undefined {
    if (this.options.faults?.quickBooksNotRunning) return QBXMLRP2_ERRORS.couldNotStart;
    if (target !== '' && !samePath(target, open.companyFilePath)) return QBXMLRP2_ERRORS.differentFileOpen;
    return undefined;
  }

  private async exchange(open: SimulatedQuickBooks, hcp: string): Promise<EndOfRun> {
    const { log, options } = this;
    const ticket = this.ticket ?? '';
    const { major, minor } = open.maxQbxmlVersion;
    let first = true;
    let requestIndex = 0;

    for (;;) {
      log.info(LOG_SOURCE.sendRequestXML, `*** Calling sendRequestXML() with following parameters:<wcTicket="${ticket}">`);
      if (first) log.info(LOG_SOURCE.sendRequestXML, `strHCPResponse = XML dump follows: -\n${hcp}`);
      log.info(LOG_SOURCE.sendRequestXML, `strCompanyFileName="${open.companyFilePath}"`);
      log.info(LOG_SOURCE.sendRequestXML, `qbNationality="${open.country}"`);
      log.info(LOG_SOURCE.sendRequestXML, `qbXMLMajorVers="${major}"`);
      log.info(LOG_SOURCE.sendRequestXML, `qbXMLMinorVers="${minor}"`);
      const request = await this.callString('sendRequestXML', [
        ['ticket', ticket],
        ['strHCPResponse', first ? hcp : ''],
        ['strCompanyFileName', open.companyFilePath],
        ['qbXMLCountry', open.country],
        ['qbXMLMajorVers', major],
        ['qbXMLMinorVers', minor],
      ]);
      first = false;
      log.info(LOG_SOURCE.sendRequestXML, 'Received from sendRequestXML() following parameter:');

      if (request === '') {
        log.info(LOG_SOURCE.sendRequestXML, 'strRequestXML = (empty): the web service has nothing to send or reports an error; calling getLastError().');
        const next = await this.lastErrorDecision();
        if (next === 'again') continue;
        return next;
      }

      requestIndex++;
      this.requests.push(request);
      log.info(LOG_SOURCE.sendRequestXML, `strRequestXML =\n${request}`);
      log.info(LOG_SOURCE.sendRequestXML, 'Request xml received.');

      const answer = this.runInQuickBooks(open, request, requestIndex);

      if (selects(options.faults?.loseResponseAfterProcessing, requestIndex)) {
        log.error(
          LOG_SOURCE.emulator,
          `Fault injected: the Web Connector stops after QuickBooks processed request #${requestIndex}; receiveResponseXML() is never called.`,
        );
        return new EndOfRun(
          'aborted',
          `The Web Connector stopped after QuickBooks processed request #${requestIndex} and before posting its response.`,
        );
      }

      log.info(LOG_SOURCE.receiveResponseXML, `*** Calling receiveResponseXML() with following parameters:<wcTicket="${ticket}">`);
      if (answer.hresult === '') {
        log.info(LOG_SOURCE.receiveResponseXML, `response = XML dump follows: -\n${answer.response}`);
      } else {
        log.info(LOG_SOURCE.receiveResponseXML, `hresult="${answer.hresult}" message="${answer.message}"`);
      }
      const percent = await this.callInt('receiveResponseXML', [
        ['ticket', ticket],
        ['response', answer.response],
        ['hresult', answer.hresult],
        ['message', answer.message],
      ]);
      this.responses.push({ requestIndex, ...answer });
      this.percentDone = percent;
      log.info(LOG_SOURCE.receiveResponseXML, `Received from receiveResponseXML() following parameter:<percentDone="${percent}">`);

      if (percent < 0) {
        log.warn(LOG_SOURCE.receiveResponseXML, 'receiveResponseXML() returned a negative value; calling getLastError().');
        const next = await this.lastErrorDecision();
        if (next === 'again') continue;
        return next;
      }
      if (percent >= 100) {
        log.info(LOG_SOURCE.receiveResponseXML, 'The web service reports 100% done.');
        await this.closeConnection();
        return new EndOfRun('completed');
      }
    }
  }

  /** Runs one message through QBXMLRP2, honouring the modal-dialog fault. */
  private runInQuickBooks(open: SimulatedQuickBooks, request: string, requestIndex: number): Omit<PostedResponse, 'requestIndex'> {
    const { log } = this;
    log.info(LOG_SOURCE.processRequest, `Processing request #${requestIndex}`);
    log.info(LOG_SOURCE.processRequest, `REQUEST: received from application: size (bytes) = ${Buffer.byteLength(request, 'utf8')}`);
    log.info(LOG_SOURCE.processRequest, 'Sending request to QuickBooks.');

    let result: QbxmlProcessResult;
    if (selects(this.options.faults?.modalDialog, requestIndex)) {
      // The dialog blocks QuickBooks: the request is never processed and QBXMLRP2 reports the HRESULT.
      log.warn(LOG_SOURCE.processRequest, 'Fault injected: a modal dialog is open in QuickBooks; the request is not processed.');
      result = { kind: 'error', ...QBXMLRP2_ERRORS.modalDialog };
    } else {
      try {
        result = open.process(request);
      } catch (error) {
        log.error(LOG_SOURCE.processRequest, `QuickBooks failed while processing the request: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
        result = { kind: 'error', ...QBXMLRP2_ERRORS.unexpected };
      }
    }

    if (result.kind === 'error') {
      log.error(LOG_SOURCE.processRequest, `Sending error message back to application:\nHRESULT = ${result.hresult}\nMessage: ${result.message}`);
      return { response: '', hresult: result.hresult, message: result.message };
    }
    log.info(LOG_SOURCE.processRequest, `RESPONSE: received from QuickBooks: size (bytes) = ${Buffer.byteLength(result.responseXml, 'utf8')}`);
    log.info(LOG_SOURCE.processRequest, 'Sending response back to application.');
    return { response: result.responseXml, hresult: '', message: '' };
  }

  /**
   * getLastError after an empty sendRequestXML or a negative receiveResponseXML: "NoOp" pauses and asks for
   * another request, "Interactive mode" is not supported, any other text ends the update with that message.
   */
  private async lastErrorDecision(): Promise<EndOfRun | 'again'> {
    const { log } = this;
    log.info(LOG_SOURCE.getLastError, `*** Calling getLastError() with following parameter:<wcTicket="${this.ticket}">`);
    const message = await this.callString('getLastError', [['ticket', this.ticket ?? '']]);
    log.info(LOG_SOURCE.getLastError, `Received from getLastError() following parameter:<lastError="${message}">`);
    if (message === NOOP) {
      log.info(LOG_SOURCE.getLastError, `NoOp: the web service asks to wait; pausing ${this.noOpPauseMs} ms before calling sendRequestXML() again.`);
      await sleep(this.noOpPauseMs, undefined, this.options.signal ? { signal: this.options.signal } : undefined).catch(() => {
        throw new SoapCallError('getLastError', 'aborted', 'The request was aborted: The request was canceled.');
      });
      return 'again';
    }
    if (message === INTERACTIVE_MODE) {
      log.error(
        LOG_SOURCE.getLastError,
        'getLastError() asked for interactive mode (getInteractiveURL); the emulator does not support interactive sessions.',
      );
      await this.closeConnection();
      return new EndOfRun('error', 'Interactive mode requested by the web service is not supported by the emulator.');
    }
    log.error(LOG_SOURCE.getLastError, `The web service reported: ${message}`);
    await this.closeConnection();
    return new EndOfRun('error', message);
  }

  private async closeConnection(): Promise<void> {
    const { log } = this;
    log.info(LOG_SOURCE.closeConnection, `*** Calling closeConnection() with following parameter:<wcTicket="${this.ticket}">`);
    this.closeConnectionResult = await this.callString('closeConnection', [['ticket', this.ticket ?? '']]);
    log.info(LOG_SOURCE.closeConnection, `Received from closeConnection() following parameter:<closeConnectionRet="${this.closeConnectionResult}">`);
  }

  // ---- SOAP plumbing -------------------------------------------------------------------------------

  private async callString(operation: QbwcOperation, params: readonly SoapParam[]): Promise<string> {
    const result = await this.call(operation, params, (raw) => (typeof raw === 'string' ? raw : ''));
    return result;
  }

  private async callStrings(operation: QbwcOperation, params: readonly SoapParam[]): Promise<string[]> {
    return this.call(operation, params, (raw) => (Array.isArray(raw) ? raw.map(String) : []));
  }

  /** Ints must be whole numbers: "QBWC throws an error if the return value contains a decimal" (QBWS). */
  private async callInt(operation: QbwcOperation, params: readonly SoapParam[]): Promise<number> {
    return this.call(operation, params, (raw) => {
      const text = typeof raw === 'string' ? raw.trim() : '';
      if (!/^-?\d+$/.test(text)) {
        throw new SoapCallError(operation, 'malformed', `Input string was not in a correct format (${operation}Result = "${text}").`);
      }
      return Number(text);
    });
  }

  private async call<T extends string | string[] | number>(
    operation: QbwcOperation,
    params: readonly SoapParam[],
    convert: (raw: unknown) => T,
  ): Promise<T> {
    if (this.options.signal?.aborted) {
      throw new SoapCallError(operation, 'aborted', 'The request was aborted: The request was canceled.');
    }
    if (this.calls.length >= this.maxCalls) {
      this.log.error(LOG_SOURCE.emulator, `Stopping: the run reached the limit of ${this.maxCalls} SOAP calls.`);
      throw new EndOfRun('aborted', `The run reached the limit of ${this.maxCalls} SOAP calls.`);
    }
    const index = this.calls.length + 1;
    const args = Object.fromEntries(params.map(([name, value]) => [name, name === 'strPassword' ? '********' : value]));
    const started = performance.now();
    try {
      const { result, exchange } = await callSoap(operation, params, {
        url: this.qwc.appUrl,
        timeoutMs: this.timeoutMs,
        ...(this.options.signal ? { signal: this.options.signal } : {}),
      });
      const value = convert(result);
      this.calls.push({ index, operation, args, result: value, httpStatus: exchange.httpStatus, durationMs: performance.now() - started });
      return value;
    } catch (error) {
      if (error instanceof SoapCallError) {
        this.calls.push({
          index,
          operation,
          args,
          error: { kind: error.kind, message: error.message, ...(error.httpStatus !== undefined ? { httpStatus: error.httpStatus } : {}) },
          ...(error.httpStatus !== undefined ? { httpStatus: error.httpStatus } : {}),
          durationMs: performance.now() - started,
        });
      }
      throw error;
    }
  }
}
