/**
 * Idempotent bulk upserts of pushed Autotask data. Each call is validated as a whole (every problem,
 * with its index) and written in one transaction, all or nothing. A record whose pushed values equal the
 * stored ones is left untouched: no write, no audit entry, counted as "unchanged".
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { BaseEntity } from '../../shared/base-entity.js';
import { Organization } from './organization.entity.js';
import { Resource } from './resource.entity.js';
import { Invoice, InvoiceLine } from './invoice.entity.js';
import { Payment } from './payment.entity.js';
import { TimeEntry } from './time-entry.entity.js';
import { money, decimal4, optionalText, isHoursWorked, HOURS_WORKED_RULE } from './autotask-values.js';
import type {
  InvoiceInput,
  InvoiceLineInput,
  OrganizationInput,
  PaymentInput,
  ResourceInput,
  UpsertInvoicesInput,
  UpsertOrganizationsInput,
  UpsertPaymentsInput,
  UpsertResourcesInput,
  TimeEntryInput,
  UpsertTimeEntriesInput,
} from './autotask.inputs.js';
import { currentActor, type Actor } from '../audit/actor.js';
import { deleteRowsRecorded, insertRowsRecorded, insertRowsRecordedWithParts, recordChanges, type AuditedChange } from '../audit/audit-log.js';
import { sameStoredText, selectRowsAsText, storedTextAsJson, updateRows, type Row } from '../../db/rows.js';
import { newId } from '../../shared/ids.js';
import type { AnswerDetail } from '../../shared/answer-detail.js';
import { queueInvoiceVoids } from '../transfer/invoice-voids.js';
import { address, assertValid, assignChanged, byKey, duplicates, groupBy } from './upsert-helpers.js';
import { UpsertInvoicesResult, UpsertOrganizationsResult, UpsertPaymentsResult, UpsertResourcesResult, UpsertTimeEntriesResult } from './upsert-result.js';

export async function upsertOrganizations(em: EntityManager, input: UpsertOrganizationsInput): Promise<UpsertOrganizationsResult> {
  const items = input.organizations;
  assertValid(duplicates(items, 'organizations', 'autotaskId', (o) => o.autotaskId));
  return em.transactional(async (tx) => {
    const stored = byKey(await tx.find(Organization, { autotaskId: { $in: items.map((o) => o.autotaskId) } }), (o) => o.autotaskId);
    const result = new UpsertOrganizationsResult();
    for (const item of items) {
      let organization = stored.get(item.autotaskId);
      if (!organization) tx.persist((organization = new Organization(item.autotaskId, item.name)));
      result.count(assignChanged(organization, organizationValues(item), stored.has(item.autotaskId)));
      result.organizations.push(organization);
    }
    await tx.flush();
    return result;
  });
}

export async function upsertResources(em: EntityManager, input: UpsertResourcesInput): Promise<UpsertResourcesResult> {
  const items = input.resources;
  assertValid(duplicates(items, 'resources', 'autotaskId', (r) => r.autotaskId));
  return em.transactional(async (tx) => {
    const stored = byKey(await tx.find(Resource, { autotaskId: { $in: items.map((r) => r.autotaskId) } }), (r) => r.autotaskId);
    const result = new UpsertResourcesResult();
    for (const item of items) {
      let resource = stored.get(item.autotaskId);
      if (!resource) tx.persist((resource = new Resource(item.autotaskId, item.firstName, item.lastName)));
      result.count(assignChanged(resource, resourceValues(item), stored.has(item.autotaskId)));
      result.resources.push(resource);
    }
    await tx.flush();
    return result;
  });
}

/**
 * Time entries of known resources. Nothing reaches QuickBooks until a person approves the resource's period
 * (approveTimesheet): approving again after a change sends only the change.
 */
