/**
 * The simulated QuickBooks Desktop: one open company file plus the qbXML request processor (QBXMLRP2),
 * behind the `SimulatedQuickBooks` contract the Web Connector emulator drives.
 *
 *   const qb = new QuickBooksSimulator({ company: createCompanyFile({ seed: 'standard' }) });
 *   const result = qb.process(requestXml); // { kind: 'response', responseXml } | { kind: 'error', hresult, message }
 *   await saveCompanyFile(qb.company, 'acme.json');
 */
import { SimulatedCompanyFile } from './company/company-file.js';
import { loadCompanyFile, saveCompanyFile as writeCompanyFile } from './company/company-json.js';
import { createCompanyFile as createCompanyFileData } from './company/seed.js';
import type { CompanyFileData } from './company/types.js';
import type { QbxmlDocumentValidator } from '../qbxml/validate-document.js';
import { QbxmlProcessor } from './processor/processor.js';
import type { HostDescription } from './processor/context.js';
import type { QbxmlProcessResult, QbxmlVersion, SimulatedQuickBooks } from './quickbooks-host.js';

export { createCompanyFile, seedStandardLists, type CreateCompanyFileOptions } from './company/seed.js';
export { loadCompanyFile, parseCompanyFileData, CompanyFileFormatError } from './company/company-json.js';
export { SimulatedCompanyFile, type ListName } from './company/company-file.js';
export type { CompanyFileData, CompanyPreferences } from './company/types.js';
export { QB_STATUS, QuickBooksError, type QbxmlStatus } from './company/status-codes.js';
export { PARSE_ERROR, type RejectedMessage } from './processor/processor.js';

/** Options of {@link QuickBooksSimulator}. */
export interface QuickBooksSimulatorOptions {
  /**
   * Validates each request message as QuickBooks does. Default: the rules generated from Intuit's XSDs (no
   * files needed). Tests pass `oracleCheckedValidator(specDir)` to cross-check against the XSDs themselves.
   */
  readonly validator?: QbxmlDocumentValidator;
  /** The company file to open: its data (kept by reference, changes show in it) or an open file. Default: a new empty one. */
  readonly company?: CompanyFileData | SimulatedCompanyFile;
  /** Path QBWC reports for the open company file. Default: `C:\Users\Public\...\Company Files\<CompanyName>.QBW`. */
  readonly companyFilePath?: string;
  /** qbXML country (`US`, `CA`, `UK`, `AU`). Default `US`. */
  readonly country?: string;
  /** Highest qbXML version this QuickBooks supports. Default 13.0 (QuickBooks 2014–2020). */
  readonly maxQbxmlVersion?: QbxmlVersion;
  /** HostRet ProductName. Default: `QuickBooks Pro <year>` matching `maxQbxmlVersion`. */
  readonly productName?: string;
  /** Clock for ListIDs, EditSequences and timestamps. Default: the system clock. */
  readonly clock?: () => Date;
}

/** Every qbXML version QuickBooks Desktop has shipped, oldest first. */
const QBXML_VERSIONS = ['1.0', '1.1', '2.0', '2.1', '3.0', '4.0', '4.1', '5.0', '6.0', '7.0', '8.0', '9.0', '10.0', '11.0', '12.0', '13.0', '14.0', '15.0', '16.0'];

/** The QuickBooks release that introduced a qbXML version (13.0 shipped with 2014; docs/qbwc-qbxml.md §6.4). */
function releaseYear(version: QbxmlVersion): number {
  return version.major >= 14 ? 2007 + version.major : 2001 + version.major; // 8 → 2009, 13 → 2014, 14 → 2021, 16 → 2023
}

/** QuickBooks Desktop with one company file open, as QBXMLRP2 shows it to the Web Connector. */
export class QuickBooksSimulator implements SimulatedQuickBooks {
  readonly companyFilePath: string;
  readonly country: string;
  readonly maxQbxmlVersion: QbxmlVersion;
  /** The open company file (rules, lookups and the 3180 `lockedLists` test hook). */
  readonly companyFile: SimulatedCompanyFile;
  /** The request processor; one instance is one QuickBooks session (iterators live here). */
  readonly processor: QbxmlProcessor;

  constructor(options: QuickBooksSimulatorOptions) {
    this.companyFile =
      options.company instanceof SimulatedCompanyFile
        ? options.company
        : new SimulatedCompanyFile(options.company ?? createCompanyFileData(), options.clock);
    this.country = options.country ?? 'US';
    this.maxQbxmlVersion = options.maxQbxmlVersion ?? { major: 13, minor: 0 };
    this.companyFilePath =
      options.companyFilePath ?? `C:\\Users\\Public\\Documents\\Intuit\\QuickBooks\\Company Files\\${this.company.companyName}.QBW`;
    const year = releaseYear(this.maxQbxmlVersion);
    const max = this.maxQbxmlVersion;
    const host: HostDescription = {
      productName: options.productName ?? `QuickBooks Pro ${year}`,
      majorVersion: year - 1990,
      minorVersion: 0,
      country: this.country,
      supportedVersions: QBXML_VERSIONS.filter((v) => {
        const [major, minor] = v.split('.').map(Number) as [number, number];
        return major < max.major || (major === max.major && minor <= max.minor);
      }),
      companyFilePath: this.companyFilePath,
    };
    this.processor = new QbxmlProcessor({
      company: this.companyFile,
      host,
      maxQbxmlVersion: this.maxQbxmlVersion,
      ...(options.validator ? { validator: options.validator } : {}),
    });
  }

  /** The company file's data (what {@link saveCompanyFile} writes). */
  get company(): CompanyFileData {
    return this.companyFile.data;
  }

  stampFileId(ownerId: string, fileId: string): void {
    if (this.companyFile.findCompanyDataExt(ownerId, 'FileID')) return;
    this.company.companyDataExts.push({ ownerId, name: 'FileID', value: fileId });
  }

  hostCompanyPreferencesResponse(ownerId: string): string {
    return this.processor.hostCompanyPreferences(ownerId);
  }

  process(requestXml: string): QbxmlProcessResult {
    return this.processor.process(requestXml);
  }

  /** Reads a company JSON file (same as the module-level {@link loadCompanyFile}). */
  static loadCompanyFile = loadCompanyFile;
  /** Writes a company JSON file (same as the module-level {@link saveCompanyFile}). */
  static saveCompanyFile = saveCompanyFile;
}

/** Writes a company JSON file; accepts the data or a simulator (its open company). */
export async function saveCompanyFile(company: CompanyFileData | QuickBooksSimulator, file: string): Promise<void> {
  await writeCompanyFile(company instanceof QuickBooksSimulator ? company.company : company, file);
}
