/**
 * A deliberately small `SimulatedQuickBooks` for protocol-only tests (call order, SOAP shapes) where what
 * QuickBooks stores does not matter. Tests where QuickBooks behaviour matters use the real simulator.
 * It answers every `XxxRq` with an empty, successful `XxxRs` and remembers what it was asked.
 */
import type { QbxmlProcessResult, QbxmlVersion, SimulatedQuickBooks } from '../../../src/simulator/quickbooks-host.js';

export class FakeQuickBooks implements SimulatedQuickBooks {
  readonly processed: string[] = [];
  readonly fileIds = new Map<string, string>();
  readonly stampCalls: Array<[string, string]> = [];

  constructor(
    readonly companyFilePath = 'C:\\Users\\Public\\Documents\\Intuit\\QuickBooks\\Company Files\\Fake.QBW',
    readonly country = 'US',
    readonly maxQbxmlVersion: QbxmlVersion = { major: 13, minor: 0 },
  ) {}

  stampFileId(ownerId: string, fileId: string): void {
    this.stampCalls.push([ownerId, fileId]);
    if (!this.fileIds.has(ownerId)) this.fileIds.set(ownerId, fileId);
  }

  hostCompanyPreferencesResponse(ownerId: string): string {
    const fileId = this.fileIds.get(ownerId);
    const ext = fileId
      ? `<DataExtRet><OwnerID>${ownerId}</OwnerID><DataExtName>FileID</DataExtName><DataExtType>STR255TYPE</DataExtType><DataExtValue>${fileId}</DataExtValue></DataExtRet>`
      : '';
    return (
      '<?xml version="1.0" ?>\n<QBXML>\n<QBXMLMsgsRs>\n' +
      '<HostQueryRs requestID="0" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><HostRet><ProductName>QuickBooks Pro 2014</ProductName>' +
      `<MajorVersion>24</MajorVersion><MinorVersion>0</MinorVersion><Country>${this.country}</Country>` +
      '<SupportedQBXMLVersion>13.0</SupportedQBXMLVersion></HostRet></HostQueryRs>\n' +
      `<CompanyQueryRs requestID="1" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><CompanyRet><CompanyName>Fake</CompanyName>${ext}</CompanyRet></CompanyQueryRs>\n` +
      '<PreferencesQueryRs requestID="2" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><PreferencesRet/></PreferencesQueryRs>\n' +
      '</QBXMLMsgsRs>\n</QBXML>\n'
    );
  }

  process(requestXml: string): QbxmlProcessResult {
    this.processed.push(requestXml);
    if (!/<QBXMLMsgsRq\b/.test(requestXml)) {
      return { kind: 'error', hresult: '0x80040400', message: 'QuickBooks found an error when parsing the provided XML text stream.' };
    }
    const rs = [...requestXml.matchAll(/<(\w+)Rq\b([^>]*?)(\/?)>/g)]
      .filter((m) => m[1] !== 'QBXMLMsgs')
      .map((m) => {
        const id = /requestID="([^"]*)"/.exec(m[2] ?? '')?.[1];
        return `<${m[1]}Rs${id !== undefined ? ` requestID="${id}"` : ''} statusCode="0" statusSeverity="Info" statusMessage="Status OK" />`;
      });
    return { kind: 'response', responseXml: `<?xml version="1.0" ?>\n<QBXML>\n<QBXMLMsgsRs>\n${rs.join('\n')}\n</QBXMLMsgsRs>\n</QBXML>\n` };
  }
}
