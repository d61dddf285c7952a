/**
 * The web console in a real browser against the real built service (`dist/`, as `npm start` runs it) on a
 * fresh embedded data directory. Only the first admin's token comes from the CLI, and Autotask's invoices
 * arrive as a script pushes them; everything else is done through the console's screens: the set-up wizard,
 * the QWC download, mappings, queueing an invoice. The Web Connector is the project's emulator with a
 * simulated company file, run with the downloaded QWC file and the password the wizard showed; the invoice
 * must then read SUCCEEDED in the console's ledger. Then the roles: a viewer sees no admin screen, and an
 * action the server refuses shows the API's own error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/app/config.js';
import { DEMO_INVOICES, DEMO_ORGANIZATIONS } from '../../src/cli/demo-data.js';
import { createCompanyFile, QuickBooksSimulator } from '../../src/simulator/quickbooks.js';
import { runWebConnectorUpdate } from '../../src/simulator/web-connector/index.js';
import { ARTIFACTS_DIR, BrowserSession } from '../helpers/browser.js';
import { ServiceHarness, type ServiceRun } from '../helpers/service-process.js';

/** The README's screenshot, rewritten by `UPDATE_SCREENSHOTS=1 npm run test:browser`. */
const README_SCREENSHOT = path.join(PROJECT_ROOT, 'docs', 'console-transfers.png');

let harness: ServiceHarness;
let service: ServiceRun;
let browser: BrowserSession;

beforeAll(async () => {
  for (const built of ['dist/service/main.js', 'dist/web/index.html']) {
    if (!fs.existsSync(path.join(PROJECT_ROOT, built))) throw new Error(`${built} is missing: npm run build first (npm run test:browser does).`);
  }
  harness = await ServiceHarness.create({ built: true });
  service = harness.start();
  await harness.waitForHealth();
  browser = await BrowserSession.launch();
});

afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

async function signIn(page: Page, token: string, role: string): Promise<void> {
  await page.goto(harness.url);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('role').filter({ hasText: role }).waitFor();
}

