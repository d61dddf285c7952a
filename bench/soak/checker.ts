/**
 * The soak's verdict: reads every company file and the service's ledger and audit log (over GraphQL, as an
 * operator would) and lists each violation of exactly-once: an entity missing from the file its routing names
 * (lost), in it more than once or in another file (duplicate), a ledger item neither SUCCEEDED nor FAILED with
 * a reason (stuck), a payment or credit applied other than once, a ledger item whose QuickBooks id or number is
 * not the record's, and a ledger item whose audit history does not end in its state (a gap).
 */
import type { GraphqlClient } from '../../src/cli/graphql-client.js';
import { externalGuid } from '../../plugins/sdk/index.js';
import type { QuickBooksSimulator } from '../../src/simulator/quickbooks.js';
import type { Workload } from './workload.js';

export interface LedgerItem {
  readonly id: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly state: string;
  readonly qbStatusMessage: string | null;
  readonly qbTxnId: string | null;
  readonly qbListId: string | null;
  readonly qbRefNumber: string | null;
  readonly connector: { readonly id: string };
}

export interface Verdict {
  readonly entities: number;
  readonly duplicates: number;
  readonly lost: number;
  readonly stuck: number;
  readonly failed: number;
  /** FAILED ledger items by entity type and QuickBooks' message (a failure with a reason is no violation, but says what went wrong). */
  readonly failures: ReadonlyMap<string, number>;
  readonly violations: readonly string[];
}

const FINAL = new Set(['SUCCEEDED', 'FAILED']);
const PAGE = 200;

