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
import { money, decimal4, optionalText } from './autotask-values.js';
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
    items.flatMap((t, i) => {
      const hours = Number(t.hoursWorked);
      return hours > 0 && hours <= 24 ? [] : [{ field: `timeEntries.${i}.hoursWorked`, message: 'must be more than 0 and at most 24 (Autotask\'s own rule)' }];
    }),
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

/** Invoices with their lines; the lines pushed replace the stored ones (the invoice ends up with exactly these). */
export async function upsertInvoices(em: EntityManager, input: UpsertInvoicesInput): Promise<UpsertInvoicesResult> {
  const items = input.invoices;
  assertValid(duplicates(items, 'invoices', 'autotaskId', (i) => i.autotaskId));
  return em.transactional(async (tx) => {
    const organizationIds = [...new Set(items.map((i) => i.organizationAutotaskId))];
    const organizations = byKey(await tx.find(Organization, { autotaskId: { $in: organizationIds } }), (o) => o.autotaskId);
    assertValid(
      items.flatMap((item, i) =>
        organizations.has(item.organizationAutotaskId)
          ? []
          : [{ field: `invoices.${i}.organizationAutotaskId`, message: `no organization has Autotask id ${item.organizationAutotaskId}; push it with upsertOrganizations first` }],
      ),
    );
    const stored = byKey(await tx.find(Invoice, { autotaskId: { $in: items.map((i) => i.autotaskId) } }), (i) => i.autotaskId);
    const storedLines = groupBy(
      stored.size ? await tx.find(InvoiceLine, { invoice: { $in: [...stored.values()] } }, { orderBy: { position: 'asc' } }) : [],
      (line) => line.invoice.id,
    );
    const result = new UpsertInvoicesResult();
    const voidedNow: string[] = [];
    for (const item of items) {
      const organization = organizations.get(item.organizationAutotaskId)!;
      let invoice = stored.get(item.autotaskId);
      if (!invoice) tx.persist((invoice = new Invoice(item.autotaskId, organization, item.invoiceDate, money(item.total))));
      const wasVoided = stored.has(item.autotaskId) && invoice.isVoided;
      const headerChanged = assignChanged(invoice, invoiceValues(item, organization), true);
      const linesChanged = replaceLines(tx, invoice, storedLines.get(invoice.id) ?? [], item.lines);
      if (invoice.isVoided && !wasVoided) voidedNow.push(invoice.id);
      result.count(stored.has(item.autotaskId) ? headerChanged || linesChanged : null);
      result.invoices.push(invoice);
    }
    await queueInvoiceVoids(tx, voidedNow, currentActor());
    await tx.flush();
    return result;
  });
}

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

function invoiceValues(i: InvoiceInput, organization: Organization): Partial<Invoice> {
  return {
    organization,
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

/**
 * Makes the invoice's lines exactly `inputs`, numbered from 1: the line at each position is updated in
 * place, missing ones are added, surplus ones deleted. True when anything changed.
 */
function replaceLines(em: EntityManager, invoice: Invoice, stored: InvoiceLine[], inputs: InvoiceLineInput[]): boolean {
  let changed = false;
  inputs.forEach((input, i) => {
    const values = lineValues(input, i + 1);
    const line = stored[i];
    if (line) {
      changed = assignChanged(line, values, true) || changed;
    } else {
      em.persist(new InvoiceLine({ ...values, invoice }));
      changed = true;
    }
  });
  for (const surplus of stored.slice(inputs.length)) {
    em.remove(surplus);
    changed = true;
  }
  return changed;
}
