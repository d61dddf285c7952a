/**
 * selectPlainRows (src/db/rows.ts) answers what the entities hold: a connector's registrations, mappings and
 * routes are served to GraphQL as plain rows, so every value must come back in the entity's form (dates as Date,
 * a nullable embeddable as null when unset, each many-to-one as its id). And it refuses a column it cannot read so.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openTestDatabase } from '../helpers/test-database.js';
import type { Database } from '../../src/db/database.js';
import { asActor } from '../../src/modules/audit/actor.js';
import { deleteRowsRecorded, insertRowsRecorded, insertRowsRecordedWithParts, recordChanges } from '../../src/modules/audit/audit-log.js';
import { upsertOrganizations } from '../../src/modules/autotask/autotask.service.js';
import { Invoice, InvoiceLine } from '../../src/modules/autotask/invoice.entity.js';
import { Organization } from '../../src/modules/autotask/organization.entity.js';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { newId } from '../../src/shared/ids.js';
import { columnOf, plainRowOfJson, selectPlainRows, selectPlainRowsWith, selectRowsAsText, storedTextAsJson } from '../../src/db/rows.js';
import { Connector } from '../../src/modules/connector/connector.entity.js';
import { ApiCredential } from '../../src/modules/credential/api-credential.entity.js';
import { Registration } from '../../src/modules/registration/registration.entity.js';
import { Mapping } from '../../src/modules/mapping/mapping.entity.js';
import { MappingSourceKind, QbItemType } from '../../src/modules/mapping/mapping-source.js';
import { Route, RouteSubject } from '../../src/modules/routing/route.entity.js';
import { User } from '../../src/modules/user/user.entity.js';
import { Role } from '../../src/modules/user/role.js';
import { QbRef } from '../../src/shared/qb-ref.js';

let database: Database;
let connectorId: string;
let userId: string;
let credentialId: string;
beforeAll(async () => {
  database = await openTestDatabase();
  const em = database.orm.em.fork();
  const connector = new Connector('Plain');
  const user = new User('Pat', Role.ACCOUNTANT);
  const credential = new ApiCredential('plain-qbwc', 'not a real hash');
  const labelled = new Registration(connector, user, credential, 'front desk');
  labelled.revokedAt = new Date('2026-05-01T10:00:00.123Z');
  const mapped = new Mapping(connector, MappingSourceKind.WORK_TYPE, '1', 'Labor');
  mapped.target = Object.assign(new QbRef(), { listId: '80000001-1', fullName: 'Services:Labor' });
  mapped.itemType = Object.values(QbItemType)[0] as QbItemType;
  mapped.autoCreate = true;
  em.persist([connector, user, credential, labelled, new Registration(connector, user, credential, null), mapped,
    new Mapping(connector, MappingSourceKind.BILLING_CODE, '2', 'Travel'), new Route(RouteSubject.ORGANIZATION, 41, connector)]);
  await asActor({ id: 'test', name: 'test' }, () => em.flush());
  connectorId = connector.id;
  userId = user.id;
  credentialId = credential.id;
});
afterAll(async () => {
  await database?.close();
});

/** An entity as a plain row holds it: its own values, each many-to-one as { id }. */
function asPlain(entity: object, refs: readonly string[]): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entity)) {
    if (key.startsWith('_') || typeof value === 'function') continue;
    plain[key] = refs.includes(key) ? { id: (value as { id: string }).id } : value instanceof QbRef ? { ...value } : value;
  }
  return plain;
}

test.each([
  [Registration, ['connector', 'user', 'credential']],
  [Mapping, ['connector']],
  [Route, ['connector']],
] as const)('%o: plain rows equal the entities', async (entity, refs) => {
  const em = database.orm.em.fork();
  const plain = await selectPlainRows(em, entity as never, `${columnOf(em, entity as never, 'connector')} = any(?)`, [[connectorId]]);
  const entities = await em.find(entity as never, { connector: connectorId } as never, { orderBy: { id: 'asc' } as never });
  expect(plain.length).toBeGreaterThan(0);
  expect(plain).toEqual(entities.map((e) => asPlain(e, refs)));
});

