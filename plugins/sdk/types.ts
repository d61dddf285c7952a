/**
 * The plugin contract (API version 1). A plugin turns one Autotask entity into qbXML requests for one
 * connector's company file, and interprets QuickBooks' answers. The host does everything else: routing,
 * gathering what translate needs (mappings, QuickBooks ids) into its context, validating the output against
 * the qbXML schema, sending, recording the ledger, and exactly-once reconciliation.
 */

/** qbXML request and response bodies, by Intuit's names: `{ InvoiceAdd: { CustomerRef: { FullName } … } }`. */
export type QbxmlBody = { readonly [element: string]: unknown };

/**
 * What plugins transfer: Autotask entities (our copies, as pushed or pulled), and follow-on work on an invoice
 * that is already in QuickBooks — `CREDIT_APPLICATION` (apply a credit memo to the invoice it credits) and
 * `INVOICE_VOID` (void a transferred invoice or credit memo that Autotask voided). Both of those carry the
 * invoice as their entity (the credit invoice, the voided invoice) and are ledger items of their own.
 */
export type EntityType = 'ORGANIZATION' | 'INVOICE' | 'PAYMENT' | 'CREDIT_APPLICATION' | 'INVOICE_VOID'
  /** One day-row of an approved timesheet (see entities.ts `TimeActivity`). */
  | 'TIME_ACTIVITY'
  // Purchasing: vendors, purchase orders.
  | 'VENDOR' | 'PURCHASE_ORDER'
  /** An approved Autotask expense report: a bill (or vendor credit) to its resource's vendor (see entities.ts `ExpenseReport`). */
  | 'EXPENSE_REPORT'
  /** A resource's own vendor, the bills of its expense reports go to (the entity is the resource: entities.ts `Resource`). */
  | 'RESOURCE_VENDOR'
  /** Goods received against a purchase order line (see entities.ts `ItemReceipt`). */
  | 'ITEM_RECEIPT'
  // Inventory: one product of an inventory sync run (entities.ts `InventoryAdjustment`).
  | 'INVENTORY_ADJUSTMENT';

/** One entity the host should queue (or that must go first). */
export interface EntityRef {
  readonly entityType: EntityType;
  readonly entityId: string;
}

/** One qbXML request a plugin wants sent. */
export interface PlannedRequest {
  /** The request element, e.g. `InvoiceAddRq`. */
  readonly type: string;
  /** Its content, e.g. `{ InvoiceAdd: { … } }`; element order does not matter (the host writes schema order). */
  readonly body: QbxmlBody;
  /**
   * `prerequisite` requests (e.g. ItemServiceAdd for an item that does not exist yet) go first in the same
   * message; "already exists" answers to them are fine. Exactly one `main` request records the outcome.
   */
  readonly role: 'main' | 'prerequisite';
  /**
   * A prerequisite's identity in the company file (e.g. `item:labor:remote`): the host sends a prerequisite
   * of a key at most once per connector, and records the key as done when QuickBooks created it or answered
   * that it already exists (3100). Keyed prerequisites that do not fit one message with their main request
   * are sent ahead in earlier messages; an entity whose unkeyed requests do not fit one message fails.
   */
  readonly key?: string;
}

/** A problem with the data: named field, a message a person can act on. */
export interface DataProblem {
  readonly field: string;
  readonly message: string;
  /**
   * A stable code for problems of a known kind (e.g. `NOT_IN_QUICKBOOKS_LIST`): the failed transfer carries it
   * as its status code, with `hint`, instead of the generic DATA_PROBLEMS.
   */
  readonly code?: string;
  readonly hint?: string;
}

export type TranslateResult =
  | { readonly kind: 'requests'; readonly requests: readonly PlannedRequest[] }
  /** Nothing to send, with why (e.g. a $0 invoice the connector is set to skip). */
  | { readonly kind: 'skip'; readonly reason: string }
  /** The entity cannot be sent until these are fixed (e.g. unmapped billing items under the FAIL policy). */
  | {
      readonly kind: 'invalid';
      readonly problems: readonly DataProblem[];
      /** What a person should do, when the host's general hint (fix the data or the mappings) is not it. */
      readonly hint?: string;
    }
  /** It must wait for another entity to reach QuickBooks first (e.g. an invoice for its customer). */
  | { readonly kind: 'waitFor'; readonly entityType: EntityType; readonly entityId: string; readonly reason: string };

