/**
 * A TranslateContext built from plain data, for plugin tests and fixtures: what the host gathers from its
 * database (src/mapping-engine/translation-context.ts), written as JSON.
 */
import { checkListed, withUnmappedDefault, type ConnectorSettings, type EntityType, type ItemMapping, type ListedElement, type ListedKind, type NameList, type QbRef, type QuickBooksIds, type TranslateContext, type UnmappedKind, type UnmappedPolicy } from '../index.js';

/** A QuickBooks reference: `"Services"` is short for `{ "fullName": "Services" }`. */
export type FixtureRef = QbRef | string;

/** An item mapping; `target` may be a name, `itemType` and `autoCreate` default to null and false. */
export interface FixtureItemMapping {
  readonly target?: FixtureRef | null;
  readonly itemType?: ItemMapping['itemType'];
  readonly autoCreate?: boolean;
}

/** The connector's mappings, keyed as Autotask identifies things. */
export interface FixtureMappings {
  /** By `"<billingItemKind>:<billingItemId>"`, e.g. `"WORK_TYPE:29682801"`. */
  readonly items?: Readonly<Record<string, FixtureItemMapping>>;
  /** `mappedTarget`: by `"<kind>:<sourceId>"`, e.g. `"VENDOR:500"`. */
  readonly targets?: Readonly<Record<string, FixtureRef>>;
  /** Income account by billing code id. */
  readonly incomeAccounts?: Readonly<Record<string, FixtureRef>>;
  /** Class by line of business id. */
  readonly classes?: Readonly<Record<string, FixtureRef>>;
  /** Terms by Autotask payment term id. */
  readonly terms?: Readonly<Record<string, FixtureRef>>;
  /** Sales tax codes for taxable and non-taxable lines and customers. */
  readonly salesTaxCodes?: { readonly taxable?: FixtureRef; readonly nonTaxable?: FixtureRef };
  /** Sales rep by account manager (Autotask resource id), customer type by classification, template by Autotask invoice template id. */
  readonly listed?: Partial<Record<ListedKind, Readonly<Record<string, FixtureRef>>>>;
}

/** Everything a fixture may say about the translation's surroundings. */
export interface FixtureContextData {
  /** Overrides of the connector settings (the rest are the defaults of {@link defaultConnectorSettings}). */
  readonly connector?: Partial<Omit<ConnectorSettings, 'psaTaxItem' | 'noLineOfBusinessClass' | 'defaultIncomeAccount' | 'unmappedPolicies'>> & {
    /** The kinds given; the others keep the defaults (OMIT; BILLING_CODE: USE_DEFAULT with defaultIncomeAccount). */
    readonly unmappedPolicies?: Partial<Record<UnmappedKind, { readonly onUnmapped: UnmappedPolicy['onUnmapped']; readonly default?: FixtureRef | null }>>;
    readonly psaTaxItem?: FixtureRef | null;
    readonly noLineOfBusinessClass?: FixtureRef | null;
    readonly defaultIncomeAccount?: FixtureRef;
  };
  readonly mappings?: FixtureMappings;
  /**
   * The connector's synced sales rep, customer type and template lists, by the kind mapping into them
   * (`{ "INVOICE_TEMPLATE": [{ "listId": "…", "fullName": "Intuit Service Invoice", "type": "Invoice", "isActive": true }] }`);
   * a kind absent: that list never synced.
   */
  readonly lists?: Partial<Record<ListedKind, readonly ListedElement[]>>;
  /** The connector's synced PaymentMethod list (names, or refs with ListIDs); absent: never synced. */
  readonly paymentMethods?: readonly FixtureRef[];
  /** The QuickBooks customer each organization became, by our organization id. */
  readonly customers?: Readonly<Record<string, QuickBooksIds>>;
  /** Organizations owning QuickBooks customers in the file, by the customer's ListID: `{ "80000001-1": "org-2" }`. */
  readonly customerOwners?: Readonly<Record<string, string>>;
  /** `listOwner`: per entity type, ListID → our id of the entity whose transfer holds it (vendors). */
  readonly listOwners?: Readonly<Partial<Record<EntityType, Readonly<Record<string, string>>>>>;
  /** Full names of the items the company file has (synced, or created by earlier transfers). */
  readonly items?: readonly string[];
  /** Names the synced vendor, employee and other-name lists use: `{ "OTHER_NAME": ["Petty Cash"] }`. */
  readonly names?: Partial<Record<NameList, readonly string[]>>;
  /** QuickBooks ids of entities already transferred: `{ "INVOICE": { "inv-1": { "txnId": "…" } } }`. */
  readonly transferred?: Partial<Record<EntityType, Readonly<Record<string, QuickBooksIds>>>>;
  /** Related entities by type and id: `{ "ORGANIZATION": { "org-1": { … } } }`. */
  readonly entities?: Partial<Record<EntityType, Readonly<Record<string, unknown>>>>;
}

