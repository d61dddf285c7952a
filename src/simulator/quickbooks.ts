/**
 * The simulated QuickBooks Desktop: one open company file plus the qbXML request processor (QBXMLRP2).
 * EARLY MINIMAL VERSION: the contract works (process/HCP/FileID stamp); requests are answered with a
 * "not supported" status until the processor lands.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { XMLParser } from 'fast-xml-parser';
import type { QbxmlProcessResult, QbxmlVersion, SimulatedQuickBooks } from './quickbooks-host.js';
import { COMPANY_FILE_FORMAT, type CompanyFileData } from './company/types.js';

export type { CompanyFileData } from './company/types.js';

/** Options of {@link QuickBooksSimulator}. */
export interface QuickBooksSimulatorOptions {
  readonly specDir: string;
  readonly company?: CompanyFileData;
  readonly companyFilePath?: string;
  readonly country?: string;
  readonly maxQbxmlVersion?: QbxmlVersion;
  readonly productName?: string;
  readonly clock?: () => Date;
}

/** A new, empty company file. */
export function createCompanyFile(companyName = 'Simulated Company'): CompanyFileData {
  return {
    format: COMPANY_FILE_FORMAT,
    companyName,
    utcOffsetMinutes: -300,
    preferences: { salesTaxEnabled: false, classTrackingEnabled: true, inventoryEnabled: true, invoicesToBePrintedByDefault: false },
    nextRecordNumber: 0x80000001,
    nextTxnNumber: 1,
    customers: [], vendors: [], employees: [], otherNames: [], items: [], accounts: [], classes: [], terms: [],
    salesTaxCodes: [], paymentMethods: [], invoices: [], receivePayments: [], companyDataExts: [],
  };
}

/** Reads a company JSON file. */
export async function loadCompanyFile(path: string): Promise<CompanyFileData> {
  return JSON.parse(await readFile(path, 'utf8')) as CompanyFileData;
}

/** Writes a company JSON file. */
export async function saveCompanyFile(company: CompanyFileData | QuickBooksSimulator, path: string): Promise<void> {
  const data = company instanceof QuickBooksSimulator ? company.company : company;
  await writeFile(path, JSON.stringify(data, null, 2) + '\n', 'utf8');
}

const PARSE_ERROR = { kind: 'error', hresult: '0x80040400', message: 'QuickBooks found an error when parsing the provided XML text stream.' } as const;

/** QuickBooks Desktop with one company file open, as QBXMLRP2 shows it to the Web Connector. */
export class QuickBooksSimulator implements SimulatedQuickBooks {
  readonly companyFilePath: string;
  readonly country: string;
  readonly maxQbxmlVersion: QbxmlVersion;
  readonly company: CompanyFileData;

  constructor(options: QuickBooksSimulatorOptions) {
    this.company = options.company ?? createCompanyFile();
    this.companyFilePath = options.companyFilePath ?? `C:\\Users\\Public\\Documents\\Intuit\\QuickBooks\\Company Files\\${this.company.companyName}.QBW`;
    this.country = options.country ?? 'US';
    this.maxQbxmlVersion = options.maxQbxmlVersion ?? { major: 13, minor: 0 };
  }

  stampFileId(ownerId: string, fileId: string): void {
    const exists = this.company.companyDataExts.some((e) => e.ownerId.toUpperCase() === ownerId.toUpperCase() && e.name === 'FileID');
    if (!exists) this.company.companyDataExts.push({ ownerId, name: 'FileID', value: fileId });
  }

  hostCompanyPreferencesResponse(ownerId: string): string {
    const exts = this.company.companyDataExts
      .filter((e) => e.ownerId.toUpperCase() === ownerId.toUpperCase())
      .map((e) => `<DataExtRet><OwnerID>${e.ownerId}</OwnerID><DataExtName>${e.name}</DataExtName><DataExtType>STR255TYPE</DataExtType><DataExtValue>${e.value}</DataExtValue></DataExtRet>`)
      .join('');
    return (
      '<?xml version="1.0" ?>\n<QBXML>\n<QBXMLMsgsRs>\n' +
      '<HostQueryRs requestID="0" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><HostRet><ProductName>QuickBooks Pro 2014</ProductName>' +
      `<MajorVersion>24</MajorVersion><MinorVersion>0</MinorVersion><Country>${this.country}</Country>` +
      '<SupportedQBXMLVersion>13.0</SupportedQBXMLVersion></HostRet></HostQueryRs>\n' +
      `<CompanyQueryRs requestID="1" statusCode="0" statusSeverity="Info" statusMessage="Status OK"><CompanyRet><CompanyName>${this.company.companyName}</CompanyName>${exts}</CompanyRet></CompanyQueryRs>\n` +
      '<PreferencesQueryRs requestID="2" statusCode="0" statusSeverity="Info" statusMessage="Status OK"/>\n' +
      '</QBXMLMsgsRs>\n</QBXML>\n'
    );
  }

  process(requestXml: string): QbxmlProcessResult {
    let doc: any[];
    try {
      doc = new XMLParser({ preserveOrder: true, ignoreAttributes: false, parseTagValue: false }).parse(requestXml, true);
    } catch {
      return PARSE_ERROR;
    }
    const qbxml = doc.find((n) => 'QBXML' in n)?.['QBXML'] as any[] | undefined;
    const msgs = qbxml?.find((n) => 'QBXMLMsgsRq' in n)?.['QBXMLMsgsRq'] as any[] | undefined;
    if (!msgs) return PARSE_ERROR;
    const rs = msgs
      .filter((n) => Object.keys(n).some((k) => k.endsWith('Rq')))
      .map((n) => {
        const name = Object.keys(n).find((k) => k.endsWith('Rq'))!;
        const id = n[':@']?.['@_requestID'];
        return `<${name.slice(0, -2)}Rs${id !== undefined ? ` requestID="${id}"` : ''} statusCode="1030" statusSeverity="Error" statusMessage="The request &quot;${name}&quot; is not supported by the simulator." />`;
      });
    return { kind: 'response', responseXml: `<?xml version="1.0" ?>\n<QBXML>\n<QBXMLMsgsRs>\n${rs.join('\n')}\n</QBXMLMsgsRs>\n</QBXML>\n` };
  }
}