export async function readLedger(gql: GraphqlClient): Promise<LedgerItem[]> {
  const items: LedgerItem[] = [];
  for (let after: string | null = null; ;) {
    const page: { transferItems: { nodes: LedgerItem[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await gql(
      `query($after: String) { transferItems(first: ${PAGE}, after: $after) {
        nodes { id entityType entityId state qbStatusMessage qbTxnId qbListId qbRefNumber connector { id } }
        pageInfo { hasNextPage endCursor } } }`, { after });
    items.push(...page.transferItems.nodes);
    if (!page.transferItems.pageInfo.hasNextPage) return items;
    after = page.transferItems.pageInfo.endCursor;
  }
}

/** The state each ledger item's audit entries end in (create, then every update that set `state`), oldest first. */
async function auditedStates(gql: GraphqlClient): Promise<Map<string, string>> {
  const states = new Map<string, string>();
  for (let after: string | null = null; ;) {
    const page: { auditLog: { nodes: Array<{ entityId: string; action: string; changes: Record<string, unknown> }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await gql(
      `query($after: String) { auditLog(entityType: "TransferItem", first: ${PAGE}, after: $after) { nodes { entityId action changes } pageInfo { hasNextPage endCursor } } }`, { after });
    for (const entry of page.auditLog.nodes) {
      const state = entry.changes.state;
      if (entry.action === 'create' && !states.has(entry.entityId)) states.set(entry.entityId, typeof state === 'string' ? state : 'QUEUED');
      else if (typeof state === 'string') states.set(entry.entityId, state);
    }
    if (!page.auditLog.pageInfo.hasNextPage) return states;
    after = page.auditLog.pageInfo.endCursor;
  }
}

interface Found {
  readonly file: number;
  readonly id: string;
  readonly refNumber?: string;
}

export async function check(gql: GraphqlClient, workload: Workload, connectorIds: readonly string[], files: readonly QuickBooksSimulator[]): Promise<Verdict> {
  const violations: string[] = [];
  let duplicates = 0;
  let lost = 0;
  let stuck = 0;
  const ledger = await readLedger(gql);
  const audited = await auditedStates(gql);

  // Every record any file holds, by the ExternalGUID the service stamped on it (QuickBooks may change its case).
  const byGuid = new Map<string, Found[]>();
  const note = (guid: unknown, found: Found) => {
    if (typeof guid !== 'string') return;
    const key = guid.toUpperCase();
    byGuid.set(key, [...(byGuid.get(key) ?? []), found]);
  };
  files.forEach((qb, file) => {
    for (const c of qb.company.customers) note(c.fields.ExternalGUID, { file, id: c.listId });
    for (const t of [...qb.company.invoices, ...qb.company.creditMemos]) note(t.fields.ExternalGUID, { file, id: t.txnId, refNumber: t.refNumber });
    for (const p of qb.company.receivePayments) note(p.fields.ExternalGUID, { file, id: p.txnId });
  });

  const ledgerOf = new Map<string, LedgerItem[]>();
  for (const item of ledger) {
    const key = `${item.entityType}:${item.entityId}`;
    ledgerOf.set(key, [...(ledgerOf.get(key) ?? []), item]);
    if (!FINAL.has(item.state)) {
      stuck++;
      violations.push(`stuck: ${item.entityType} ${item.entityId} is ${item.state} (ledger item ${item.id})`);
    } else if (item.state === 'FAILED' && !item.qbStatusMessage) {
      violations.push(`failed without a reason: ${item.entityType} ${item.entityId} (ledger item ${item.id})`);
    }
    const last = audited.get(item.id);
    if (last !== item.state) violations.push(`audit gap: ledger item ${item.id} is ${item.state}, its audit history ends in ${last ?? 'nothing'}`);
  }

  /**
   * One entity: exactly one ledger item, on its routed connector; in QuickBooks exactly once, in that file,
   * when the item SUCCEEDED (and pointing at that record), nowhere when it FAILED.
   */
  const expectOnce = (entityType: string, guidType: 'ORGANIZATION' | 'INVOICE' | 'PAYMENT', entityId: string, file: number, what: string): Found | undefined => {
    const items = ledgerOf.get(`${entityType}:${entityId}`) ?? [];
    if (items.length === 0) {
      lost++;
      violations.push(`lost: ${what} has no ledger item`);
      return undefined;
    }
    if (items.length > 1) violations.push(`${what} has ${items.length} ledger items`);
    const item = items[0]!;
    if (item.connector.id !== connectorIds[file]) violations.push(`${what} was queued to another connector than its route's`);
    const found = connectorIds.flatMap((connectorId) => byGuid.get(externalGuid({ id: connectorId }, guidType, entityId).toUpperCase()) ?? []);
    const inFile = found.filter((f) => f.file === file);
    if (found.length > inFile.length) {
      duplicates += found.length - inFile.length;
      violations.push(`duplicate: ${what} is in company file ${found.filter((f) => f.file !== file).map((f) => f.file + 1).join(', ')}, routed to ${file + 1}`);
    }
    if (inFile.length > 1) {
      duplicates += inFile.length - 1;
      violations.push(`duplicate: ${what} is ${inFile.length} times in company file ${file + 1}`);
    }
    if (item.state === 'SUCCEEDED' && inFile.length === 0) {
      lost++;
      violations.push(`lost: ${what} SUCCEEDED but is not in company file ${file + 1}`);
    }
    if (item.state === 'FAILED' && inFile.length > 0) violations.push(`${what} FAILED (${item.qbStatusMessage}) but is in company file ${file + 1}`);
    const record = inFile[0];
    if (record && item.state === 'SUCCEEDED') {
      const recorded = guidType === 'ORGANIZATION' ? item.qbListId : item.qbTxnId;
      if (recorded !== record.id) violations.push(`${what}: the ledger says QuickBooks id ${recorded}, the company file's record is ${record.id}`);
      if (record.refNumber !== undefined && item.qbRefNumber !== record.refNumber) violations.push(`${what}: the ledger's number ${item.qbRefNumber} is not the company file's ${record.refNumber}`);
    }
    return record;
  };

  for (const organization of workload.organizations) {
    expectOnce('ORGANIZATION', 'ORGANIZATION', organization.id, organization.file, `organization ${organization.autotaskId}`);
  }
  const invoiceRecords = new Map<string, Found | undefined>();
  for (const invoice of workload.invoices) {
    const what = `${invoice.totalCents < 0 ? 'credit' : 'invoice'} ${invoice.autotaskId}`;
    invoiceRecords.set(invoice.id, expectOnce('INVOICE', 'INVOICE', invoice.id, invoice.organization.file, what));
  }
  for (const payment of workload.payments) {
    const what = `payment of invoice ${payment.invoice.autotaskId}`;
    const record = expectOnce('PAYMENT', 'PAYMENT', payment.id, payment.invoice.organization.file, what);
    if (!record) continue;
    const stored = files[record.file]!.company.receivePayments.find((p) => p.txnId === record.id)!;
    const invoiceTxnId = invoiceRecords.get(payment.invoice.id)?.id;
    const applied = stored.applications.filter((a) => a.txnId === invoiceTxnId).reduce((sum, a) => sum + a.amountCents, 0);
    if (applied !== payment.amountCents) violations.push(`${what}: ${applied} cents applied to its invoice, not ${payment.amountCents}`);
  }

  // Applied once: what QuickBooks shows paid on each invoice is its payment plus the credit applied to it, once each.
  for (const invoice of workload.invoices.filter((i) => i.totalCents > 0)) {
    const record = invoiceRecords.get(invoice.id);
    if (!record) continue;
    const stored = files[record.file]!.company.invoices.find((i) => i.txnId === record.id)!;
    const paid = workload.payments.filter((p) => p.invoice === invoice && ledgerOf.get(`PAYMENT:${p.id}`)?.[0]?.state === 'SUCCEEDED').reduce((sum, p) => sum + p.amountCents, 0);
    const credited = workload.invoices
      .filter((c) => c.credits === invoice && ledgerOf.get(`CREDIT_APPLICATION:${c.id}`)?.[0]?.state === 'SUCCEEDED')
      .reduce((sum, c) => sum - c.totalCents, 0);
    if (-stored.appliedAmountCents !== paid + credited) {
      violations.push(`invoice ${invoice.autotaskId}: QuickBooks shows ${-stored.appliedAmountCents} cents applied, the ledger ${paid} paid + ${credited} credited`);
    }
  }
  for (const credit of workload.invoices.filter((i) => i.credits)) {
    const items = ledgerOf.get(`CREDIT_APPLICATION:${credit.id}`) ?? [];
    if (ledgerOf.get(`INVOICE:${credit.id}`)?.[0]?.state === 'SUCCEEDED' && ledgerOf.get(`INVOICE:${credit.credits!.id}`)?.[0]?.state === 'SUCCEEDED' && items.length !== 1) {
      lost++;
      violations.push(`lost: credit ${credit.autotaskId} has ${items.length} credit applications in the ledger, not 1`);
    }
  }

  const entities = workload.organizations.length + workload.invoices.length + workload.payments.length;
  const failures = new Map<string, number>();
  for (const item of ledger.filter((i) => i.state === 'FAILED')) {
    const key = `${item.entityType}: ${item.qbStatusMessage ?? ''}`;
    failures.set(key, (failures.get(key) ?? 0) + 1);
  }
  return { entities, duplicates, lost, stuck, failed: ledger.filter((i) => i.state === 'FAILED').length, failures, violations };
}