/** The connector settings a fixture starts from. */
export const defaultConnectorSettings: ConnectorSettings = Object.freeze({
  id: 'connector-1',
  name: 'Test company file',
  itemNamingConvention: 'BILLING_ITEM_NAME',
  defaultTransmissionMethod: 'NONE',
  taxMode: 'QUICKBOOKS_CALCULATES',
  psaTaxItem: null,
  noLineOfBusinessClass: null,
  missingMappingPolicy: 'AUTO_CREATE',
  defaultIncomeAccount: Object.freeze({ fullName: 'Autotask Other' }),
  invoiceNumbering: 'QUICKBOOKS',
  customerNameCollision: 'FAIL',
  longNamePolicy: 'SHORTEN',
  qbxmlVersion: '13.0',
  unmappedPolicies: Object.freeze({
    LINE_OF_BUSINESS: Object.freeze({ onUnmapped: 'OMIT', default: null }),
    PAYMENT_TERM: Object.freeze({ onUnmapped: 'OMIT', default: null }),
    TAXABILITY: Object.freeze({ onUnmapped: 'OMIT', default: null }),
    BILLING_CODE: Object.freeze({ onUnmapped: 'USE_DEFAULT', default: null }),
    ACCOUNT_MANAGER: Object.freeze({ onUnmapped: 'OMIT', default: null }),
    CLASSIFICATION: Object.freeze({ onUnmapped: 'OMIT', default: null }),
    INVOICE_TEMPLATE: Object.freeze({ onUnmapped: 'OMIT', default: null }),
    PAYROLL_CATEGORY: Object.freeze({ onUnmapped: 'OMIT', default: null }),
    EXPENSE_CATEGORY: Object.freeze({ onUnmapped: 'FAIL', default: null }),
  }),
  lineGrouping: 'NONE',
  roundingPolicy: 'ROUND_EACH_LINE',
  expenses: Object.freeze({ cashAdvanceAccount: null, transferClass: false, companyPaidItems: 'EXCLUDE' as const }),
} satisfies ConnectorSettings);

function ref(value: FixtureRef | null | undefined): QbRef | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? { fullName: value } : value;
}

const own = <T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined =>
  record && Object.hasOwn(record, key) ? record[key] : undefined;

/** Builds a TranslateContext from plain data; every lookup not given answers undefined. */
export function fixtureContext(data: FixtureContextData = {}): TranslateContext {
  const { connector = {}, mappings = {}, customers, customerOwners, listOwners = {}, items = [], names = {}, transferred = {}, entities = {}, paymentMethods, lists = {} } = data;
  const itemNames = new Set(items.map((n) => n.toLowerCase()));
  const taken = new Map(Object.entries(names).flatMap(([list, held]) => held.map((name) => [name.toLowerCase(), { list: list as NameList, name }] as const)));
  const settings: ConnectorSettings = {
    ...defaultConnectorSettings,
    ...connector,
    psaTaxItem: connector.psaTaxItem === undefined ? defaultConnectorSettings.psaTaxItem : (ref(connector.psaTaxItem) ?? null),
    noLineOfBusinessClass:
      connector.noLineOfBusinessClass === undefined ? defaultConnectorSettings.noLineOfBusinessClass : (ref(connector.noLineOfBusinessClass) ?? null),
    defaultIncomeAccount: ref(connector.defaultIncomeAccount) ?? defaultConnectorSettings.defaultIncomeAccount,
    unmappedPolicies: { ...defaultConnectorSettings.unmappedPolicies },
  };
  const policies = settings.unmappedPolicies as Record<UnmappedKind, UnmappedPolicy>;
  for (const [kind, policy] of Object.entries(connector.unmappedPolicies ?? {}) as [UnmappedKind, { onUnmapped: UnmappedPolicy['onUnmapped']; default?: FixtureRef | null }][]) {
    policies[kind] = { onUnmapped: policy.onUnmapped, default: ref(policy.default) ?? null };
  }
  // As the host does: BILLING_CODE's USE_DEFAULT without a name means the connector's default income account.
  if (policies.BILLING_CODE.onUnmapped === 'USE_DEFAULT' && !policies.BILLING_CODE.default) {
    policies.BILLING_CODE = { onUnmapped: 'USE_DEFAULT', default: settings.defaultIncomeAccount };
  }
  const policy = (kind: UnmappedKind): UnmappedPolicy => policies[kind];
  return {
    connector: settings,
    itemMapping(kind, autotaskId) {
      const mapping = own(mappings.items, `${kind}:${autotaskId}`);
      if (!mapping) return undefined;
      return { target: ref(mapping.target) ?? null, itemType: mapping.itemType ?? null, autoCreate: mapping.autoCreate ?? false };
    },
    mappedTarget: (kind, sourceId) => ref(own(mappings.targets, `${kind}:${sourceId}`)),
    incomeAccount: (billingCodeId) => withUnmappedDefault(ref(own(mappings.incomeAccounts, billingCodeId)), policy('BILLING_CODE')),
    classFor: (lineOfBusinessId) => withUnmappedDefault(ref(own(mappings.classes, lineOfBusinessId)), policy('LINE_OF_BUSINESS')),
    termsFor: (paymentTermId) => withUnmappedDefault(ref(own(mappings.terms, paymentTermId)), policy('PAYMENT_TERM')),
    salesTaxCode: (taxable) =>
      withUnmappedDefault(ref(taxable ? mappings.salesTaxCodes?.taxable : mappings.salesTaxCodes?.nonTaxable), policy('TAXABILITY')),
    paymentMethod: (name) => (paymentMethods ? (paymentMethods.map((m) => ref(m)!).find((m) => m.fullName.toLowerCase() === name.toLowerCase()) ?? null) : undefined),
    listedRef(kind, sourceId) {
      const mapped = withUnmappedDefault(sourceId ? ref(own(mappings.listed?.[kind], sourceId)) : undefined, policy(kind));
      return mapped && checkListed(kind, mapped, lists[kind]);
    },
    customerOf: (organizationId) => own(customers, organizationId),
    customerOwner: (listId) => own(customerOwners, listId),
    listOwner: (entityType, listId) => own(listOwners[entityType], listId),
    itemExists: (fullName) => itemNames.has(fullName.toLowerCase()),
    nameTakenBy: (name) => taken.get(name.toLowerCase()),
    transferred: (entityType, entityId) => own(transferred[entityType], entityId),
    entity: <T>(entityType: EntityType, entityId: string) => own(entities[entityType], entityId) as T | undefined,
  };
}