test('one company file, one accountant: from a fresh service to an invoice SUCCEEDED in QuickBooks, all in the console', async () => {
  const adminToken = await harness.createUser('Ada', 'ADMIN');
  // Autotask data as a script pushes it (the scheduled pull needs a real Autotask): one organization, one invoice.
  const pushed = await harness.graphql(adminToken, 'mutation($o: UpsertOrganizationsInput!, $i: UpsertInvoicesInput!) { upsertOrganizations(input: $o) { created } upsertInvoices(input: $i) { created } }', {
    o: { organizations: DEMO_ORGANIZATIONS.slice(0, 1) },
    i: { invoices: DEMO_INVOICES.slice(0, 1) },
  });
  expect(pushed.errors).toBeUndefined();
  const invoiceNumber = DEMO_INVOICES[0]!.invoiceNumber;

  const admin = await browser.page('admin');
  const quickbooks = new QuickBooksSimulator({ company: createCompanyFile({ seed: 'standard', companyName: 'Acme Holdings' }) });
  let connectorId = '';
  let password = '';
  let qwcXml = '';
  let carlToken = '';
  let veraToken = '';

  await browser.step('sign in', () => signIn(admin, adminToken, 'ADMIN'));

  await browser.step('wizard 1: name and schedule', async () => {
    await admin.getByText('No connector yet').waitFor();
    await admin.getByRole('link', { name: 'Set up a new connector' }).click();
    await admin.getByLabel('Connector name').fill('Acme Holdings');
    await admin.getByLabel('Run the Web Connector every (minutes)').fill('30');
    await admin.getByRole('button', { name: 'Save and continue' }).click();
    await admin.waitForURL(/\/connectors\/[^/]+\/setup\/2$/);
    connectorId = /\/connectors\/([^/]+)\/setup/.exec(admin.url())![1]!;
  });

  await browser.step('wizard 2: credential, shown once', async () => {
    await admin.getByRole('button', { name: 'Generate the credential' }).click();
    password = (await admin.getByTestId('generated-password').textContent())!.trim();
    expect(password.length).toBeGreaterThanOrEqual(16);
    await admin.getByRole('button', { name: 'Rotate password' }).waitFor();
    await admin.getByRole('button', { name: 'Continue' }).click();
    await admin.waitForURL(/\/setup\/3$/);
  });

  await browser.step('wizard 3: users, registration, tokens', async () => {
    await admin.getByRole('row', { name: /Ada/ }).waitFor();
    await admin.getByLabel('Name', { exact: true }).fill('Carl');
    await admin.getByRole('button', { name: 'Add user' }).click();
    await admin.getByRole('button', { name: 'Create QWC file for Carl' }).click();
    await admin.getByRole('button', { name: "Revoke Carl's registration" }).waitFor();
    await admin.getByLabel('Name', { exact: true }).fill('Vera');
    await admin.getByLabel('Role', { exact: true }).selectOption('VIEWER');
    await admin.getByRole('button', { name: 'Add user' }).click();
    await admin.getByRole('row', { name: /Vera/ }).getByText('viewers run no Web Connector').waitFor();
    carlToken = await issueToken(admin, 'Carl');
    veraToken = await issueToken(admin, 'Vera');
    await admin.getByRole('button', { name: 'Continue' }).click();
    await admin.waitForURL(/\/setup\/4$/);
  });

  await browser.step('wizard 4: download the QWC file', async () => {
    const download = admin.waitForEvent('download');
    await admin.getByRole('button', { name: 'Download QWC for Carl' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('qbd-bridge-Acme_Holdings-Carl.qwc');
    qwcXml = fs.readFileSync((await file.path())!, 'utf8');
    expect(qwcXml).toContain(`<AppURL>${harness.url}/qbwc/`);
    await admin.getByRole('button', { name: 'Continue' }).click();
    await admin.waitForURL(/\/setup\/5$/);
  });

  await browser.step('wizard 5: run the Web Connector, watch the live status', async () => {
    await admin.getByTestId('last-contact').filter({ hasText: 'never' }).waitFor();
    // The first update binds the company file and syncs its lists (the mapping pickers' source).
    const first = await runWebConnectorUpdate({ qwcXml, password, quickbooks, noOpPauseMs: 0 });
    expect(['completed', 'no-work']).toContain(first.outcome);
    await admin.getByTestId('last-contact').filter({ hasNotText: 'never' }).waitFor();
    await admin.getByTestId('company-bound').filter({ hasNotText: 'not yet' }).waitFor();
    await admin.getByText('No open alert.').waitFor();
    await admin.getByRole('button', { name: 'Continue' }).click();
    await admin.waitForURL(/\/setup\/6$/);
  });

  await browser.step('wizard 6: transfers enabled, on to mappings', async () => {
    await admin.getByTestId('enabled-state').filter({ hasText: 'accepts Web Connector sessions' }).waitFor();
    await admin.getByRole('link', { name: 'map items, classes and terms' }).click();
    await admin.waitForURL(new RegExp(`/connectors/${connectorId}/mappings$`));
  });

  await browser.step('mappings: accept the suggestions in bulk', async () => {
    await admin.getByRole('table', { name: 'Unmapped values' }).getByRole('rowheader', { name: /Remote Support/ }).waitFor();
    await expect.poll(() => admin.getByLabel('QuickBooks element for Remote Support').inputValue()).not.toBe('');
    await admin.getByRole('button', { name: /^Accept the close suggestions/ }).click();
    expect(await admin.getByLabel('Accept mapping for Remote Support').isChecked()).toBe(true);
    expect(await admin.getByLabel('Accept mapping for Onsite Support').isChecked()).toBe(false); // a 59% likeness is a person's call
    await admin.getByRole('button', { name: /^Save \d+ accepted mappings?$/ }).click();
    await admin.getByText(/^\d+ mappings? saved\.$/).waitFor();
    await admin.getByRole('table', { name: 'Mappings' }).getByRole('button', { name: 'Remove mapping of Remote Support' }).waitFor();
  });

  await browser.step('transfers: preview, select and queue the invoice', async () => {
    await admin.getByRole('link', { name: 'Transfers' }).click();
    await admin.waitForURL(/\/transfers$/);
    await admin.getByText('Nothing queued yet.').waitFor();
    await admin.getByRole('button', { name: `Preview qbXML of ${invoiceNumber}` }).click();
    const outcome = (await admin.getByTestId('preview-outcome').textContent())!;
    // Its customer is not in QuickBooks yet, so the invoice waits for it; either way nothing was sent.
    expect(['REQUESTS', 'WAIT_FOR']).toContain(outcome);
    await admin.getByRole('button', { name: 'Close preview' }).click();
    await admin.getByLabel(`Select ${invoiceNumber}`).check();
    await admin.getByRole('button', { name: 'Queue 1 selected' }).click();
    await admin.getByText(/^1 invoice queued/).waitFor();
    await admin.locator('tr[data-entity-type="INVOICE"][data-state="QUEUED"]').waitFor();
  });

  await browser.step('the Web Connector sends it; the ledger shows SUCCEEDED', async () => {
    for (let update = 0; update < 6 && (await unsettled(adminToken)); update++) {
      const result = await runWebConnectorUpdate({ qwcXml, password, quickbooks, noOpPauseMs: 0 });
      expect(['completed', 'no-work']).toContain(result.outcome);
    }
    await admin.locator('tr[data-entity-type="INVOICE"][data-state="SUCCEEDED"]').waitFor();
    await admin.locator('tr[data-entity-type="ORGANIZATION"][data-state="SUCCEEDED"]').waitFor();
    await admin.getByTestId('progress').filter({ hasText: '0 queued' }).filter({ hasText: '2 succeeded' }).waitFor();
    expect(quickbooks.company.invoices.map((i) => i.lines.length)).toEqual([DEMO_INVOICES[0]!.lines.length]);
    const row = admin.locator('tr[data-entity-type="INVOICE"]');
    expect(await row.textContent()).toContain(quickbooks.company.invoices[0]!.refNumber);
    await admin.getByRole('row', { name: new RegExp(invoiceNumber) }).getByText('SUCCEEDED').waitFor();
    await admin.screenshot({ path: path.join(ARTIFACTS_DIR, 'transfers.png'), fullPage: true });
    if (process.env.UPDATE_SCREENSHOTS === '1') await admin.screenshot({ path: README_SCREENSHOT, fullPage: true });
  });

  await browser.step('a viewer sees no admin screen', async () => {
    const viewer = await browser.page('viewer');
    await signIn(viewer, veraToken, 'VIEWER');
    const nav = viewer.getByRole('navigation', { name: 'Screens' });
    await nav.getByRole('link', { name: 'Transfers' }).waitFor();
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Transfers', 'Connectors', 'Routing']);
    await viewer.locator('tr[data-entity-type="INVOICE"][data-state="SUCCEEDED"]').waitFor();
    expect(await viewer.getByRole('button', { name: /Queue|Retry|Cancel|Preview/ }).count()).toBe(0);
    await nav.getByRole('link', { name: 'Connectors' }).click();
    // Scoped to the connectors table: until the screen changes, the transfer rows also name Acme Holdings.
    await viewer.waitForURL(/\/connectors$/);
    await viewer.getByRole('table', { name: 'Connectors' }).getByRole('row', { name: /Acme Holdings/ }).waitFor();
    expect(await viewer.getByRole('link', { name: 'Set up a new connector' }).count()).toBe(0);
    expect(await viewer.getByRole('button', { name: /Pause|Delete|Make default/ }).count()).toBe(0);
    await viewer.goto(`${harness.url}/audit`);
    await viewer.getByRole('alert').filter({ hasText: 'Audit log is for the ADMIN role and up; you are signed in as VIEWER.' }).waitFor();
  });

  await browser.step('an action the server refuses shows the API error', async () => {
    const accountant = await browser.page('accountant');
    await signIn(accountant, carlToken, 'ACCOUNTANT');
    await accountant.getByRole('button', { name: 'Queue every new invoice in these dates' }).waitFor();
    // While Carl's console is open, an admin makes him a viewer: the console still offers queueing, the server refuses.
    await admin.goto(`${harness.url}/connectors/${connectorId}/setup/3`);
    await admin.getByLabel('Role of Carl').selectOption('VIEWER');
    await admin.getByText('Carl is VIEWER now.').waitFor();
    await accountant.getByRole('button', { name: 'Queue every new invoice in these dates' }).click();
    await accountant.getByRole('alert').filter({ hasText: 'This needs the ACCOUNTANT role; your token belongs to a VIEWER. (FORBIDDEN)' }).waitFor();
  });

  expect(browser.consoleErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
  expect(service.output()).not.toMatch(/"level":(50|60)/);
});

/** Issues a sign-in token for `user` in the wizard's step 3 and reads it from the page (it is shown once). */
async function issueToken(page: Page, user: string): Promise<string> {
  await page.getByRole('button', { name: `Issue a token for ${user}` }).click();
  const panel = page.getByRole('status').filter({ hasText: `${user}'s sign-in token, shown once.` });
  await panel.waitFor();
  const token = (await panel.getByTestId('issued-token').textContent())!.trim();
  expect(token).toMatch(/^qbdb_/);
  return token;
}

/** Whether the ledger still has work the Web Connector has to send or settle (as a script would ask). */
async function unsettled(token: string): Promise<boolean> {
  const answer = await harness.graphql(token, '{ transferItems(first: 100) { nodes { state } } }');
  const nodes = (answer.data as { transferItems: { nodes: Array<{ state: string }> } }).transferItems.nodes;
  return nodes.some((n) => n.state === 'QUEUED' || n.state === 'SENT' || n.state === 'NEEDS_RECONCILE');
}