test('a column the driver returns in another form than the entity is refused', async () => {
  const em = database.orm.em.fork();
  // The connector keeps JSON (its unmapped policies) and other columns a plain row does not read.
  await expect(selectPlainRows(em, Connector, 'true', [])).rejects.toThrow(/cannot be read as a plain row/);
});

test('with extra values read in the same statement, and from JSON, the rows are the same', async () => {
  const em = database.orm.em.fork();
  const where = `${columnOf(em, Registration, 'connector')} = ?`;
  const plain = await selectPlainRows(em, Registration, where, [connectorId]);
  const withExtra = await selectPlainRowsWith<Registration, { connector_name: string }>(
    em, Registration, { connector_name: '(select k.name from connector k where k.id = ?)' }, where, [connectorId, connectorId]);
  expect(withExtra.map((r) => r.row)).toEqual(plain);
  expect(withExtra.map((r) => r.extra)).toEqual(plain.map(() => ({ connector_name: 'Plain' })));
  // As a statement that reads more than the table carries a row (to_jsonb): dates with their milliseconds, references as { id }.
  const json: Array<{ row: Record<string, unknown> }> = await em.execute(`select to_jsonb(t) as row from registration t where ${where} order by t.id`, [connectorId]);
  expect(json.map((r) => plainRowOfJson(em, Registration, r.row))).toEqual(plain);
  expect(() => plainRowOfJson(em, Mapping, {})).toThrow(/embeddables/);
});

test('rows inserted with their creation recorded: the entries are what recordChanges writes, timestamps shared by the batch or not', async () => {
  const em = database.orm.em.fork();
  const actor = { id: 'test', name: 'test' };
  const row = (createdAt: unknown, revokedAt: unknown) =>
    ({ id: newId('reg'), createdAt, updatedAt: createdAt, connector: connectorId, user: userId, credential: credentialId, label: 'batch', ownerId: newId('own'), revokedAt });
  const batches = {
    // One createdAt for every row (a call's time, as text and as a Date), no revokedAt anywhere: written from the one value.
    shared: [row('2026-03-01T08:00:00.250Z', null), row(new Date('2026-03-01T08:00:00.250Z'), undefined)],
    // Each row its own (and text that is not the ISO form to_char writes back): formatted from each stored row.
    own: [row('2026-03-01T08:00:00.250Z', new Date('2026-04-01T00:00:00Z')), row('2026-03-01 10:00:01.5+02', '2026-04-02T00:00:00.000Z')],
  };
  for (const rows of Object.values(batches)) {
    const recorded = rows.map(() => newId('aud'));
    await em.transactional((tx) => insertRowsRecorded(tx, Registration, rows, recorded, actor));
    const stored = new Map((await em.fork().find(Registration, { id: { $in: rows.map((r) => r.id) } })).map((s) => [s.id, s]));
    // recordChanges given each row as stored (its timestamps as Dates): every property, in the JSON a Date is written as.
    const expected = rows.map((r) => {
      const { createdAt, updatedAt, revokedAt } = stored.get(r.id)!;
      return { id: newId('aud'), action: 'create' as const, entityType: 'Registration', entityId: r.id, changes: { ...r, createdAt, updatedAt, revokedAt } };
    });
    await em.transactional((tx) => recordChanges(tx, actor, expected));
    const changesOf = async (ids: string[]) => (await em.fork().find(AuditEntry, { id: { $in: ids } }, { orderBy: { id: 'asc' } })).map((e) => e.changes);
    expect(await changesOf(recorded)).toEqual(await changesOf(expected.map((e) => e.id)));
  }
});

