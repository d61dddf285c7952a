/**
 * HRESULTs that QBXMLRP2 (the qbXML request processor QBWC goes through) reports, with the text QBWC
 * forwards to the web service in `connectionError` / `receiveResponseXML`.
 *
 * Sources (see docs/qbwc-qbxml.md §2.5/§2.7 for the first three):
 * - 0x80040400 / 0x80040401 / 0x80040402: Intuit's WCWebService sample constants [V].
 * - 0x80040408 "Could not start QuickBooks.": a real QBWC connectionError seen by johnballantyne/qbws#9 [V].
 * - 0x8004040A, 0x80040414: names and texts used consistently by several QBXMLRP2 client code bases
 *   (QB_DIFFERENT_FILE_OPEN / QB_MODAL_DIALOG and the exact sentences below) [V-impl]. The brief suggested
 *   0x8004041A for the modal dialog, but in those code bases 0x8004041A is "This application does not have
 *   permission to access this QuickBooks company data file", so the emulator uses 0x80040414.
 */
export interface HresultError {
  readonly hresult: string;
  readonly message: string;
}

export const QBXMLRP2_ERRORS = {
  parseError: {
    hresult: '0x80040400',
    message: 'QuickBooks found an error when parsing the provided XML text stream.',
  },
  couldNotAccess: { hresult: '0x80040401', message: 'Could not access QuickBooks.' },
  unexpected: {
    hresult: '0x80040402',
    message: 'Unexpected error. Check the qbsdklog.txt file for possible, additional information.',
  },
  couldNotStart: { hresult: '0x80040408', message: 'Could not start QuickBooks.' },
  differentFileOpen: {
    hresult: '0x8004040A',
    message: 'A QuickBooks company data file is already open and it is different from the one requested.',
  },
  modalDialog: {
    hresult: '0x80040414',
    message:
      'A modal dialog box is showing in the QuickBooks user interface. Your application cannot access QuickBooks until the user dismisses the dialog box.',
  },
} as const satisfies Record<string, HresultError>;
