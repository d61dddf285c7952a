/**
 * Customer import over GraphQL against a fake Autotask: the preview's verdicts (linked, match, new, conflicts
 * between company files and near-duplicates), apply without an Autotask connection (new rows fail with a stable
 * code, links still happen), apply creating companies in Autotask and linking them by ListID, re-running it
 * (nothing duplicated), per-row decisions with one failing row, roles and the audit log.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { asActor } from '../../src/modules/audit/actor.js';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { Organization, OrganizationQbLink } from '../../src/modules/autotask/organization.entity.js';
import { Connector } from '../../src/modules/connector/connector.entity.js';
import { Role } from '../../src/modules/user/role.js';
import { ApplyCustomerImportDocument, CustomerImportPreviewDocument, SetAutotaskConnectionDocument, type ApplyCustomerImportMutation, type CustomerImportPreviewQuery } from '../generated/graphql.js';
import { pushOrganization } from '../helpers/billing-fixture.js';
import { onlyError } from '../helpers/test-app.js';
import { connectionInput, seedConnectors, startAutotaskTestApp, type AutotaskTestApp } from '../autotask/helpers/autotask-app.js';
import { company } from '../autotask/helpers/fake-autotask.js';
import { customer, seedCustomerList } from './helpers.js';

type Preview = CustomerImportPreviewQuery['customerImportPreview'];
type PreviewRow = Preview['rows'][number];
type ResultRow = ApplyCustomerImportMutation['applyCustomerImport']['rows'][number];

let t: AutotaskTestApp;
let main: Connector;
let other: Connector;
let em: EntityManager;
let viewer: string;
let accountant: string;

const OWNER_RESOURCE = 29682885;
// "Main": the admin's first company file; "Other": a second one.
const initech = customer('Initech, Inc.', { companyName: 'Initech Inc' });
const umbrella = customer('Umbrella Corporation');
const hooli = customer('Hooli', { phone: '650-555-0100' });
const hooliJob = customer('Server Move', { parent: hooli });
const oldClient = customer('Old Client', { isActive: false });
const globex = customer('Globex Industries');
const piedPiperMain = customer('Pied Piper', { phone: '650-555-0101', email: 'ap@piedpiper.com' });
const starkMain = customer('Stark Industries', { phone: '212-555-0190' });
const store12 = customer('Store 12', { phone: '555-0112' });
const store13 = customer('Store 13');
const massiveMain = customer('Massive Dynamic');
const piedPiperOther = customer('Pied Piper LLC', { phone: '(650) 555-0199' });
const starkOther = customer('Stark Industries, Inc.', { phone: '(212) 555 0190' });
const massiveOther = customer('Massive Dynamics', { phone: '555-0177' });

beforeAll(async () => {
  t = await startAutotaskTestApp();
  // Every Autotask tenant has its own company (id 0); none of the imported names exists there yet.
  t.fake.put('companies', [company(0, 'Example MSP')]);
  ({ main, other } = await seedConnectors(t.app));
  em = t.app.database.orm.em.fork() as EntityManager;
  await pushOrganization(em, 601, 'Initech Inc');
  await pushOrganization(em, 602, 'Globex Industrial');
  await pushOrganization(em, 603, 'Umbrella Corp');
  await asActor({ id: 'test', name: 'seed' }, async () => {
    const umbrellaOrg = await em.findOneOrFail(Organization, { autotaskId: 603 });
    await em.persist(new OrganizationQbLink(umbrellaOrg, em.getReference(Connector, main.id), umbrella.listId, umbrella.name)).flush();
  });
  await seedCustomerList(em.fork(), main.id, [initech, umbrella, hooli, hooliJob, oldClient, globex, piedPiperMain, starkMain, store12, store13, massiveMain]);
  await seedCustomerList(em.fork(), other.id, [piedPiperOther, starkOther, massiveOther], null);
  viewer = (await t.app.createUser(Role.VIEWER, 'Vic')).token;
  accountant = (await t.app.createUser(Role.ACCOUNTANT, 'Carla')).token;
});
afterAll(async () => {
  await t?.close();
});

async function preview(token = viewer): Promise<Preview> {
  const res = await t.app.gql(CustomerImportPreviewDocument, { connectorIds: [main.id, other.id] }, token);
  expect(res.errors).toBeUndefined();
  return res.data!.customerImportPreview;
}

async function apply(input: Record<string, unknown>): Promise<ApplyCustomerImportMutation['applyCustomerImport']> {
  const res = await t.app.gql(ApplyCustomerImportDocument, { input: { connectorIds: [main.id, other.id], ...input } } as never, t.admin);
  expect(res.errors).toBeUndefined();
  return res.data!.applyCustomerImport;
}

function rowOf<R extends { listId: string }>(rows: readonly R[], listId: string): R {
  const row = rows.find((r) => r.listId === listId);
  if (!row) throw new Error(`no row for ${listId}`);
  return row;
}

const companyPosts = () => t.fake.calls('companies', 'POST').filter((c) => c.url.endsWith('/Companies'));

describe('preview', () => {
  test('classifies every top-level customer; jobs and inactive customers are left out and counted', async () => {
    const p = await preview();
    const verdicts = Object.fromEntries(p.rows.map((r) => [`${r.connectorName}: ${r.fullName}`, r.verdict]));
    expect(verdicts).toEqual({
      'Main: Globex Industries': 'CONFLICT',
      'Main: Hooli': 'NEW',
      'Main: Initech, Inc.': 'MATCH',
      'Main: Massive Dynamic': 'CONFLICT',
      'Main: Pied Piper': 'CONFLICT',
      'Main: Stark Industries': 'NEW',
      'Main: Store 12': 'NEW',
      'Main: Store 13': 'NEW',
      'Main: Umbrella Corporation': 'LINKED',
      'Other: Massive Dynamics': 'CONFLICT',
      'Other: Pied Piper LLC': 'CONFLICT',
      'Other: Stark Industries, Inc.': 'NEW',
    });
    expect(p.summary).toEqual({ total: 12, linked: 1, matched: 1, new: 5, conflicts: 5 });
    expect(p.connectors).toEqual([
      { connectorId: main.id, name: 'Main', customersSyncedAt: expect.any(String), customers: 9, jobsSkipped: 1, inactiveSkipped: 1 },
      { connectorId: other.id, name: 'Other', customersSyncedAt: null, customers: 3, jobsSkipped: 0, inactiveSkipped: 0 },
    ]);
    expect(p.warnings).toEqual([expect.stringContaining('The customer list of connector "Other"')]);
  });

  test('LINKED by the stored ListID; MATCH by the normalised name (punctuation, case, legal forms)', async () => {
    const p = await preview();
    expect(rowOf(p.rows, umbrella.listId)).toMatchObject({ organization: { autotaskId: 603 }, defaultAction: null, conflicts: [] });
    expect(rowOf(p.rows, initech.listId)).toMatchObject({ normalisedName: 'initech', organization: { autotaskId: 601, name: 'Initech Inc' }, defaultAction: 'LINK', conflicts: [] });
    expect(rowOf(p.rows, hooli.listId)).toMatchObject({ organization: null, defaultAction: 'CREATE', conflicts: [] });
  });

  test('conflicts: same name in two company files with other details, near-duplicate organizations and customers', async () => {
    const p = await preview();
    const kinds = (row: PreviewRow) => row.conflicts.map((c) => c.kind);
    const piper = rowOf(p.rows, piedPiperMain.listId);
    expect(kinds(piper)).toEqual(['SAME_NAME_DIFFERENT_DETAILS']);
    expect(piper.conflicts[0]).toMatchObject({ otherConnectorId: other.id, otherListId: piedPiperOther.listId, message: expect.stringContaining('(phone)') });
    expect(kinds(rowOf(p.rows, piedPiperOther.listId))).toEqual(['SAME_NAME_DIFFERENT_DETAILS']);

    const near = rowOf(p.rows, globex.listId);
    expect(near.conflicts).toEqual([expect.objectContaining({ kind: 'NEAR_DUPLICATE_ORGANIZATION', organization: expect.objectContaining({ autotaskId: 602 }), score: expect.any(Number) })]);
    expect(near.conflicts[0]!.score).toBeGreaterThanOrEqual(0.9);
    expect(near.defaultAction).toBe('SKIP');
    expect(rowOf(p.rows, massiveMain.listId).conflicts).toEqual([expect.objectContaining({ kind: 'NEAR_DUPLICATE_CUSTOMER', otherListId: massiveOther.listId })]);

    // The same company in two files (equal details once normalised) is no conflict; "Store 12" and "Store 13"
    // look alike but their numbers differ.
    for (const c of [starkMain, starkOther, store12, store13]) expect(rowOf(p.rows, c.listId).conflicts).toEqual([]);
  });

  test('the similarity threshold decides what is a near-duplicate; bad input names the field', async () => {
    const res = await t.app.gql(CustomerImportPreviewDocument, { connectorIds: [main.id, other.id], options: { similarityThreshold: 1 } }, viewer);
    expect(res.errors).toBeUndefined();
    const rows = res.data!.customerImportPreview.rows;
    expect([globex, massiveMain, massiveOther].map((c) => rowOf(rows, c.listId).verdict)).toEqual(['NEW', 'NEW', 'NEW']);
    const tooLow = onlyError(await t.app.gql(CustomerImportPreviewDocument, { connectorIds: [main.id], options: { similarityThreshold: 0.2 } }, viewer));
    expect(tooLow.extensions?.code).toBe('BAD_USER_INPUT');

    const unknown = onlyError(await t.app.gql(CustomerImportPreviewDocument, { connectorIds: ['conn_missing'] }, viewer));
    expect(unknown.extensions).toMatchObject({ code: 'NOT_FOUND', errorCode: 'NOT_FOUND' });
    const empty = onlyError(await t.app.gql(CustomerImportPreviewDocument, { connectorIds: [] }, viewer));
    expect(empty.extensions?.fields).toEqual([{ field: 'connectorIds', message: 'must name at least one connector' }]);
  });
});

describe('apply', () => {
  test('only admins apply; viewers and accountants may preview', async () => {
    await preview(accountant);
    const res = await t.app.gql(ApplyCustomerImportDocument, { input: { connectorIds: [main.id] } }, accountant);
    expect(onlyError(res).extensions?.code).toBe('FORBIDDEN');
  });

  test('without an Autotask connection: NEW rows fail with AUTOTASK_CONNECTION_REQUIRED, matches are linked all the same', async () => {
    t.fake.resetLog();
    const result = await apply({ createNew: true });
    expect(rowOf(result.rows, initech.listId)).toMatchObject({ action: 'LINK', outcome: 'LINKED', organization: { autotaskId: 601 }, errorCode: null });
    for (const c of [hooli, starkMain, starkOther, store12, store13]) {
      const row = rowOf(result.rows, c.listId);
      expect(row).toMatchObject({ action: 'CREATE', outcome: 'FAILED', errorCode: 'AUTOTASK_CONNECTION_REQUIRED' });
      expect(row.errorMessage).toContain('setAutotaskConnection');
    }
    expect(rowOf(result.rows, umbrella.listId)).toMatchObject({ action: null, outcome: 'ALREADY_LINKED' });
    expect(rowOf(result.rows, globex.listId)).toMatchObject({ action: 'SKIP', outcome: 'SKIPPED' });
    expect(result).toMatchObject({ linked: 1, created: 0, alreadyLinked: 1, skipped: 5, failed: 5 });
    expect(t.fake.requests).toEqual([]);

    const link = await em.fork().findOneOrFail(OrganizationQbLink, { listId: initech.listId }, { populate: ['organization', 'connector'] });
    expect(link).toMatchObject({ fullName: 'Initech, Inc.', editSequence: '1764000000', organization: { autotaskId: 601 }, connector: { id: main.id } });
    expect((await preview()).summary).toMatchObject({ linked: 2, matched: 0 });
  });

  test('creates the NEW organizations in Autotask and links them by ListID; the same company in two files once', async () => {
    const set = await t.app.gql(SetAutotaskConnectionDocument, { input: connectionInput(t.fake, { newCompanyOwnerResourceId: OWNER_RESOURCE }) }, t.admin);
    expect(set.errors).toBeUndefined();
    t.fake.resetLog();

    const result = await apply({ createNew: true });
    expect(result).toMatchObject({ linked: 1, created: 3, alreadyLinked: 2, skipped: 5, failed: 1 });
    expect(companyPosts().map((c) => c.body)).toEqual([
      { companyName: 'Hooli', companyType: 1, ownerResourceID: OWNER_RESOURCE, phone: '650-555-0100', isActive: true },
      { companyName: 'Stark Industries', companyType: 1, ownerResourceID: OWNER_RESOURCE, phone: '212-555-0190', isActive: true },
      { companyName: 'Store 12', companyType: 1, ownerResourceID: OWNER_RESOURCE, phone: '555-0112', isActive: true },
    ]);
    // Autotask needs a phone number for a new company: that row fails before anything is sent, the others went on.
    const noPhone = rowOf(result.rows, store13.listId);
    expect(noPhone).toMatchObject({ action: 'CREATE', outcome: 'FAILED', errorCode: 'VALIDATION_FAILED', organization: null });
    expect(noPhone.errorMessage).toContain('"Store 13" has no phone number');
    const stark = rowOf(result.rows, starkMain.listId);
    expect(stark).toMatchObject({ outcome: 'CREATED', organization: { name: 'Stark Industries' } });
    expect(rowOf(result.rows, starkOther.listId)).toMatchObject({ outcome: 'LINKED', organization: { id: stark.organization!.id } });

    const hooliRow = rowOf(result.rows, hooli.listId);
    const hooliCompany = t.fake.record('companies', hooliRow.organization!.autotaskId)!;
    expect(hooliCompany.companyName).toBe('Hooli');
    const links = await em.fork().find(OrganizationQbLink, { organization: hooliRow.organization!.id }, { populate: ['connector'] });
    expect(links.map((l) => [l.connector.id, l.listId, l.fullName])).toEqual([[main.id, hooli.listId, 'Hooli']]);
    const starkLinks = await em.fork().find(OrganizationQbLink, { organization: stark.organization!.id }, { populate: ['connector'] });
    expect(starkLinks.map((l) => [l.connector.id, l.listId]).sort()).toEqual([[main.id, starkMain.listId], [other.id, starkOther.listId]].sort());
  });

  test('running it again changes nothing: no company posted, no organization or link added', async () => {
    const counts = async () => [await em.fork().count(Organization), await em.fork().count(OrganizationQbLink)];
    const before = await counts();
    t.fake.resetLog();
    const result = await apply({ createNew: true });
    expect(result).toMatchObject({ linked: 0, created: 0, alreadyLinked: 6, skipped: 5, failed: 1 });
    expect(companyPosts()).toEqual([]);
    expect(await counts()).toEqual(before);
  });

  test('decisions override defaults row by row; a failing row does not stop the others', async () => {
    const globexOrg = await em.fork().findOneOrFail(Organization, { autotaskId: 602 });
    const initechOrg = await em.fork().findOneOrFail(Organization, { autotaskId: 601 });
    t.fake.resetLog();
    const result = await apply({
      decisions: [
        { connectorId: main.id, listId: globex.listId, action: 'LINK', organizationId: globexOrg.id },
        { connectorId: main.id, listId: piedPiperMain.listId, action: 'CREATE' },
        // Same name, other details: deciding CREATE for both makes two organizations, not one.
        { connectorId: other.id, listId: piedPiperOther.listId, action: 'CREATE' },
        { connectorId: main.id, listId: store13.listId, action: 'SKIP' },
        // Initech is linked to "Initech, Inc." in Main already: one organization, one customer per connector.
        { connectorId: main.id, listId: massiveMain.listId, action: 'LINK', organizationId: initechOrg.id },
        { connectorId: other.id, listId: massiveOther.listId, action: 'CREATE' },
      ],
    });
    expect(rowOf(result.rows, globex.listId)).toMatchObject({ outcome: 'LINKED', organization: { autotaskId: 602 } });
    const piper = rowOf(result.rows, piedPiperMain.listId);
    expect(piper).toMatchObject({ outcome: 'CREATED', organization: { name: 'Pied Piper' } });
    const piperLlc = rowOf(result.rows, piedPiperOther.listId);
    expect(piperLlc).toMatchObject({ outcome: 'CREATED', organization: { name: 'Pied Piper LLC' } });
    expect(piperLlc.organization!.id).not.toBe(piper.organization!.id);
    expect(rowOf(result.rows, store13.listId)).toMatchObject({ action: 'SKIP', outcome: 'SKIPPED', errorCode: null });
    const failed: ResultRow = rowOf(result.rows, massiveMain.listId);
    expect(failed).toMatchObject({ outcome: 'FAILED', errorCode: 'CUSTOMER_LINK_CONFLICT' });
    expect(failed.errorMessage).toContain('already linked to customer "Initech, Inc."');
    expect(rowOf(result.rows, massiveOther.listId)).toMatchObject({ outcome: 'CREATED', organization: { name: 'Massive Dynamics' } });
    expect(result).toMatchObject({ linked: 1, created: 3, failed: 1 });
    expect(await em.fork().count(OrganizationQbLink, { listId: massiveMain.listId })).toBe(0);
  });

  test('decisions that name no row of the preview, or LINK without an organization, are refused before anything changes', async () => {
    const res = await t.app.gql(
      ApplyCustomerImportDocument,
      {
        input: {
          connectorIds: [main.id],
          decisions: [
            { connectorId: main.id, listId: hooliJob.listId, action: 'CREATE' },
            { connectorId: main.id, listId: store12.listId, action: 'SKIP', organizationId: 'org_x' },
            { connectorId: main.id, listId: hooli.listId, action: 'CREATE' },
          ],
        },
      },
      t.admin,
    );
    expect(onlyError(res).extensions?.fields).toEqual([
      { field: 'decisions.0.listId', message: expect.stringContaining('is not a top-level customer of connector') },
      { field: 'decisions.1.organizationId', message: 'is only for the LINK action' },
      { field: 'decisions.2.action', message: 'cannot be CREATE: customer "Hooli" is linked to organization "Hooli" already' },
    ]);
  });

  test('every link is in the audit log under the admin who applied', async () => {
    const entries = await em.fork().find(AuditEntry, { entityType: 'OrganizationQbLink', action: 'create', actorName: 'Admin' });
    // Initech, Hooli, Stark ×2, Store 12, Globex, Pied Piper, Pied Piper LLC, Massive Dynamics.
    expect(entries).toHaveLength(9);
    expect(entries.map((e) => e.changes.listId)).toEqual(expect.arrayContaining([initech.listId, hooli.listId, globex.listId]));
  });
});