export async function upsertTimeEntries(em: EntityManager, input: UpsertTimeEntriesInput): Promise<UpsertTimeEntriesResult> {
  const items = input.timeEntries;
  assertValid(duplicates(items, 'timeEntries', 'autotaskId', (t) => t.autotaskId));
  assertValid(
    items.flatMap((t, i) => (isHoursWorked(t.hoursWorked) ? [] : [{ field: `timeEntries.${i}.hoursWorked`, message: HOURS_WORKED_RULE }])),
  );
  return em.transactional(async (tx) => {
    const resources = byKey(await tx.find(Resource, { autotaskId: { $in: [...new Set(items.map((t) => t.resourceAutotaskId))] } }), (r) => r.autotaskId);
    assertValid(
      items.flatMap((t, i) =>
        resources.has(t.resourceAutotaskId)
          ? []
          : [{ field: `timeEntries.${i}.resourceAutotaskId`, message: `no resource has Autotask id ${t.resourceAutotaskId}; push it with upsertResources first` }],
      ),
    );
    const stored = byKey(await tx.find(TimeEntry, { autotaskId: { $in: items.map((t) => t.autotaskId) } }), (t) => t.autotaskId);
    const result = new UpsertTimeEntriesResult();
    for (const item of items) {
      const resource = resources.get(item.resourceAutotaskId)!;
      let entry = stored.get(item.autotaskId);
      if (!entry) tx.persist((entry = new TimeEntry(item.autotaskId, resource, item.dateWorked, decimal4(item.hoursWorked))));
      result.count(assignChanged(entry, timeEntryValues(item, resource), stored.has(item.autotaskId)));
      result.timeEntries.push(entry);
    }
    await tx.flush();
    return result;
  });
}

function timeEntryValues(t: TimeEntryInput, resource: Resource): Partial<TimeEntry> {
  return {
    resource,
    dateWorked: t.dateWorked,
    hoursWorked: decimal4(t.hoursWorked),
    organizationAutotaskId: t.organizationAutotaskId ?? null,
    workTypeId: optionalText(t.workTypeId),
    workTypeName: optionalText(t.workTypeName),
    payrollCategoryId: optionalText(t.payrollCategoryId),
    payrollCategoryName: optionalText(t.payrollCategoryName),
    lineOfBusinessId: optionalText(t.lineOfBusinessId),
    isNonBillable: t.isNonBillable ?? false,
    summaryNotes: optionalText(t.summaryNotes),
  };
}

/**
 * Invoices with their lines; the lines pushed replace the stored ones (the invoice ends up with exactly these).
 * Set-based, for batches of 1000 invoices of many lines: the stored rows are read and compared here, then each
 * kind of write (new invoices, changed invoices, new / changed / surplus lines, their audit entries) is one
 * statement for the whole batch; no entity is made per row (issue #17).
 */
export async function upsertInvoices(em: EntityManager, input: UpsertInvoicesInput, answer: AnswerDetail = 'entities'): Promise<UpsertInvoicesResult> {
  const items = input.invoices;
  assertValid(duplicates(items, 'invoices', 'autotaskId', (i) => i.autotaskId));
  const actor = currentActor();
  return em.transactional(async (tx) => {
    const organizationIds = [...new Set(items.map((i) => i.organizationAutotaskId))];
    const organizations = new Map(
      (await tx.execute<Array<{ id: string; autotask_id: number }>>('select id, autotask_id from organization where autotask_id in (?)', [organizationIds]))
        .map((o) => [o.autotask_id, o.id]),
    );
    assertValid(
      items.flatMap((item, i) =>
        organizations.has(item.organizationAutotaskId)
          ? []
          : [{ field: `invoices.${i}.organizationAutotaskId`, message: `no organization has Autotask id ${item.organizationAutotaskId}; push it with upsertOrganizations first` }],
      ),
    );
    const stored = byKey(await selectRowsAsText(tx, Invoice, 't.autotask_id = any(?)', [items.map((i) => i.autotaskId)]), (i) => Number(i.autotaskId));
    const storedLines = groupBy(
      stored.size ? await selectRowsAsText(tx, InvoiceLine, 't.invoice_id = any(?)', [[...stored.values()].map((i) => i.id)], 't.invoice_id, t.position') : [],
      (line) => line.invoice!,
    );

    const now = new Date();
    const writes = new InvoiceWrites(tx, now);
    const result = new UpsertInvoicesResult();
    const ids: string[] = [];
    const voidedNow: string[] = [];
    for (const item of items) {
      const values = invoiceValues(item, organizations.get(item.organizationAutotaskId)!);
      const existing = stored.get(item.autotaskId);
      const id = existing ? existing.id! : writes.createInvoice({ autotaskId: item.autotaskId, ...values });
      const headerChanged = existing ? writes.updateIfChanged(INVOICE, existing, values) : true;
      const linesChanged = writes.replaceLines(id, !existing, storedLines.get(id) ?? [], item.lines);
      if (values.isVoided && existing?.isVoided !== 'true') voidedNow.push(id);
      result.count(existing ? headerChanged || linesChanged : null);
      ids.push(id);
    }
    await writes.write(actor);
    await queueInvoiceVoids(tx, voidedNow, actor);
    await tx.flush();
    if (answer === 'ids') {
      // Only ids are asked for: an object holding the id answers it, where a reference per invoice (an entity set up
      // and registered in the identity map) cost about 25 ms of CPU for 1000 (issue #17).
      result.invoices = ids.map((id) => ({ id }) as Invoice);
      return result;
    }
    // The answer's invoices, read back once; not kept in the identity map (nothing to flush, nothing to compare).
    const invoices = byKey(await tx.find(Invoice, { id: { $in: ids } }, { disableIdentityMap: true }), (i) => i.id);
    result.invoices = ids.map((id) => invoices.get(id)!);
    return result;
  });
}