/** A QuickBooks list element or transaction reference as qbXML `…Ref` aggregates carry it. */
export interface QbRef {
  readonly listId?: string | null;
  readonly fullName: string;
}

/** An item mapping, as the connector's admin set it. */
export interface ItemMapping {
  readonly target: QbRef | null;
  readonly itemType: 'SERVICE' | 'NON_INVENTORY' | 'OTHER_CHARGE' | 'INVENTORY' | 'SALES_TAX' | 'DISCOUNT' | 'SUBTOTAL' | 'GROUP' | null;
  readonly autoCreate: boolean;
}

/** The non-item mapping kinds with a default-or-fail policy (the QuickBooks reference each fills in brackets). */
export type UnmappedKind =
  /** [line ClassRef] */
  | 'LINE_OF_BUSINESS'
  /** [invoice TermsRef] */
  | 'PAYMENT_TERM'
  /** [line SalesTaxCodeRef] */
  | 'TAXABILITY'
  /** [income account of a created item] */
  | 'BILLING_CODE'
  /** [customer's and invoice's SalesRepRef] the organization's account manager (Autotask owner resource) */
  | 'ACCOUNT_MANAGER'
  /** [customer's CustomerTypeRef] the organization's Autotask classification */
  | 'CLASSIFICATION'
  /** [invoice's TemplateRef] the organization's Autotask invoice template; the default is the connector's template */
  | 'INVOICE_TEMPLATE'
  /** [time activity PayrollItemWageRef, employees only] */
  | 'PAYROLL_CATEGORY'
  /** [expense line AccountRef] an expense category without a billable / reimbursable account mapping; OMIT fails too (a bill line needs an account) */
  | 'EXPENSE_CATEGORY';

/** The unmapped kinds whose QuickBooks list is checked before sending (sales reps, customer types, templates). */
export type ListedKind = Extract<UnmappedKind, 'ACCOUNT_MANAGER' | 'CLASSIFICATION' | 'INVOICE_TEMPLATE'>;

/** One element of a synced QuickBooks list, as far as a reference check needs it. */
export interface ListedElement {
  readonly listId: string;
  readonly fullName: string;
  /** The element's type where the list has one (TemplateType for templates). */
  readonly type: string | null;
  readonly isActive: boolean;
}

/** A reference of a {@link ListedKind}, checked against the connector's synced QuickBooks list. */
export type ListedRef =
  /** Send this (with its ListID when the list is synced; as mapped when the list is not synced for this file). */
  | { readonly ref: QbRef }
  /** The synced list has no such active element (of the right type): sending it would fail with 3140. */
  | { readonly missing: QbRef; readonly reason: string };

/**
 * What happens to a value with no mapping. The host's lookups (classFor, termsFor, salesTaxCode,
 * incomeAccount) already answer `default` for USE_DEFAULT; plugins only report FAIL (see `unmappedProblem`).
 */
export interface UnmappedPolicy {
  readonly onUnmapped: 'USE_DEFAULT' | 'OMIT' | 'FAIL';
  readonly default: QbRef | null;
}

/** The connector's settings that shape translation. */
export interface ConnectorSettings {
  readonly id: string;
  readonly name: string;
  readonly itemNamingConvention: 'BILLING_ITEM_NAME' | 'ROLE_AND_WORK_TYPE' | 'LINE_DESCRIPTION';
  readonly defaultTransmissionMethod: 'NONE' | 'PRINT' | 'EMAIL' | 'BOTH';
  readonly taxMode: 'QUICKBOOKS_CALCULATES' | 'PSA_TAX_AS_LINE';
  readonly psaTaxItem: QbRef | null;
  readonly noLineOfBusinessClass: QbRef | null;
  readonly missingMappingPolicy: 'AUTO_CREATE' | 'FAIL';
  readonly defaultIncomeAccount: QbRef;
  /** Who numbers invoices: QuickBooks (the number is written back to Autotask) or Autotask (sent as RefNumber). */
  readonly invoiceNumbering: 'QUICKBOOKS' | 'AUTOTASK';
  /** What to do when a new customer's name is already used by a vendor, employee or other name (QuickBooks 3100). */
  readonly customerNameCollision: 'FAIL' | 'SUFFIX';
  /** Names and numbers longer than QuickBooks allows: FAIL (a data problem) or SHORTEN (see `shortenName`). */
  readonly longNamePolicy: 'FAIL' | 'SHORTEN';
  /** qbXML version of the session the requests go into, e.g. "13.0". */
  readonly qbxmlVersion: string;
  /** Default-or-fail per non-item mapping kind, every kind present. */
  readonly unmappedPolicies: Readonly<Record<UnmappedKind, UnmappedPolicy>>;
  /** How an invoice's lines become QuickBooks lines (Autotask's invoice-template grouping); NONE: one per line. */
  readonly lineGrouping: LineGrouping;
  /** Who rounds line amounts to cents: we, line by line (ROUND_EACH_LINE), or QuickBooks from Quantity × Rate. */
  readonly roundingPolicy: RoundingPolicy;
  /** How expense reports become bills (Autotask's expense transfer settings). Optional: hosts before expenses omit it. */
  readonly expenses?: ExpenseSettings;
  /** The account inventory adjustments post to; null until set. */
  readonly inventoryAdjustmentAccount?: QbRef | null;
}