test('rows inserted with their parts: one entry per row naming its parts in order; a part deleted later keeps its values in its entry', async () => {
  const em = database.orm.em.fork();
  const actor = { id: 'test', name: 'test' };
  await asActor(actor, () => upsertOrganizations(em, { organizations: [{ autotaskId: 4401, name: 'Parts' }] } as never));
  const organization = (await em.fork().findOneOrFail(Organization, { autotaskId: 4401 })).id;
  const at = '2026-03-01T08:00:00.250Z';
  const invoice = (autotaskId: number) =>
    ({ id: newId('inv'), createdAt: at, updatedAt: at, autotaskId, organization, invoiceNumber: null, invoiceDate: '2026-03-01', total: '6.00', taxTotal: '0.00', isVoided: false });
  const [withLines, withoutLines] = [invoice(44011), invoice(44012)];
  const line = (position: number, description: string) => ({
    id: newId('invl'), createdAt: at, updatedAt: at, invoice: withLines.id, position, billingItemKind: 'WORK_TYPE', billingItemId: null,
    description, quantity: '1.5000', rate: '4.0000', amount: '6.00', taxable: false, serviceDate: '2026-02-27',
  });
  const lines = [line(2, 'second'), line(1, 'first')];
  const parts = { entity: InvoiceLine, rows: lines, parent: 'invoice', orderBy: 'position', key: 'lines' };
  const entryIds = [newId('aud'), newId('aud')];
  await em.transactional((tx) => insertRowsRecordedWithParts(tx, Invoice, [withLines, withoutLines], entryIds, parts, actor));

  const entries = await em.fork().find(AuditEntry, { entityId: { $in: [withLines.id, withoutLines.id, ...lines.map((l) => l.id)] } }, { orderBy: { id: 'asc' } });
  expect(entries.map((e) => [e.id, e.action, e.entityType, e.entityId, e.changes])).toEqual([
    [entryIds[0], 'create', 'Invoice', withLines.id, { ...withLines, lines: [lines[1]!.id, lines[0]!.id] }],
    [entryIds[1], 'create', 'Invoice', withoutLines.id, { ...withoutLines, lines: [] }],
  ]);
  expect(await em.fork().count(InvoiceLine, { invoice: withLines.id })).toBe(2);

  // The values a part was created with are in its deletion's entry: every property, as its own creation entry
  // would have held them (recordChanges of the row as inserted), the parent included.
  const [second, first] = lines;
  const deletion = newId('aud');
  await em.transactional((tx) => deleteRowsRecorded(tx, InvoiceLine, [second!.id], [deletion], actor));
  const asCreated = newId('aud');
  await em.transactional((tx) => recordChanges(tx, actor, [{ id: asCreated, action: 'create', entityType: 'InvoiceLine', entityId: second!.id, changes: { ...second!, billingItemName: null, billingCodeId: null, roleName: null, workTypeName: null, lineOfBusinessId: null, lineOfBusinessName: null, subOrganizationName: null } }]));
  const [deleted, expected] = await em.fork().find(AuditEntry, { id: { $in: [deletion, asCreated] } }, { orderBy: { id: 'asc' } });
  expect([deleted!.action, deleted!.entityType, deleted!.entityId, deleted!.actorName]).toEqual(['delete', 'InvoiceLine', second!.id, 'test']);
  expect(deleted!.changes).toEqual(expected!.changes);
  expect((await em.fork().find(InvoiceLine, { invoice: withLines.id })).map((l) => l.id)).toEqual([first!.id]);
  // Its stored text typed as that JSON holds it: integers and booleans as such, decimals and dates as their text.
  const [stored] = await selectRowsAsText(em, InvoiceLine, 't.id = ?', [first!.id]);
  expect(Object.fromEntries(['position', 'taxable', 'quantity', 'serviceDate', 'invoice', 'billingItemId'].map((p) => [p, storedTextAsJson(em, InvoiceLine, p, stored![p])])))
    .toEqual({ position: 1, taxable: false, quantity: '1.5000', serviceDate: '2026-02-27', invoice: withLines.id, billingItemId: null });
  expect(() => storedTextAsJson(em, InvoiceLine, 'createdAt', stored!.createdAt)).toThrow('InvoiceLine.createdAt: a timestamp');

  // A part whose parent is not among the rows would be recorded nowhere: refused before anything is written.
  const stray = { ...line(1, 'stray'), invoice: withoutLines.id };
  await expect(em.transactional((tx) => insertRowsRecordedWithParts(tx, Invoice, [invoice(44013)], [newId('aud')], { ...parts, rows: [stray] }, actor)))
    .rejects.toThrow(`InvoiceLine ${stray.id}: its invoice is not among the rows inserted with it, so no entry would name it`);
  expect(await em.fork().count(Invoice, { autotaskId: 44013 })).toBe(0);
});