const INVOICE = { entity: Invoice, name: 'Invoice' } as const;
const INVOICE_LINE = { entity: InvoiceLine, name: 'InvoiceLine' } as const;
type InvoiceTable = typeof INVOICE | typeof INVOICE_LINE;

/**
 * What one upsertInvoices call writes, gathered row by row, then written table by table. Each audit entry's id is
 * made with its change, so the entries sort in the order of the pushed invoices whichever statement writes them.
 * A new invoice's lines are named in its creation entry (`lines`, their ids), not recorded in entries of their
 * own: the invoice was pushed with them, one event (see RecordedParts). A line added to, changed in or removed
 * from a stored invoice has its own entry; so that the values a line was created with stay in the log, an
 * update entry holds the changed properties' previous values (`previous`) and a removed line's entry its last values.
 */
class InvoiceWrites {
  /**
   * New rows, each with the id of the audit entry of its creation, written with it: new invoices with their lines
   * (insertRowsRecordedWithParts), the new lines of stored invoices on their own (insertRowsRecorded).
   */
  private readonly created = new Map<InvoiceTable, { rows: Array<Row & { id: string }>; entryIds: string[] }>([
    [INVOICE, { rows: [], entryIds: [] }],
    [INVOICE_LINE, { rows: [], entryIds: [] }],
  ]);
  /** Changed rows: every pushed property (unchanged ones rewritten with their own value), plus updatedAt. */
  private readonly updated = new Map<InvoiceTable, Row[]>([[INVOICE, []], [INVOICE_LINE, []]]);
  /** The lines of new invoices: named in their invoice's creation entry. */
  private readonly linesOfNewInvoices: Array<Row & { id: string }> = [];
  /** Lines removed from stored invoices, each with the id of the audit entry of its deletion. */
  private readonly deletedLines = { ids: [] as string[], entryIds: [] as string[] };
  private readonly audit: AuditedChange[] = [];

  /**
   * The call's time, as the ISO text JSON.stringify would write for the Date: tens of thousands of timestamps go
   * into a batch's JSON (rows and their audit entries), and stringifying a Date costs about 20 times a string.
   */
  private readonly now: string;

  constructor(
    private readonly em: EntityManager,
    now: Date,
  ) {
    this.now = now.toISOString();
  }

  createInvoice(values: Row): string {
    const row = { id: newId('inv'), createdAt: this.now, updatedAt: this.now, ...values, ...UNREAD_QUICKBOOKS_STATUS };
    this.create(INVOICE, row);
    return row.id;
  }

  /** True when the stored row differs from `values`; then it is rewritten, its entry holding what changed from what (`previous`). */
  updateIfChanged(table: InvoiceTable, stored: Record<string, string | null>, values: Row): boolean {
    const changes: Row = {};
    const previous: Row = {};
    for (const [key, value] of Object.entries(values)) {
      if (sameStoredText(stored[key], value)) continue;
      changes[key] = value;
      previous[key] = storedTextAsJson(this.em, table.entity, key, stored[key]);
    }
    if (Object.keys(changes).length === 0) return false;
    this.updated.get(table)!.push({ id: stored.id, ...values, updatedAt: this.now });
    this.audit.push({ id: newId('aud'), action: 'update', entityType: table.name, entityId: stored.id!, changes: { ...changes, updatedAt: this.now, previous } });
    return true;
  }

