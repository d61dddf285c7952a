/** Customer lists written straight into a connector's synced copy (what a list sync would store), for import tests. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Connector } from '../../src/modules/connector/connector.entity.js';
import { QuickBooksListElement } from '../../src/modules/quickbooks-lists/list-element.entity.js';
import { QuickBooksListSync } from '../../src/modules/quickbooks-lists/list-sync-state.entity.js';
import { QuickBooksList } from '../../src/modules/quickbooks-lists/quickbooks-list.js';

export interface SeedCustomer {
  readonly listId: string;
  readonly name: string;
  /** ListID of the parent customer: a job. */
  readonly parent?: SeedCustomer;
  readonly companyName?: string;
  readonly phone?: string;
  readonly email?: string;
  readonly isActive?: boolean;
}

let nextListId = 0x80000100;

/** A customer with a fresh ListID. */
export function customer(name: string, fields: Omit<SeedCustomer, 'listId' | 'name'> = {}): SeedCustomer {
  return { listId: `${(nextListId++).toString(16).toUpperCase()}-1764000000`, name, ...fields };
}

/** Stores the customers as the connector's synced customer list; `syncedAt` also records a completed full pull. */
export async function seedCustomerList(em: EntityManager, connectorId: string, customers: readonly SeedCustomer[], syncedAt: Date | null = new Date()): Promise<void> {
  const connector = em.getReference(Connector, connectorId);
  for (const c of customers) {
    const fullName = c.parent ? `${c.parent.name}:${c.name}` : c.name;
    const element = new QuickBooksListElement(connector, QuickBooksList.CUSTOMER, c.listId, fullName, c.name);
    element.type = c.parent ? 'Job' : 'Customer';
    element.parentListId = c.parent?.listId ?? null;
    element.parentFullName = c.parent?.name ?? null;
    element.sublevel = c.parent ? 1 : 0;
    element.isActive = c.isActive ?? true;
    element.editSequence = '1764000000';
    element.details = Object.fromEntries(Object.entries({ companyName: c.companyName, phone: c.phone, email: c.email }).filter(([, v]) => v !== undefined));
    em.persist(element);
  }
  if (syncedAt) {
    const sync = new QuickBooksListSync(connector, QuickBooksList.CUSTOMER);
    sync.lastFullSyncAt = syncedAt;
    em.persist(sync);
  }
  await em.flush();
}
