/**
 * The QuickBooks Web Connector emulator: runs one QBWC update over real HTTP against a QWC's AppURL,
 * feeding the qbXML requests to a simulated QuickBooks company file.
 */
export { runWebConnectorUpdate, fileIdFromHcpResponse, EMULATED_QBWC_VERSION } from './session.js';
export { parseQwc, appUrlProblem, isLoopbackHost, QwcValidationError, type QwcFile, type QbType } from './qwc.js';
export { QBXMLRP2_ERRORS, type HresultError } from './hresults.js';
export { formatQbwcTimestamp, QbwcLog, type QbwcLogEntry, type QbwcLogLevel, type QbwcLogSink } from './log.js';
export { buildEnvelope, escapeXmlText, QBWC_NAMESPACE, QBWC_USER_AGENT, SoapCallError, type QbwcOperation, type SoapFailureKind } from './soap-transport.js';
export type {
  PostedResponse,
  RequestSelector,
  SoapCallRecord,
  WebConnectorFaults,
  WebConnectorOutcome,
  WebConnectorRunOptions,
  WebConnectorRunResult,
} from './types.js';