  /**
   * Makes the invoice's lines exactly `inputs`, numbered from 1: the line at each position is updated in
   * place, missing ones are added, surplus ones deleted. True when anything changed. `newInvoice`: the call
   * creates the invoice, so its lines are recorded in its creation entry.
   */
  replaceLines(invoiceId: string, newInvoice: boolean, stored: ReadonlyArray<Record<string, string | null>>, inputs: readonly InvoiceLineInput[]): boolean {
    let changed = false;
    inputs.forEach((input, i) => {
      const values = { invoice: invoiceId, ...lineValues(input, i + 1) };
      const line = stored[i];
      if (line) {
        changed = this.updateIfChanged(INVOICE_LINE, line, values) || changed;
      } else {
        const row = { id: newId('invl'), createdAt: this.now, updatedAt: this.now, ...values };
        if (newInvoice) this.linesOfNewInvoices.push(row);
        else this.create(INVOICE_LINE, row);
        changed = true;
      }
    });
    for (const surplus of stored.slice(inputs.length)) {
      this.deletedLines.ids.push(surplus.id!);
      this.deletedLines.entryIds.push(newId('aud'));
      changed = true;
    }
    return changed;
  }

  /**
   * One statement per kind of write, invoices before their lines: the removed lines with their entries, new
   * invoices with their lines and creation entries, then the changes to stored invoices, then the lines of stored
   * invoices (new ones with their entries).
   */
  async write(actor: Actor): Promise<void> {
    const em = this.em;
    await deleteRowsRecorded(em, InvoiceLine, this.deletedLines.ids, this.deletedLines.entryIds, actor);
    const invoices = this.created.get(INVOICE)!;
    await insertRowsRecordedWithParts(em, Invoice, invoices.rows, invoices.entryIds, { entity: InvoiceLine, rows: this.linesOfNewInvoices, parent: 'invoice', orderBy: 'position', key: 'lines' }, actor);
    await this.writeUpdated(INVOICE);
    const lines = this.created.get(INVOICE_LINE)!;
    await insertRowsRecorded(em, InvoiceLine, lines.rows, lines.entryIds, actor);
    await this.writeUpdated(INVOICE_LINE);
    await recordChanges(em, actor, this.audit);
  }

  private async writeUpdated(table: InvoiceTable): Promise<void> {
    const updated = this.updated.get(table)!;
    if (updated.length) await updateRows(this.em, table.entity, Object.keys(updated[0]!).filter((k) => k !== 'id'), updated);
  }

  private create(table: InvoiceTable, row: Row & { id: string }): void {
    const created = this.created.get(table)!;
    created.rows.push(row);
    created.entryIds.push(newId('aud'));
  }
}

/** A new invoice's QuickBooks paid status: not read yet (the paid-status work source fills it in). */
const UNREAD_QUICKBOOKS_STATUS = { qbBalanceRemaining: null, qbIsPaid: null, qbPaidDate: null, qbPaidStatusChangedAt: null };

/**
 * Marks stored invoices (by Autotask id) voided, as the Autotask pull finds them — their lines are gone from
 * Autotask then (voiding returns the billing items to Items to Invoice), so this is not a whole-record upsert.
 * Their transfers are voided in QuickBooks as for a pushed void. Returns how many were newly marked.
 */
export async function markInvoicesVoided(em: EntityManager, autotaskIds: readonly number[], actor: Actor): Promise<number> {
  if (autotaskIds.length === 0) return 0;
  return em.transactional(async (tx) => {
    const invoices = await tx.find(Invoice, { autotaskId: { $in: [...autotaskIds] }, isVoided: false });
    for (const invoice of invoices) invoice.isVoided = true;
    await queueInvoiceVoids(tx, invoices.map((i) => i.id), actor);
    await tx.flush();
    return invoices.length;
  });
}

