/**
 * A log shaped like QBWC's QWCLog.txt: `20221114.18:53:19 UTC\t: QBWebConnector.SOAPWebService.do_serverVersion() : …`
 * (format taken from the real logs quoted in jsgoupil/quickbooks-sync#62, qbwc/qbwc#69 and consolibyte/quickbooks-php#92).
 * Every line is also kept as a structured entry so tests and tools need not parse text.
 */

export type QbwcLogLevel = 'info' | 'warn' | 'error';

export interface QbwcLogEntry {
  readonly time: Date;
  readonly level: QbwcLogLevel;
  /** The QBWC component, e.g. `QBWebConnector.SOAPWebService.do_authenticate()`. */
  readonly source: string;
  readonly message: string;
  /** The formatted line as it appears in the text log. */
  readonly line: string;
}

export type QbwcLogSink = (line: string, entry: QbwcLogEntry) => void;

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYYMMDD.HH:MM:SS UTC`, QBWC's timestamp. */
export function formatQbwcTimestamp(time: Date): string {
  return (
    `${time.getUTCFullYear()}${pad(time.getUTCMonth() + 1)}${pad(time.getUTCDate())}.` +
    `${pad(time.getUTCHours())}:${pad(time.getUTCMinutes())}:${pad(time.getUTCSeconds())} UTC`
  );
}

/** Component names QBWC prints in its log. */
export const LOG_SOURCE = {
  registry: 'QBWebConnector.RegistryManager.setUpdateLock()',
  instantiate: 'QBWebConnector.SOAPWebService.instantiateWebService()',
  serverVersion: 'QBWebConnector.SOAPWebService.do_serverVersion()',
  clientVersion: 'QBWebConnector.SOAPWebService.do_clientVersion()',
  authenticate: 'QBWebConnector.SOAPWebService.do_authenticate()',
  openConnection: 'QBWebConnector.SOAPWebService.OpenConnection()',
  connectionError: 'QBWebConnector.SOAPWebService.do_connectionError()',
  sendRequestXML: 'QBWebConnector.SOAPWebService.do_sendRequestXML()',
  processRequest: 'QBWebConnector.SOAPWebService.ProcessRequestXML()',
  receiveResponseXML: 'QBWebConnector.SOAPWebService.do_receiveResponseXML()',
  getLastError: 'QBWebConnector.SOAPWebService.do_getLastError()',
  closeConnection: 'QBWebConnector.SOAPWebService.do_closeConnection()',
  update: 'QBWebConnector.WebServiceManager.DoUpdateSelected()',
  emulator: 'qbd-bridge.WebConnectorEmulator',
} as const;

export class QbwcLog {
  readonly entries: QbwcLogEntry[] = [];

  constructor(
    private readonly sink?: QbwcLogSink,
    private readonly now: () => Date = () => new Date(),
  ) {}

  info(source: string, message: string): void {
    this.add('info', source, message);
  }

  warn(source: string, message: string): void {
    this.add('warn', source, message);
  }

  error(source: string, message: string): void {
    this.add('error', source, message);
  }

  /** The whole log as QBWC would have written it, one line per entry (XML dumps span several lines). */
  text(): string {
    return this.entries.map((e) => e.line).join('\n') + (this.entries.length > 0 ? '\n' : '');
  }

  private add(level: QbwcLogLevel, source: string, message: string): void {
    const time = this.now();
    const line = `${formatQbwcTimestamp(time)}\t: ${source} : ${message}`;
    const entry: QbwcLogEntry = { time, level, source, message, line };
    this.entries.push(entry);
    this.sink?.(line, entry);
  }
}