/** Autotask's "Transfer cash advances to QuickBooks" + account, "Transfer Class to QuickBooks", and company-paid items. */
export interface ExpenseSettings {
  /** The account a report's cash advance is credited to (a negative line); null: advances are not transferred. */
  readonly cashAdvanceAccount: QbRef | null;
  /** ClassRef on every expense line from the report's line of business (qbXML 13.0 has no header class). */
  readonly transferClass: boolean;
  /**
   * Items the company paid (credit card, check…: not reimbursable): EXCLUDE leaves them off the resource's bill
   * (the card or bank statement records them in QuickBooks); INCLUDE puts them on it like reimbursable ones.
   */
  readonly companyPaidItems: 'EXCLUDE' | 'INCLUDE';
}

/**
 * Invoice line grouping, like Autotask's invoice template: NONE (one QuickBooks line per Autotask line),
 * BY_BILLING_ITEM (lines of one billing item, class and taxability merged), BY_LINE_OF_BUSINESS (the same, listed
 * line of business by line of business), ONE_LINE_PER_GROUP (one line per line of business, line type and
 * taxability, under the generic item names "Labor", "Products", …).
 */
export type LineGrouping = 'NONE' | 'BY_BILLING_ITEM' | 'BY_LINE_OF_BUSINESS' | 'ONE_LINE_PER_GROUP';

/**
 * ROUND_EACH_LINE: every line's Amount is Autotask's, rounded half up to the cent (Rate only where QuickBooks'
 * own Quantity × Rate gives that amount), so QuickBooks' subtotal is the sum of Autotask's line amounts.
 * SEND_RATE_AND_QUANTITY: Quantity and Rate as Autotask has them, QuickBooks computes (and rounds) each amount.
 */
export type RoundingPolicy = 'ROUND_EACH_LINE' | 'SEND_RATE_AND_QUANTITY';

/** What QuickBooks already knows about an entity in this connector's file. */
export interface QuickBooksIds {
  readonly listId?: string | null;
  readonly txnId?: string | null;
  readonly refNumber?: string | null;
  readonly editSequence?: string | null;
  readonly fullName?: string | null;
  /**
   * The TxnLineIDs of a transaction's lines, by the plugin's own key of each line (e.g. the Autotask line id):
   * stored with the ledger item when given (replacing the earlier ones), so a later Mod can resend every line.
   */
  readonly lineIds?: Readonly<Record<string, string>> | null;
}

/** QuickBooks' name lists that share the customers' name space. */
export type NameList = 'VENDOR' | 'EMPLOYEE' | 'OTHER_NAME';

/** An element of one of those lists, as QuickBooks spells its name. */
export interface NameHolder {
  readonly list: NameList;
  readonly name: string;
}

/**
 * Everything translate may use, gathered by the host before the call (translate does no I/O).
 * Lookups return undefined when nothing is known.
 */
