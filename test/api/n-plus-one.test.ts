/**
 * No N+1: a nested list query (connectors → company, registrations → user, mappings, routes) issues the
 * same number of SQL statements for 5 and for 50 connectors, because every relation field is batched.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { Role } from '../../src/modules/user/role.js';
import { asActor } from '../../src/modules/audit/actor.js';
import { Company } from '../../src/modules/company/company.entity.js';
import { Connector } from '../../src/modules/connector/connector.entity.js';
import { ApiCredential } from '../../src/modules/credential/api-credential.entity.js';
import { Registration } from '../../src/modules/registration/registration.entity.js';
import { Mapping } from '../../src/modules/mapping/mapping.entity.js';
import { MappingSourceKind } from '../../src/modules/mapping/mapping-source.js';
import { Route, RouteSubject } from '../../src/modules/routing/route.entity.js';
import { User } from '../../src/modules/user/user.entity.js';
import { QbRef } from '../../src/shared/qb-ref.js';
import { ConnectorTreeDocument } from '../generated/graphql.js';

let app: TestApp;
let statements = 0;
let token: string;
beforeAll(async () => {
  app = await startTestApp({ onQuery: (line) => { if (line.includes('[query]')) statements++; } });
  token = (await app.createUser(Role.ADMIN, 'Ada')).token;
  // A token's first use records lastUsedAt (then at most once a minute): counted queries are not its first.
  await app.gql(ConnectorTreeDocument, { first: 1 }, token);
});
afterAll(async () => {
  await app?.close();
});

/** Adds connectors, each with a bound company, two registrations, three mappings and two routes. */
async function seed(from: number, to: number): Promise<void> {
  const em = app.database.orm.em.fork();
  let credential = await em.findOne(ApiCredential, { userName: 'qbwc' });
  if (!credential) em.persist((credential = new ApiCredential('qbwc', 'not a real hash')));
  const people = await em.find(User, {});
  for (let i = from; i < to; i++) {
    const connector = new Connector(`C${i}`);
    const company = new Company();
    company.filePath = `C:\\QB\\file${i}.QBW`;
    connector.company = company;
    em.persist([company, connector]);
    for (const person of people.slice(0, 2)) em.persist(new Registration(connector, person, credential, null));
    for (const kind of [MappingSourceKind.WORK_TYPE, MappingSourceKind.LINE_OF_BUSINESS, MappingSourceKind.BILLING_CODE]) {
      const mapping = new Mapping(connector, kind, String(i), `source ${i}`);
      mapping.target = Object.assign(new QbRef(), { listId: null, fullName: `Target ${i}` });
      em.persist(mapping);
    }
    em.persist([new Route(RouteSubject.ORGANIZATION, 10_000 + i, connector), new Route(RouteSubject.RESOURCE, 20_000 + i, connector)]);
  }
  await asActor({ id: 'test', name: 'seed' }, () => em.flush());
}

async function countStatements(): Promise<{ statements: number; connectors: number }> {
  statements = 0;
  const res = await app.gql(ConnectorTreeDocument, { first: 200 }, token);
  expect(res.errors).toBeUndefined();
  const nodes = res.data!.connectors.nodes;
  // The data is really there: every connector came back with its relations filled.
  for (const c of nodes) {
    expect(c.company?.connector?.id).toBe(c.id);
    expect(c.registrations).toHaveLength(2);
    expect(c.registrations[0]!.user.name).toBeTruthy();
    expect(c.mappings).toHaveLength(3);
    expect(c.routes).toHaveLength(2);
  }
  return { statements, connectors: nodes.length };
}

test('the statement count does not grow with the number of rows', async () => {
  await app.createUser(Role.ACCOUNTANT, 'Ann');
  await seed(0, 5);
  const five = await countStatements();
  await seed(5, 50);
  const fifty = await countStatements();
  console.log(`SQL statements for a nested connector query: ${five.connectors} rows → ${five.statements}, ${fifty.connectors} rows → ${fifty.statements}`);
  expect(five.connectors).toBe(5);
  expect(fifty.connectors).toBe(50);
  expect(fifty.statements).toBe(five.statements);
  // token lookup, page, company, company→connector, registrations, users, credentials, mappings, routes; no count
  // (totalCount is not asked for) and no token touch (once a minute): 12 before either
  expect(five.statements).toBeLessThanOrEqual(10);
});
