/** Public types of the Web Connector emulator. */
import type { SimulatedQuickBooks } from '../quickbooks-host.js';
import type { QbwcLogEntry, QbwcLogSink } from './log.js';
import type { QwcFile } from './qwc.js';
import type { QbwcOperation, SoapFailureKind } from './soap-transport.js';

/** Picks the qbXML request messages a fault applies to: a 1-based ordinal, a list of them, or a predicate. */
export type RequestSelector = number | readonly number[] | ((requestIndex: number) => boolean);

/**
 * Faults on the Web Connector / QuickBooks side. Faults of the web service itself (HTTP 5xx, slow answers,
 * garbage) are the server's behaviour: the emulator just reacts to them as QBWC does.
 */
export interface WebConnectorFaults {
  /**
   * QuickBooks processes the selected request message (the company file changes), then the Web Connector
   * dies before posting receiveResponseXML: no further call, no closeConnection, outcome `aborted`.
   */
  readonly loseResponseAfterProcessing?: RequestSelector;
  /**
   * Another company file is open in QuickBooks instead of `quickbooks`: authenticate's `""` connects to this
   * one (its FileID shows in strHCPResponse), and a path naming the expected file fails with 0x8004040A.
   */
  readonly differentCompanyFile?: SimulatedQuickBooks;
  /** QuickBooks cannot be started: every connection attempt fails with 0x80040408 "Could not start QuickBooks." */
  readonly quickBooksNotRunning?: boolean;
  /**
   * A modal dialog blocks QuickBooks while the selected request messages (default: all) would run: they are
   * not processed and QBWC posts receiveResponseXML with hresult 0x80040414.
   */
  readonly modalDialog?: boolean | RequestSelector;
}

export interface WebConnectorRunOptions {
  /** The QWC file's XML. One of `qwcXml`, `qwcPath`, `qwc` is required. */
  readonly qwcXml?: string;
  readonly qwcPath?: string;
  /** An already parsed QWC file. */
  readonly qwc?: QwcFile;
  /** What the user typed into QBWC's password column. */
  readonly password: string;
  /** The running QuickBooks with its open company file. */
  readonly quickbooks: SimulatedQuickBooks;
  readonly faults?: WebConnectorFaults;
  /** Per-call HTTP timeout (QBWC is a .NET SOAP client: default 100 000 ms). */
  readonly timeoutMs?: number;
  /** Pause after getLastError answers "NoOp" (QBWC: about 5 s; tests use 0). */
  readonly noOpPauseMs?: number;
  /** Version string sent to clientVersion. Default `2.3.0.215`. */
  readonly clientVersion?: string;
  /** After a `W:` answer QBWC asks the user; `true` (default) continues, `false` cancels (outcome `aborted`). */
  readonly continueOnWarning?: boolean;
  /** Receives each log line as it is written. */
  readonly log?: QbwcLogSink;
  /** Clock for log timestamps. */
  readonly now?: () => Date;
  /** Safety net against a server that never finishes (NoOp forever...): outcome `aborted` after this many SOAP calls. Default 10 000. */
  readonly maxCalls?: number;
  /** Cancels the run (outcome `aborted`). */
  readonly signal?: AbortSignal;
}

export type WebConnectorOutcome =
  /** receiveResponseXML reached 100 and closeConnection was called. */
  | 'completed'
  /** authenticate answered "none". */
  | 'no-work'
  /** authenticate answered "" or a path together with a wait time: QBWC postpones the update (guide, authRet[2] example 1). */
  | 'postponed'
  /** authenticate answered "nvu". */
  | 'nvu'
  /** authenticate answered "busy". */
  | 'busy'
  /** The update failed: clientVersion E:/O:, connection error, getLastError message, negative progress, HTTP/SOAP failure. */
  | 'error'
  /** The Web Connector stopped on its own: a lost-response fault, a cancelled warning, the call limit, or `signal`. */
  | 'aborted';

export interface SoapCallRecord {
  /** 1-based position in the run. */
  readonly index: number;
  readonly operation: QbwcOperation;
  /** Arguments as sent (the password is masked). */
  readonly args: Readonly<Record<string, string | number>>;
  /** The parsed result: string, `string[]` for authenticate, number for receiveResponseXML. */
  readonly result?: string | readonly string[] | number;
  /** Set when the call failed. */
  readonly error?: { readonly kind: SoapFailureKind; readonly message: string; readonly httpStatus?: number };
  readonly httpStatus?: number;
  readonly durationMs: number;
}

export interface PostedResponse {
  /** 1-based ordinal of the request message this answers. */
  readonly requestIndex: number;
  readonly response: string;
  readonly hresult: string;
  readonly message: string;
}

export interface WebConnectorRunResult {
  readonly outcome: WebConnectorOutcome;
  /** Every SOAP call made, in order. */
  readonly calls: readonly SoapCallRecord[];
  /** qbXML request messages received from sendRequestXML (non-empty answers), in order. */
  readonly requests: readonly string[];
  /** What was posted to receiveResponseXML, in order. */
  readonly responses: readonly PostedResponse[];
  /** The message the user would see: getLastError text, clientVersion error, connection error, HTTP failure. */
  readonly lastError: string | undefined;
  /** clientVersion's W: text, if any. */
  readonly warning: string | undefined;
  readonly serverVersion: string | undefined;
  readonly ticket: string | undefined;
  /** The company file QBWC was connected to (strCompanyFileName). */
  readonly companyFilePath: string | undefined;
  /** FileID found under the QWC's OwnerID in the company file after connecting. */
  readonly companyFileId: string | undefined;
  /** authenticate[2]: seconds to wait before the next update. */
  readonly waitBeforeNextUpdateSeconds: number | undefined;
  /** authenticate[3]: minimum seconds between scheduled runs. */
  readonly minimumRunEveryNSeconds: number | undefined;
  /** Last value returned by receiveResponseXML. */
  readonly percentDone: number | undefined;
  readonly closeConnectionResult: string | undefined;
  /** The QBWC-style log text. */
  readonly log: string;
  readonly logEntries: readonly QbwcLogEntry[];
}