export interface TranslateContext {
  readonly connector: ConnectorSettings;
  /** Item mapping for a billing item (kind + Autotask id). */
  itemMapping(kind: string, autotaskId: string): ItemMapping | undefined;
  /**
   * The QuickBooks target of a mapping of a kind without a default-or-fail policy (e.g. `VENDOR` → the vendor
   * an Autotask vendor is mapped to), or undefined. Optional: hosts written before it omit it.
   */
  mappedTarget?(kind: string, sourceId: string): QbRef | undefined;
  /** Income account for a billing code: its mapping, else the BILLING_CODE policy's default (USE_DEFAULT). */
  incomeAccount(billingCodeId: string): QbRef | undefined;
  /** Class for a line of business: its mapping, else the LINE_OF_BUSINESS policy's default (USE_DEFAULT). */
  classFor(lineOfBusinessId: string): QbRef | undefined;
  /** QuickBooks terms for an Autotask payment term: its mapping, else the PAYMENT_TERM policy's default. */
  termsFor(paymentTermId: string): QbRef | undefined;
  /** Sales tax code for taxable / non-taxable lines and customers: its mapping, else the TAXABILITY policy's default. */
  salesTaxCode(taxable: boolean): QbRef | undefined;
  /**
   * The QuickBooks payment method of that name (case-insensitive, with its ListID) from the connector's synced
   * PaymentMethod list; null when that list is synced and has no such method; undefined when it was never synced.
   */
  paymentMethod(name: string): QbRef | null | undefined;
  /**
   * The sales rep (ACCOUNT_MANAGER, by Autotask resource id), customer type (CLASSIFICATION) or invoice
   * template (INVOICE_TEMPLATE, by Autotask invoice template id) a value maps to — its mapping, else the
   * kind's USE_DEFAULT default — checked against the connector's synced list (`checkListed`). Undefined when
   * there is nothing to send (unmapped under OMIT or FAIL; see `listedReference` for FAIL).
   */
  listedRef(kind: ListedKind, sourceId: string | null | undefined): ListedRef | undefined;
  /** The QuickBooks customer an organization became in this file (by our organization id). */
  customerOf(organizationId: string): QuickBooksIds | undefined;
  /**
   * Another organization of ours whose QuickBooks customer in this file has this ListID (its id), if any: a
   * customer found by name is only linked when nobody else owns it.
   */
  customerOwner(listId: string): string | undefined;
  /**
   * Another entity of ours of this type whose transfer to this file holds this ListID (its id), if any: like
   * customerOwner, for the other name lists (a vendor found by name is linked only when nobody else owns it).
   * Optional: hosts written before it omit it (then nothing is known to own it).
   */
  listOwner?(entityType: EntityType, listId: string): string | undefined;
  /**
   * Whether the company file has an item of this full name (case-insensitive): in the connector's synced item
   * list, or created (or found to exist) by an earlier keyed prerequisite of this connector (`item:<full name>`).
   */
  itemExists(fullName: string): boolean;
  /**
   * The vendor, employee or other name that already uses this top-level name (case-insensitive, inactive ones
   * too), from the connector's synced lists: QuickBooks shares one name space between them and customers, so
   * a customer of that name fails with 3100. Undefined when none does or those lists were never synced.
   */
  nameTakenBy(name: string): NameHolder | undefined;
  /**
   * The QuickBooks name a resource's time goes to in this file (by Autotask resource id): its RESOURCE_EMPLOYEE
   * mapping, else its RESOURCE_VENDOR mapping, else an employee then a vendor named like the resource in the
   * synced lists. Undefined when none (Autotask's extension then fails the timesheet). Optional: hosts before
   * timesheets lack it.
   */
  timePayee?(resourceAutotaskId: number): TimePayee | undefined;
  /** The payroll wage item of a payroll (time) category: its mapping, else the PAYROLL_CATEGORY policy's default. */
  payrollItemFor?(payrollCategoryId: string): QbRef | undefined;
  /** The QuickBooks ids of an entity already transferred to this file (e.g. the invoice a payment applies to). */
  transferred(entityType: EntityType, entityId: string): QuickBooksIds | undefined;
  /** Another of our entities, by id (e.g. the organization of an invoice, the invoice of a payment). */
  entity<T = unknown>(entityType: EntityType, entityId: string): T | undefined;
}

/** Who a resource's time goes to in QuickBooks. */
export interface TimePayee {
  readonly list: 'EMPLOYEE' | 'VENDOR';
  readonly ref: QbRef;
  /** How it was found: a mapping, or a synced list element named like the resource. */
  readonly matchedBy: 'MAPPING' | 'NAME';
}

