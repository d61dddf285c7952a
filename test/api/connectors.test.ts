/** Connectors: exactly one default, deliberate default moves, deletion rules, company binding, audit log. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestApp, onlyError, type TestApp } from '../helpers/test-app.js';
import { Role } from '../../src/modules/user/role.js';
import { asActor } from '../../src/modules/audit/actor.js';
import { Company } from '../../src/modules/company/company.entity.js';
import { Connector } from '../../src/modules/connector/connector.entity.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { TransferEntityType } from '../../src/modules/transfer/transfer-state.js';
import {
  AuditLogDocument,
  ClearCompanyBindingDocument,
  CompaniesDocument,
  ConnectorsDocument,
  CreateConnectorDocument,
  DefaultConnectorDocument,
  DeleteConnectorDocument,
  SetDefaultConnectorDocument,
  UpdateConnectorDocument,
} from '../generated/graphql.js';

let app: TestApp;
let admin: { id: string; token: string };
beforeAll(async () => {
  app = await startTestApp();
  admin = await app.createUser(Role.ADMIN, 'Ada');
});
afterAll(async () => {
  await app?.close();
});

async function create(name: string): Promise<{ id: string; isDefault: boolean }> {
  const res = await app.gql(CreateConnectorDocument, { input: { name } }, admin.token);
  expect(res.errors).toBeUndefined();
  return res.data!.createConnector;
}

async function defaults(): Promise<string[]> {
  const res = await app.gql(ConnectorsDocument, { first: 200 }, admin.token);
  return res.data!.connectors.nodes.filter((c) => c.isDefault).map((c) => c.name);
}

test('the first connector becomes the default, later ones do not', async () => {
  expect((await app.gql(DefaultConnectorDocument, {}, admin.token)).data?.defaultConnector).toBeNull();
  expect((await create('Main')).isDefault).toBe(true);
  expect((await create('Second')).isDefault).toBe(false);
  expect(await defaults()).toEqual(['Main']);
});

test('connector settings have sensible defaults and a distinct FileID each', async () => {
  const res = await app.gql(ConnectorsDocument, { first: 2 }, admin.token);
  const [main, second] = res.data!.connectors.nodes;
  expect(main).toMatchObject({
    enabled: true, runEveryMinutes: 60, qbxmlVersionCap: '13.0', itemNamingConvention: 'BILLING_ITEM_NAME',
    defaultTransmissionMethod: 'NONE', taxMode: 'QUICKBOOKS_CALCULATES', missingMappingPolicy: 'AUTO_CREATE',
    defaultIncomeAccount: { fullName: 'Autotask Other', listId: null },
  });
  expect(main!.fileId).toMatch(/^\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}$/);
  expect(second!.fileId).not.toBe(main!.fileId);
});

test('names are unique', async () => {
  const res = onlyError(await app.gql(CreateConnectorDocument, { input: { name: 'Main' } }, admin.token));
  expect(res.extensions).toMatchObject({ code: 'CONFLICT', fields: [{ field: 'name' }] });
});

test('moving the default needs confirm: true, and leaves exactly one default', async () => {
  const second = (await app.gql(ConnectorsDocument, { first: 200 }, admin.token)).data!.connectors.nodes.find((c) => c.name === 'Second')!;
  const refused = onlyError(await app.gql(SetDefaultConnectorDocument, { id: second.id, confirm: false }, admin.token));
  expect(refused.extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'DEFAULT_CONNECTOR_CHANGE_UNCONFIRMED' });
  expect(refused.message).toContain('instead of to "Main"');
  expect(await defaults()).toEqual(['Main']);
  const moved = await app.gql(SetDefaultConnectorDocument, { id: second.id, confirm: true }, admin.token);
  expect(moved.data?.setDefaultConnector).toMatchObject({ name: 'Second', isDefault: true });
  expect(await defaults()).toEqual(['Second']);
});

test('the database itself refuses a second default', async () => {
  const em = app.database.orm.em.fork();
  const main = await em.findOneOrFail(Connector, { name: 'Main' });
  main.isDefault = true;
  await expect(asActor({ id: 'test', name: 'test' }, () => em.flush())).rejects.toThrow(/connector_single_default/);
});

test('the default cannot be deleted while others exist; a connector that sent something cannot be deleted', async () => {
  const all = (await app.gql(ConnectorsDocument, { first: 200 }, admin.token)).data!.connectors.nodes;
  const second = all.find((c) => c.name === 'Second')!;
  const main = all.find((c) => c.name === 'Main')!;
  expect(onlyError(await app.gql(DeleteConnectorDocument, { id: second.id }, admin.token)).extensions?.errorCode).toBe('DEFAULT_CONNECTOR_REQUIRED');

  const em = app.database.orm.em.fork();
  const item = new TransferItem(em.getReference(Connector, main.id), TransferEntityType.INVOICE, 'inv_x');
  item.attemptCount = 1;
  await asActor({ id: 'test', name: 'test' }, () => em.persist(item).flush());
  const refused = onlyError(await app.gql(DeleteConnectorDocument, { id: main.id }, admin.token));
  expect(refused.extensions).toMatchObject({ code: 'CONFLICT', errorCode: 'CONNECTOR_HAS_TRANSFERS' });

  const spare = await create('Trial');
  const deleted = await app.gql(DeleteConnectorDocument, { id: spare.id }, admin.token);
  expect(deleted.data?.deleteConnector.name).toBe('Trial');
  expect((await app.gql(ConnectorsDocument, { first: 200 }, admin.token)).data!.connectors.nodes.map((c) => c.name)).not.toContain('Trial');
});

test('clearing the company binding detaches the file and keeps it as history', async () => {
  const em = app.database.orm.em.fork();
  const main = await em.findOneOrFail(Connector, { name: 'Main' });
  const company = new Company();
  company.filePath = 'C:\\QB\\Acme.QBW';
  company.fileId = main.fileId;
  main.company = company;
  await asActor({ id: 'test', name: 'test' }, () => em.persist(company).flush());

  const cleared = await app.gql(ClearCompanyBindingDocument, { connectorId: main.id }, admin.token);
  expect(cleared.data?.clearCompanyBinding.company).toBeNull();
  const companies = await app.gql(CompaniesDocument, {}, admin.token);
  const row = companies.data!.companies.nodes.find((c) => c.id === company.id)!;
  expect(row.connector).toBeNull();
  expect(row.unboundAt).not.toBeNull();
});

test('every change is in the audit log with who, what and when', async () => {
  const main = (await app.gql(ConnectorsDocument, { first: 200 }, admin.token)).data!.connectors.nodes.find((c) => c.name === 'Main')!;
  await app.gql(UpdateConnectorDocument, { id: main.id, input: { runEveryMinutes: 15 } }, admin.token);
  const log = await app.gql(AuditLogDocument, { entityType: 'Connector', entityId: main.id }, admin.token);
  const entries = log.data!.auditLog.nodes;
  expect(entries[0]).toMatchObject({ action: 'create', actorId: admin.id, actorName: 'Ada' });
  expect(entries.at(-1)).toMatchObject({ action: 'update', actorId: admin.id, changes: { runEveryMinutes: 15 } });
  expect(Date.parse(entries.at(-1)!.createdAt)).toBeGreaterThan(Date.now() - 60_000);
});
