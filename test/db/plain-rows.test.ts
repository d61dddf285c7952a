/**
 * selectPlainRows (src/db/rows.ts) answers what the entities hold: a connector's registrations, mappings and
 * routes are served to GraphQL as plain rows, so every value must come back in the entity's form (dates as Date,
 * a nullable embeddable as null when unset, each many-to-one as its id). And it refuses a column it cannot read so.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openTestDatabase } from '../helpers/test-database.js';
import type { Database } from '../../src/db/database.js';
import { asActor } from '../../src/modules/audit/actor.js';
import { columnOf, plainRowOfJson, selectPlainRows, selectPlainRowsWith } from '../../src/db/rows.js';
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