/** Payments keyed by the pusher's external id; each names its invoice by Autotask id. */
export async function upsertPayments(em: EntityManager, input: UpsertPaymentsInput): Promise<UpsertPaymentsResult> {
  const items = input.payments;
  assertValid([
    ...items.flatMap((p, i) => (Number(p.amount) > 0 ? [] : [{ field: `payments.${i}.amount`, message: 'must be more than 0' }])),
    ...duplicates(items, 'payments', 'externalId', (p) => p.externalId),
  ]);
  return em.transactional(async (tx) => {
    const invoiceIds = [...new Set(items.map((p) => p.invoiceAutotaskId))];
    const invoices = byKey(await tx.find(Invoice, { autotaskId: { $in: invoiceIds } }), (i) => i.autotaskId);
    assertValid(
      items.flatMap((item, i) =>
        invoices.has(item.invoiceAutotaskId)
          ? []
          : [{ field: `payments.${i}.invoiceAutotaskId`, message: `no invoice has Autotask id ${item.invoiceAutotaskId}; push it with upsertInvoices first` }],
      ),
    );
    const stored = byKey(await tx.find(Payment, { externalId: { $in: items.map((p) => p.externalId) } }), (p) => p.externalId);
    const result = new UpsertPaymentsResult();
    for (const item of items) {
      const invoice = invoices.get(item.invoiceAutotaskId)!;
      let payment = stored.get(item.externalId);
      if (!payment) tx.persist((payment = new Payment(item.externalId, invoice, money(item.amount), item.paymentDate)));
      result.count(assignChanged(payment, paymentValues(item, invoice), stored.has(item.externalId)));
      result.payments.push(payment);
    }
    await tx.flush();
    return result;
  });
}

// ---- what is stored for a pushed record (canonical forms, so equal data compares equal) ----

function organizationValues(o: OrganizationInput): Partial<Organization> {
  return {
    name: o.name,
    parentAutotaskId: o.parentAutotaskId ?? null,
    address: address(o.address),
    billingAddress: address(o.billingAddress),
    phone: optionalText(o.phone),
    fax: optionalText(o.fax),
    email: optionalText(o.email),
    taxExempt: o.taxExempt ?? false,
    transmissionMethod: o.transmissionMethod ?? null,
    ownerResourceId: o.ownerResourceId ?? null,
    classificationId: optionalText(o.classificationId),
    invoiceTemplateId: optionalText(o.invoiceTemplateId),
    paymentTermId: optionalText(o.paymentTermId),
    paymentTermName: optionalText(o.paymentTermName),
  };
}

function resourceValues(r: ResourceInput): Partial<Resource> {
  return { firstName: r.firstName, lastName: r.lastName, email: optionalText(r.email), active: r.active ?? true };
}

/** The invoice's stored values; the organization by our id (the row's organization_id). */
function invoiceValues(i: InvoiceInput, organizationId: string): Row & Partial<Record<keyof Invoice, unknown>> {
  return {
    organization: organizationId,
    invoiceNumber: optionalText(i.invoiceNumber),
    invoiceDate: i.invoiceDate,
    poNumber: optionalText(i.poNumber),
    paymentTermId: optionalText(i.paymentTermId),
    paymentTermName: optionalText(i.paymentTermName),
    transmissionMethod: i.transmissionMethod ?? null,
    total: money(i.total),
    taxTotal: money(i.taxTotal ?? '0'),
    paidDate: i.paidDate ?? null,
    creditsInvoiceAutotaskId: i.creditsInvoiceAutotaskId ?? null,
    isVoided: i.isVoided ?? false,
  };
}

function lineValues(l: InvoiceLineInput, position: number): Omit<InvoiceLine, keyof BaseEntity | 'invoice'> {
  return {
    position,
    billingItemKind: l.billingItemKind,
    billingItemId: optionalText(l.billingItemId),
    billingItemName: optionalText(l.billingItemName),
    billingCodeId: optionalText(l.billingCodeId),
    roleName: optionalText(l.roleName),
    workTypeName: optionalText(l.workTypeName),
    description: l.description,
    quantity: decimal4(l.quantity),
    rate: decimal4(l.rate),
    amount: money(l.amount),
    taxable: l.taxable,
    lineOfBusinessId: optionalText(l.lineOfBusinessId),
    lineOfBusinessName: optionalText(l.lineOfBusinessName),
    serviceDate: l.serviceDate ?? null,
    subOrganizationName: optionalText(l.subOrganizationName),
  };
}

function paymentValues(p: PaymentInput, invoice: Invoice): Partial<Payment> {
  return {
    invoice,
    amount: money(p.amount),
    paymentDate: p.paymentDate,
    paymentMethod: optionalText(p.paymentMethod),
    depositAccount: optionalText(p.depositAccount),
    reference: optionalText(p.reference),
  };
}