/** One `…Rs` of QuickBooks' answer, parsed. */
export interface QbxmlResponse {
  readonly type: string;
  readonly statusCode: number;
  readonly statusSeverity: string;
  readonly statusMessage: string;
  /** The `…Ret` and other children, by element name (repeated elements are arrays). */
  readonly body: QbxmlBody;
}

/**
 * Something about a transfer that succeeded that a person should check, e.g. QuickBooks' total differing from
 * Autotask's. The host stores it on the ledger item and shows it (TransferItem.alerts, the connector's alerts).
 */
export interface TransferAlert {
  /** Stable, UPPER_SNAKE_CASE, e.g. `TOTAL_MISMATCH` (the built-in invoices plugin's). */
  readonly code: string;
  /** What happened and what to do, for a person. */
  readonly message: string;
  /** The amount Autotask has, when the alert compares amounts (AMTTYPE). */
  readonly autotaskAmount?: string;
  /** The amount QuickBooks has (AMTTYPE). */
  readonly quickBooksAmount?: string;
}

export type ResponseOutcome =
  /** Done: the ids to store (ListID for list elements, TxnID/RefNumber for transactions), and what to check. */
  | { readonly kind: 'succeeded'; readonly ids: QuickBooksIds; readonly note?: string; readonly alerts?: readonly TransferAlert[] }
  /** Failed for good (until a person fixes something and retries): QuickBooks' code plus a hint. */
  | { readonly kind: 'failed'; readonly statusCode: string; readonly message: string; readonly hint: string }
  /** Send these now, in the same session, instead (e.g. re-query after a stale EditSequence, 3200). */
  | { readonly kind: 'followUp'; readonly requests: readonly PlannedRequest[]; readonly note: string };

export interface ResponseContext<TEntity = unknown> {
  readonly connector: ConnectorSettings;
  /** The main request this answers (the translation's, or the main request of an earlier follow-up). */
  readonly request: PlannedRequest;
  /** How many follow-ups this entity already had in this session (to retry once, not forever). */
  readonly followUps: number;
  /**
   * The entity being transferred, as translate saw it: follow-ups are built from it (a CustomerAdd after a
   * name query found nothing, a CustomerMod after a stale EditSequence) and totals are compared with it.
   * Optional only so hosts written before it keep compiling: plugins that need it fail with a hint without it.
   */
  readonly entity?: TEntity;
  /** The same lookups translate had (mappings, customers, transferred ids), for building follow-ups. */
  readonly lookups?: TranslateContext;
}

/**
 * Exactly once: when the outcome of a send is unknown (response lost), the host asks the plugin how to find
 * what QuickBooks may have created, and re-sends only when it is certainly absent.
 */
export interface Reconciler<TEntity> {
  /** A query that finds the entity's QuickBooks object if it exists (by RefNumber, a stamp, or a name). */
  query(entity: TEntity, ctx: TranslateContext): PlannedRequest;
  /** Reads the query's answer: found (with ids) or absent. */
  interpret(entity: TEntity, response: QbxmlResponse, ctx: TranslateContext): { readonly found: QuickBooksIds } | { readonly absent: true };
}

export interface ItemTypePlugin<TEntity = unknown> {
  /** Stable kebab-case id, unique in the registry. */
  readonly id: string;
  /** The plugin's own version (semver). */
  readonly version: string;
  /** The contract version it was written against; the host refuses unknown ones. */
  readonly apiVersion: 1;
  /** Which entities it translates; `accepts` narrows it (e.g. only negative invoices). */
  readonly handles: { readonly entity: EntityType; readonly accepts?: (entity: TEntity) => boolean };
  /** The request types it may emit (checked at registration against the qbXML schema the host knows). */
  readonly emits: readonly string[];
  /** Pure: same input, same output; no I/O, no clock, no randomness. */
  translate(entity: TEntity, ctx: TranslateContext): TranslateResult;
  /** Interprets QuickBooks' answer to the main request. */
  handleResponse(response: QbxmlResponse, ctx: ResponseContext<TEntity>): ResponseOutcome;
  readonly reconcile: Reconciler<TEntity>;
  /**
   * Transfers the host queues for the same connector once this entity reached QuickBooks (SUCCEEDED, by an
   * answer or by reconciliation), e.g. applying a credit memo to the invoice it credits. Pure, like translate.
   */
  queuesAfter?(entity: TEntity, ids: QuickBooksIds): readonly EntityRef[];
}
