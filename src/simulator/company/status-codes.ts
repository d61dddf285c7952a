/**
 * QuickBooks' qbXML status codes with their messages, worded as real QuickBooks responses word them
 * (docs/qbwc-qbxml.md §6.3 and the captures it cites; note QuickBooks' two spaces before
 * "QuickBooks error message:"). Kept next to the company file because most of them state a company-file
 * rule (unique names, existing references, current edit sequences); the processor uses the same table.
 */

/** `statusSeverity` of a `*Rs`. */
export type StatusSeverity = 'Info' | 'Warn' | 'Error';

/** What a `*Rs` carries in its status attributes. */
export interface QbxmlStatus {
  readonly code: number;
  readonly severity: StatusSeverity;
  readonly message: string;
}

const INVALID_ARGUMENT = 'QuickBooks error message: Invalid argument.  The specified record does not exist in the list.';

/** Every status the simulator answers with, as factories taking the message's variable parts. */
export const QB_STATUS = {
  /** 0: the request was processed. */
  ok: (): QbxmlStatus => ({ code: 0, severity: 'Info', message: 'Status OK' }),
  /** 1: a query's filters matched nothing (not an error). */
  noMatch: (): QbxmlStatus => ({ code: 1, severity: 'Info', message: 'A query request did not find a matching object in QuickBooks' }),
  /** 500: a query asked for named objects (ListID/FullName/TxnID) and some of them do not exist. */
  notAllFound: (missing: string): QbxmlStatus => ({
    code: 500,
    severity: 'Warn',
    message: `The query request has not been fully completed. There was a required element ("${missing}") that could not be found in QuickBooks.`,
  }),
  /** 1000: the simulator failed unexpectedly (a bug): reported like QuickBooks' internal error. */
  internalError: (detail: string): QbxmlStatus => ({ code: 1000, severity: 'Error', message: `There has been an internal error when processing the request. (${detail})` }),
  /** 1030: a request the XSD allows but the simulator does not implement. */
  unsupportedRequest: (requestName: string): QbxmlStatus => ({
    code: 1030,
    severity: 'Error',
    message: `The request "${requestName}" is not supported by the simulator.`,
  }),
  /** 3070: a string longer than the field's maximum length (QuickBooks does not truncate). */
  stringTooLong: (value: string, field: string): QbxmlStatus => ({ code: 3070, severity: 'Error', message: `The string "${value}" in the field "${field}" is too long.` }),
  /** 3100: list names are unique (across customers, vendors, employees and other names for those four). */
  nameInUse: (name: string): QbxmlStatus => ({ code: 3100, severity: 'Error', message: `The name "${name}" of the list element is already in use.` }),
  /** 3120: a Mod/Del names a ListID/TxnID that does not exist. */
  objectNotFound: (id: string): QbxmlStatus => ({
    code: 3120,
    severity: 'Error',
    message: `Object "${id}" specified in the request cannot be found.  ${INVALID_ARGUMENT}`,
  }),
  /** 3140: a reference (CustomerRef, ItemRef, ...) points to nothing, or to the wrong kind of record. */
  invalidReference: (listLabel: string, value: string, context: string): QbxmlStatus => ({
    code: 3140,
    severity: 'Error',
    message: `There is an invalid reference to QuickBooks ${listLabel} "${value}" in the ${context}.  ${INVALID_ARGUMENT}`,
  }),
  /** 3180: the record could not be saved (in real QuickBooks: another user holds the list). */
  errorWhenSaving: (listName: string, element: string, reason = 'This list has been modified by another user.'): QbxmlStatus => ({
    code: 3180,
    severity: 'Error',
    message: `There was an error when saving a ${listName} list, element "${element}".  QuickBooks error message: ${reason}`,
  }),
  /**
   * 3180 for InventoryAdjustmentAdd in a company file open in multi-user mode: QuickBooks adjusts inventory
   * only in single-user mode (parity-transfers.md F3). The code follows the "error when saving" family; the
   * wording is inferred [G: no capture].
   */
  singleUserModeRequired: (transaction: string): QbxmlStatus => ({
    code: 3180,
    severity: 'Error',
    message: `There was an error when saving a ${transaction}.  QuickBooks error message: This operation requires the company file to be open in single-user mode.`,
  }),
  /** 3200: the EditSequence of a Mod is not the record's current one. */
  staleEditSequence: (editSequence: string): QbxmlStatus => ({
    code: 3200,
    severity: 'Error',
    message: `The provided edit sequence "${editSequence}" is out-of-date.`,
  }),
  /**
   * 3210: a field value QuickBooks refuses. The over-payment wording is a real capture (consolibyte
   * Errors.php); the reasons used for negative or over-applied amounts are inferred [G].
   */
  invalidValue: (field: string, value: string, reason: string): QbxmlStatus => ({
    code: 3210,
    severity: 'Error',
    message: `The "${field}" field has an invalid value "${value}".  QuickBooks error message: ${reason}`,
  }),
  /** 3250: the request needs a feature that is turned off in the company's preferences (wording per Intuit's code list; no capture [G]). */
  featureNotEnabled: (): QbxmlStatus => ({
    code: 3250,
    severity: 'Error',
    message: 'This feature is not enabled or not available in this version of QuickBooks.',
  }),
  /** 3391: iterator="Continue" with an iteratorID this session does not know (consolibyte/quickbooks-php#183). */
  invalidIterator: (iteratorId: string): QbxmlStatus => ({ code: 3391, severity: 'Error', message: `The iteratorID "${iteratorId}" is not valid.` }),
} as const;

/** A company-file rule refused the request: carries the status the request is answered with. */
export class QuickBooksError extends Error {
  constructor(readonly status: QbxmlStatus) {
    super(`${status.code}: ${status.message}`);
    this.name = 'QuickBooksError';
  }
}

/** Throws a {@link QuickBooksError} with `status`. */
export function refuse(status: QbxmlStatus): never {
  throw new QuickBooksError(status);
}
