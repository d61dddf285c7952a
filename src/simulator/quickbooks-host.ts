/**
 * The contract between the simulated QuickBooks Desktop (company file + qbXML request processor)
 * and the Web Connector emulator that drives it. The emulator only ever talks to QuickBooks
 * through this interface, exactly as QBWC only talks to QuickBooks through QBXMLRP2.
 */

/** What QBXMLRP2 hands back to QBWC for one request message. */
export type QbxmlProcessResult =
  /** QuickBooks parsed the message and answered it (individual requests may still carry error statuses). */
  | { readonly kind: 'response'; readonly responseXml: string }
  /** The whole message failed (parse error, QuickBooks not reachable...): QBWC posts hresult/message instead. */
  | { readonly kind: 'error'; readonly hresult: string; readonly message: string };

export interface QbxmlVersion {
  readonly major: number;
  readonly minor: number;
}

/** A running QuickBooks Desktop with one company file open, as the Web Connector sees it. */
export interface SimulatedQuickBooks {
  /** Full path of the open company file, e.g. `C:\\Users\\Public\\Documents\\Intuit\\QuickBooks\\Company Files\\Acme.QBW`. */
  readonly companyFilePath: string;
  /** qbXML country code QBWC passes to sendRequestXML (`US`, `CA`, `UK`, `AU`). */
  readonly country: string;
  /** Highest qbXML version this QuickBooks product supports (QBWC passes it as qbXMLMajorVers/MinorVers). */
  readonly maxQbxmlVersion: QbxmlVersion;
  /**
   * QBWC stores the QWC's FileID as a private data extension (DataExtName `FileID`) under the QWC's OwnerID
   * the first time it connects to a company file. Calling it again with the same pair is a no-op.
   */
  stampFileId(ownerId: string, fileId: string): void;
  /**
   * The `strHCPResponse` QBWC sends on the first sendRequestXML of a session: one QBXML document with
   * HostQueryRs, CompanyQueryRs (including DataExtRet for `ownerId`) and PreferencesQueryRs.
   */
  hostCompanyPreferencesResponse(ownerId: string): string;
  /** Runs one qbXML request message, as QBXMLRP2's ProcessRequest does. */
  process(requestXml: string): QbxmlProcessResult;
}
