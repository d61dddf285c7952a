/**
 * Acceptance: through GraphQL only (plus the CLI-created admin token), each of the four implementation
 * scenarios can be set up — connectors with exactly one default, users, registrations, one API credential,
 * QWC downloads, mappings and routing — and the effective-connector query follows the routing rules.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { Role } from '../../src/modules/user/role.js';
import {
  ConnectorsDocument,
  CreateApiCredentialDocument,
  CreateApiTokenDocument,
  CreateConnectorDocument,
  CreateRegistrationDocument,
  CreateUserDocument,
  EffectiveConnectorsDocument,
  SetRoutesDocument,
  UpsertMappingsDocument,
} from '../generated/graphql.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { PUBLIC_BASE_URL: 'https://qbd.example.com' } });
});
afterAll(async () => {
  await app?.close();
});

/** Runs a mutation/query and fails the test on any GraphQL error. */
async function ok<R, V>(doc: Parameters<TestApp['gql']>[0], variables: V, token: string): Promise<R> {
  const res = await app.gql<R, V>(doc as never, variables, token);
  expect(res.errors).toBeUndefined();
  return res.data as R;
}

const parser = new XMLParser({ parseTagValue: false });

async function downloadQwc(registrationId: string, token: string): Promise<{ status: number; body: string; disposition: string | null }> {
  const res = await fetch(`${app.url}/qwc/${registrationId}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.text(), disposition: res.headers.get('content-disposition') };
}

interface Scenario {
  readonly name: string;
  readonly files: number;
  readonly accountants: number;
}

const SCENARIOS: Scenario[] = [
  { name: 'one file, one accountant', files: 1, accountants: 1 },
  { name: 'one file, several accountants', files: 1, accountants: 3 },
  { name: 'several files, one accountant', files: 3, accountants: 1 },
  { name: 'several files, several accountants', files: 2, accountants: 2 },
];

describe.each(SCENARIOS.map((s, i) => ({ ...s, index: i })))('scenario: $name', ({ files, accountants, index }) => {
  test('set-up through GraphQL, QWC downloads and routing', async () => {
    // Each scenario is its own deployment in spirit; names are prefixed so they share one database.
    const prefix = `S${index}`;
    const admin = await app.createUser(Role.ADMIN, `${prefix} admin`);

    const credential = await ok<{ createApiCredential: { generatedPassword: string | null; credential: { id: string; userName: string } } }, unknown>(
      CreateApiCredentialDocument, { input: { userName: `qbwc-${prefix.toLowerCase()}` } }, admin.token,
    );
    expect(credential.createApiCredential.generatedPassword).toMatch(/^[A-Za-z0-9]{24}$/);
    const credentialId = credential.createApiCredential.credential.id;

    const connectorIds: string[] = [];
    for (let f = 0; f < files; f++) {
      const created = await ok<{ createConnector: { id: string; isDefault: boolean } }, unknown>(
        CreateConnectorDocument, { input: { name: `${prefix} file ${f}`, runEveryMinutes: 30 } }, admin.token,
      );
      connectorIds.push(created.createConnector.id);
    }

    const people: Array<{ id: string; token: string }> = [];
    for (let a = 0; a < accountants; a++) {
      const created = await ok<{ createUser: { id: string } }, unknown>(
        CreateUserDocument, { input: { name: `${prefix} accountant ${a}`, role: 'ACCOUNTANT' } }, admin.token,
      );
      const token = await ok<{ createApiToken: { secret: string } }, unknown>(
        CreateApiTokenDocument, { input: { userId: created.createUser.id, label: 'laptop' } }, admin.token,
      );
      people.push({ id: created.createUser.id, token: token.createApiToken.secret });
    }

    // Every accountant gets a QWC file for every connector (there are several credentials overall, so name it).
    const qwcs: Array<{ connectorId: string; personId: string; xml: string; registrationId: string }> = [];
    for (const connectorId of connectorIds) {
      for (const person of people) {
        const reg = await ok<{ createRegistration: { id: string; qwc: string } }, unknown>(
          CreateRegistrationDocument, { input: { connectorId, userId: person.id, credentialId } }, admin.token,
        );
        const download = await downloadQwc(reg.createRegistration.id, person.token);
        expect(download.status).toBe(200);
        expect(download.disposition).toMatch(/^attachment; filename=".+\.qwc"$/);
        expect(download.body).toBe(reg.createRegistration.qwc);
        qwcs.push({ connectorId, personId: person.id, xml: download.body, registrationId: reg.createRegistration.id });
      }
    }

    const parsed = qwcs.map((q) => ({ ...q, doc: parser.parse(q.xml).QBWCXML as Record<string, string> }));
    for (const q of parsed) {
      expect(q.doc.UserName).toBe(`qbwc-${prefix.toLowerCase()}`);
      expect(q.doc.AppURL).toBe(`https://qbd.example.com/qbwc/${q.registrationId}`);
      expect(new URL(q.doc.AppSupport!).host).toBe('qbd.example.com');
    }
    // Identical FileID within a connector, distinct across connectors; OwnerID/FileID pairs all distinct.
    for (const connectorId of connectorIds) {
      const ids = new Set(parsed.filter((q) => q.connectorId === connectorId).map((q) => q.doc.FileID));
      expect(ids.size).toBe(1);
    }
    expect(new Set(parsed.map((q) => q.doc.FileID)).size).toBe(files);
    expect(new Set(parsed.map((q) => `${q.doc.OwnerID}|${q.doc.FileID}`)).size).toBe(files * accountants);
    expect(new Set(parsed.map((q) => q.doc.AppUniqueName)).size).toBe(files * accountants);

    // Mappings per connector.
    for (const connectorId of connectorIds) {
      const mapped = await ok<{ upsertMappings: Array<{ targetList: string }> }, unknown>(
        UpsertMappingsDocument,
        {
          input: {
            connectorId,
            mappings: [
              { sourceKind: 'WORK_TYPE', sourceId: '29682801', sourceName: 'Remote Support', target: { fullName: 'Labor:Remote' }, itemType: 'SERVICE' },
              { sourceKind: 'MATERIAL', sourceId: '29682900', sourceName: 'Cables', autoCreate: true, itemType: 'NON_INVENTORY' },
              { sourceKind: 'BILLING_CODE', sourceId: '29682801', sourceName: 'Remote Support', target: { fullName: 'Service Income' } },
              { sourceKind: 'LINE_OF_BUSINESS', sourceId: '7', sourceName: 'Managed Services', target: { fullName: 'MSP:Managed' } },
              { sourceKind: 'PAYMENT_TERM', sourceId: '3', sourceName: 'Net 30', target: { fullName: 'Net 30' } },
              { sourceKind: 'TAXABILITY', sourceId: 'TAXABLE', sourceName: 'Taxable', target: { fullName: 'Tax' } },
            ],
          },
        },
        admin.token,
      );
      expect(mapped.upsertMappings.map((m) => m.targetList)).toEqual(['ITEM', 'ITEM', 'ACCOUNT', 'CLASS', 'TERMS', 'SALES_TAX_CODE']);
    }

    // Exactly one default: the first connector created.
    const list = await ok<{ connectors: { nodes: Array<{ id: string; name: string; isDefault: boolean }> } }, unknown>(
      ConnectorsDocument, { first: 200 }, admin.token,
    );
    const mine = list.connectors.nodes.filter((c) => connectorIds.includes(c.id));
    expect(mine.filter((c) => c.isDefault).map((c) => c.id)).toEqual(index === 0 ? [connectorIds[0]] : []);
    expect(list.connectors.nodes.filter((c) => c.isDefault)).toHaveLength(1);

    // Routing: an organization and a resource go to the last connector; others to the default.
    const target = connectorIds.at(-1)!;
    const orgId = 1000 + index;
    const resourceId = 2000 + index;
    await ok(SetRoutesDocument, {
      input: { routes: [
        { subject: 'ORGANIZATION', autotaskId: orgId, connectorId: target },
        { subject: 'RESOURCE', autotaskId: resourceId, connectorId: target },
      ] },
    }, admin.token);
    const orgs = await ok<{ effectiveConnectors: Array<{ autotaskId: number; routed: boolean; connector: { id: string; isDefault: boolean } }> }, unknown>(
      EffectiveConnectorsDocument, { subject: 'ORGANIZATION', autotaskIds: [orgId, 999_999] }, people[0]!.token,
    );
    expect(orgs.effectiveConnectors[0]).toMatchObject({ autotaskId: orgId, routed: true, connector: { id: target } });
    expect(orgs.effectiveConnectors[1]).toMatchObject({ autotaskId: 999_999, routed: false, connector: { isDefault: true } });
    const resources = await ok<{ effectiveConnectors: Array<{ routed: boolean; connector: { id: string } }> }, unknown>(
      EffectiveConnectorsDocument, { subject: 'RESOURCE', autotaskIds: [resourceId, orgId] }, people[0]!.token,
    );
    expect(resources.effectiveConnectors.map((r) => r.routed)).toEqual([true, false]);
    expect(resources.effectiveConnectors[0]!.connector.id).toBe(target);
  });
});
