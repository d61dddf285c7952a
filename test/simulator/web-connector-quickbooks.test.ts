/**
 * The emulator driving the real QuickBooks simulator: what the company file holds after each kind of run,
 * iterators across SOAP calls, several requests per message, and the faults whose effect on QuickBooks
 * matters (lost response, modal dialog, QuickBooks not running, another company file open).
 */
import { afterEach, describe, expect, test } from 'vitest';
import { runWebConnectorUpdate, type WebConnectorRunOptions } from '../../src/simulator/web-connector/index.js';
import { createCompanyFile, QuickBooksSimulator } from '../../src/simulator/quickbooks.js';
import { validator } from '../helpers/spec.js';
import { buildQwc, TEST_FILE_ID, TEST_OWNER_ID } from './helpers/qwc.js';
import { startScriptedQbwcServer, type ScriptedQbwcServer, type ScriptedServerOptions } from './helpers/scripted-qbwc-server.js';

const TICKET = '{C0FFEE00-1234-4567-89AB-CDEF01234567}';

function message(body: string, version = '13.0'): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="${version}"?>\n<QBXML>\n<QBXMLMsgsRq onError="continueOnError">\n${body}\n</QBXMLMsgsRq>\n</QBXML>\n`;
}

const customerAdd = (name: string, requestId = name) =>
  `<CustomerAddRq requestID="${requestId}"><CustomerAdd><Name>${name}</Name><CompanyName>${name}</CompanyName></CustomerAdd></CustomerAddRq>`;

/** `[name, statusCode, attributes]` of every `*Rs` in a response (attribute order as the simulator writes it). */
function statuses(responseXml: string): Array<{ rs: string; statusCode: number; attrs: Record<string, string> }> {
  return [...responseXml.matchAll(/<(\w+Rs)\s([^>]*?)\/?>/g)]
    .filter((m) => m[1] !== 'QBXMLMsgsRs')
    .map((m) => {
      const attrs = Object.fromEntries([...m[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!]));
      return { rs: m[1]!, statusCode: Number(attrs['statusCode']), attrs };
    });
}

function simulator(options: { companyName?: string; seed?: 'empty' | 'standard'; maxQbxmlVersion?: { major: number; minor: number } } = {}) {
  return new QuickBooksSimulator({
    validator,
    company: createCompanyFile({ companyName: options.companyName ?? 'Bridge Test Co', seed: options.seed ?? 'standard' }),
    ...(options.maxQbxmlVersion ? { maxQbxmlVersion: options.maxQbxmlVersion } : {}),
  });
}

const customerNames = (qb: QuickBooksSimulator) => qb.company.customers.map((c) => c.name);

let server: ScriptedQbwcServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(quickbooks: QuickBooksSimulator, script: ScriptedServerOptions, extra: Partial<WebConnectorRunOptions> = {}) {
  server ??= await startScriptedQbwcServer({ ...script, handlers: { authenticate: () => [TICKET, ''], ...script.handlers } });
  return runWebConnectorUpdate({ qwcXml: buildQwc(server.url), password: 'pw', quickbooks, noOpPauseMs: 0, timeoutMs: 10_000, ...extra });
}

describe('a normal update against the simulated company file', () => {
  test('several requests per message, several messages, data lands in the company file', async () => {
    const qb = simulator();
    const messages = [
      message(
        [
          customerAdd('Initech'),
          `<InvoiceAddRq requestID="inv-1"><InvoiceAdd><CustomerRef><FullName>Acme Corporation</FullName></CustomerRef><TxnDate>2026-11-01</TxnDate><RefNumber>AT-1001</RefNumber>` +
            `<InvoiceLineAdd><ItemRef><FullName>Consulting</FullName></ItemRef><Desc>Ticket T20261101.0001</Desc><Quantity>2</Quantity><Rate>150.00</Rate></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>`,
          `<CustomerQueryRq requestID="q-1"><FullName>Initech</FullName></CustomerQueryRq>`,
        ].join('\n'),
      ),
      message(`<InvoiceQueryRq requestID="q-2"><RefNumber>AT-1001</RefNumber></InvoiceQueryRq>`),
    ];
    const invoicesBefore = qb.company.invoices.length;
    const result = await run(qb, {
      handlers: {
        sendRequestXML: (_a, call) => messages[call.nth - 1]!,
        receiveResponseXML: (_a, call) => (call.nth === 1 ? 50 : 100),
      },
    });

    expect(result.outcome).toBe('completed');
    expect(server!.operations()).toEqual([
      'serverVersion',
      'clientVersion',
      'authenticate',
      'sendRequestXML',
      'receiveResponseXML',
      'sendRequestXML',
      'receiveResponseXML',
      'closeConnection',
    ]);
    // The simulator's identity reaches the service.
    const [first, second] = server!.callsOf('sendRequestXML');
    expect(first!.args).toMatchObject({ strCompanyFileName: qb.companyFilePath, qbXMLCountry: 'US', qbXMLMajorVers: 13, qbXMLMinorVers: 0 });
    expect(first!.args['strHCPResponse']).toContain('<CompanyName>Bridge Test Co</CompanyName>');
    expect(first!.args['strHCPResponse']).toContain(`<DataExtValue>${TEST_FILE_ID}</DataExtValue>`);
    expect(second!.args['strHCPResponse']).toBe('');
    expect(qb.company.companyDataExts).toContainEqual({ ownerId: TEST_OWNER_ID, name: 'FileID', value: TEST_FILE_ID });

    // One Rs per Rq, in order, all OK; the company file holds the new customer and invoice.
    const [rs1, rs2] = result.responses;
    expect(statuses(rs1!.response).map((s) => [s.rs, s.attrs['requestID'], s.statusCode])).toEqual([
      ['CustomerAddRs', 'Initech', 0],
      ['InvoiceAddRs', 'inv-1', 0],
      ['CustomerQueryRs', 'q-1', 0],
    ]);
    expect(rs1!.response).toContain('<FullName>Initech</FullName>');
    expect(statuses(rs2!.response)).toMatchObject([{ rs: 'InvoiceQueryRs', statusCode: 0 }]);
    expect(rs2!.response).toContain('<RefNumber>AT-1001</RefNumber>');
    expect(customerNames(qb)).toContain('Initech');
    expect(qb.company.invoices).toHaveLength(invoicesBefore + 1);
    // What the service received is what QuickBooks answered.
    expect(server!.callsOf('receiveResponseXML')[0]!.args['response']).toBe(rs1!.response.trim());
  });

  test('qbXMLMajorVers/MinorVers come from the QuickBooks version', async () => {
    const qb = simulator({ maxQbxmlVersion: { major: 16, minor: 0 } });
    await run(qb, { handlers: { sendRequestXML: () => message('<HostQueryRq requestID="h"/>', '16.0') } });
    const send = server!.callsOf('sendRequestXML')[0]!;
    expect(send.args).toMatchObject({ qbXMLMajorVers: 16, qbXMLMinorVers: 0 });
    expect(send.args['strHCPResponse']).toContain('<SupportedQBXMLVersion>16.0</SupportedQBXMLVersion>');
  });

  test('an iterator is continued across sendRequestXML/receiveResponseXML calls until nothing remains', async () => {
    const qb = simulator({ seed: 'empty' });
    const names = ['Iter 1', 'Iter 2', 'Iter 3', 'Iter 4', 'Iter 5'];
    let iteratorId: string | undefined;
    let remaining = -1;
    const pages: string[][] = [];
    const result = await run(qb, {
      handlers: {
        sendRequestXML: (_a, call) => {
          if (call.nth === 1) return message(names.map((n) => customerAdd(n)).join('\n'));
          if (iteratorId === undefined) {
            return message(
              '<CustomerQueryRq requestID="page" iterator="Start"><MaxReturned>2</MaxReturned><NameFilter><MatchCriterion>StartsWith</MatchCriterion><Name>Iter</Name></NameFilter></CustomerQueryRq>',
            );
          }
          return message(`<CustomerQueryRq requestID="page" iterator="Continue" iteratorID="${iteratorId}"><MaxReturned>2</MaxReturned></CustomerQueryRq>`);
        },
        receiveResponseXML: (a, call) => {
          if (call.nth === 1) return 10;
          const response = String(a['response']);
          const [page] = statuses(response);
          iteratorId = page!.attrs['iteratorID'];
          remaining = Number(page!.attrs['iteratorRemainingCount']);
          pages.push([...response.matchAll(/<Name>([^<]*)<\/Name>/g)].map((m) => m[1]!));
          return remaining === 0 ? 100 : 50;
        },
      },
    });
    expect(result.outcome).toBe('completed');
    expect(pages).toEqual([['Iter 1', 'Iter 2'], ['Iter 3', 'Iter 4'], ['Iter 5']]);
    const continues = server!.callsOf('sendRequestXML').slice(2).map((c) => String(c.args['strHCPResponse']));
    expect(continues).toEqual(['', '']);
    expect(result.requests.slice(2).every((r) => r.includes(`iteratorID="${iteratorId}"`))).toBe(true);
  });

  test('a message QuickBooks rejects as a whole comes back as hresult 0x80040400 with an empty response', async () => {
    const qb = simulator();
    // Elements out of XSD order: QuickBooks refuses the whole message set.
    const swapped = message('<CustomerAddRq><CustomerAdd><CompanyName>Swapped</CompanyName><Name>Swapped</Name></CustomerAdd></CustomerAddRq>');
    const result = await run(qb, {
      handlers: { sendRequestXML: () => swapped, receiveResponseXML: () => -1, getLastError: () => 'QuickBooks could not parse our request' },
    });
    expect(server!.callsOf('receiveResponseXML')[0]!.args).toMatchObject({ response: '', hresult: '0x80040400' });
    expect(result.responses[0]!.message).toMatch(/QuickBooks found an error when parsing the provided XML text stream/);
    expect(customerNames(qb)).not.toContain('Swapped');
    expect(result.outcome).toBe('error');
  });
});

describe('faults where QuickBooks behaviour matters', () => {
  test('lost response: the customer is in the company file, the service never heard back, and a blind resend gets 3100', async () => {
    const qb = simulator();
    const add = message(customerAdd('Lost Response LLC', 'row-17'));
    const first = await run(qb, { handlers: { sendRequestXML: () => add } }, { faults: { loseResponseAfterProcessing: 1 } });

    expect(first.outcome).toBe('aborted');
    expect(customerNames(qb)).toContain('Lost Response LLC');
    expect(server!.operations()).toEqual(['serverVersion', 'clientVersion', 'authenticate', 'sendRequestXML']);

    // The next scheduled run: a service that resends without reconciling meets QuickBooks' duplicate-name rule.
    const second = await run(qb, { handlers: { sendRequestXML: () => add } });
    expect(second.outcome).toBe('completed');
    const [rs] = statuses(second.responses[0]!.response);
    expect(rs).toMatchObject({ rs: 'CustomerAddRs', statusCode: 3100 });
    expect(customerNames(qb).filter((n) => n === 'Lost Response LLC')).toHaveLength(1);
  });

  test('modal dialog: nothing reaches the company file; receiveResponseXML carries 0x80040414', async () => {
    const qb = simulator();
    const before = structuredClone(qb.company.customers);
    const result = await run(
      qb,
      { handlers: { sendRequestXML: () => message(customerAdd('Blocked Inc')), receiveResponseXML: () => -1, getLastError: () => 'QuickBooks is showing a dialog' } },
      { faults: { modalDialog: true } },
    );
    expect(server!.callsOf('receiveResponseXML')[0]!.args).toMatchObject({ response: '', hresult: '0x80040414' });
    expect(qb.company.customers).toEqual(before);
    expect(result.outcome).toBe('error');
    expect(result.lastError).toBe('QuickBooks is showing a dialog');
  });

  test('QuickBooks not running: connectionError 0x80040408 and the company file is not touched (no FileID stamp)', async () => {
    const qb = simulator();
    const result = await run(qb, {}, { faults: { quickBooksNotRunning: true } });
    expect(server!.callsOf('connectionError')[0]!.args).toMatchObject({ hresult: '0x80040408', message: 'Could not start QuickBooks.' });
    expect(server!.callsOf('sendRequestXML')).toHaveLength(0);
    expect(qb.company.companyDataExts).toEqual([]);
    expect(result.outcome).toBe('error');
  });

  test('another company file open: the HCP response shows its name and FileID; the expected file is untouched', async () => {
    const expected = simulator({ companyName: 'Tenant 42' });
    const other = simulator({ companyName: 'Tenant 7' });
    const otherFileId = '{7777AAAA-BBBB-4CCC-8DDD-EEEEFFFF0000}';
    other.stampFileId(TEST_OWNER_ID, otherFileId); // connected to tenant 7's QWC before
    const result = await run(
      expected,
      {
        handlers: {
          sendRequestXML: (a) =>
            String(a['strHCPResponse']).includes(TEST_FILE_ID) ? message(customerAdd('Should Not Be Sent')) : '',
          getLastError: () => 'This is not the company file this connector was set up with.',
        },
      },
      { faults: { differentCompanyFile: other } },
    );
    const send = server!.callsOf('sendRequestXML')[0]!;
    expect(send.args['strCompanyFileName']).toBe(other.companyFilePath);
    expect(send.args['strHCPResponse']).toContain('<CompanyName>Tenant 7</CompanyName>');
    expect(send.args['strHCPResponse']).toContain(`<DataExtValue>${otherFileId}</DataExtValue>`);
    expect(result.companyFileId).toBe(otherFileId);
    expect(result.outcome).toBe('error');
    expect(result.lastError).toBe('This is not the company file this connector was set up with.');
    expect(expected.company.companyDataExts).toEqual([]);
    expect(other.company.companyDataExts).toEqual([{ ownerId: TEST_OWNER_ID, name: 'FileID', value: otherFileId }]);
  });

  test('another company file open and the service asks for its own file by path: connectionError 0x8004040A', async () => {
    const expected = simulator({ companyName: 'Tenant 42' });
    const other = simulator({ companyName: 'Tenant 7' });
    const result = await run(
      expected,
      { handlers: { authenticate: () => [TICKET, expected.companyFilePath] } },
      { faults: { differentCompanyFile: other } },
    );
    expect(server!.callsOf('connectionError')[0]!.args).toMatchObject({
      hresult: '0x8004040A',
      message: 'A QuickBooks company data file is already open and it is different from the one requested.',
    });
    expect(other.company.companyDataExts).toEqual([]);
    expect(result.outcome).toBe('error');
  });
});
