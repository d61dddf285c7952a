/**
 * A Web Connector driven one call at a time, for tests that change something between two calls of a session
 * (revoke access, let it go idle). It sends the emulator's own wire format (soap-transport.ts) to the QWC's
 * AppURL and lets the simulated QuickBooks answer; `runWebConnectorUpdate` remains the way to run whole updates.
 */
import { parseQwc, type QwcFile } from '../../src/simulator/web-connector/qwc.js';
import { callSoap, type QbwcOperation, type SoapParam } from '../../src/simulator/web-connector/soap-transport.js';
import type { QuickBooksSimulator } from '../../src/simulator/quickbooks.js';
import { PASSWORD } from './qbwc-fixture.js';

export class SteppedWebConnector {
  readonly qwc: QwcFile;
  ticket = '';
  private firstSend = true;

  constructor(qwcXml: string, private readonly quickbooks: QuickBooksSimulator) {
    this.qwc = parseQwc(qwcXml);
  }

  /** authenticate; keeps the ticket. */
  async authenticate(password = PASSWORD): Promise<readonly string[]> {
    const result = (await this.call('authenticate', [['strUserName', this.qwc.userName], ['strPassword', password]])) as string[];
    this.ticket = result[0] ?? '';
    return result;
  }

  /** sendRequestXML (the first one carries QuickBooks' host/company/preferences answer, as QBWC's does). */
  async send(): Promise<string> {
    if (this.firstSend) this.quickbooks.stampFileId(this.qwc.ownerId, this.qwc.fileId);
    const hcp = this.firstSend ? this.quickbooks.hostCompanyPreferencesResponse(this.qwc.ownerId) : '';
    this.firstSend = false;
    const { major, minor } = this.quickbooks.maxQbxmlVersion;
    return String(
      await this.call('sendRequestXML', [
        ['ticket', this.ticket], ['strHCPResponse', hcp], ['strCompanyFileName', this.quickbooks.companyFilePath],
        ['qbXMLCountry', this.quickbooks.country], ['qbXMLMajorVers', major], ['qbXMLMinorVers', minor],
      ]),
    );
  }

  /** Lets QuickBooks run `request` and posts its answer with receiveResponseXML; returns the percentage. */
  async receive(request: string): Promise<number> {
    const answer = this.quickbooks.process(request);
    const params: SoapParam[] =
      answer.kind === 'response'
        ? [['ticket', this.ticket], ['response', answer.responseXml], ['hresult', ''], ['message', '']]
        : [['ticket', this.ticket], ['response', ''], ['hresult', answer.hresult], ['message', answer.message]];
    return Number(await this.call('receiveResponseXML', params));
  }

  /** Posts `responseXml` as QuickBooks' answer, whatever was asked (an answer QuickBooks should not give). */
  async post(responseXml: string): Promise<number> {
    return Number(await this.call('receiveResponseXML', [['ticket', this.ticket], ['response', responseXml], ['hresult', ''], ['message', '']]));
  }

  /** send + receive until the service has asked for `messages` request messages; returns the last percentage. */
  async exchange(messages: number): Promise<number> {
    let percent = 0;
    for (let i = 0; i < messages; i++) percent = await this.receive(await this.send());
    return percent;
  }

  async lastError(): Promise<string> {
    return String(await this.call('getLastError', [['ticket', this.ticket]]));
  }

  async close(): Promise<string> {
    return String(await this.call('closeConnection', [['ticket', this.ticket]]));
  }

  private async call(operation: QbwcOperation, params: readonly SoapParam[]): Promise<unknown> {
    return (await callSoap(operation, params, { url: this.qwc.appUrl, timeoutMs: 60_000 })).result;
  }
}
