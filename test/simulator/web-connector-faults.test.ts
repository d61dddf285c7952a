/**
 * Fault injection: the Web Connector dying after QuickBooks processed a request, HTTP trouble on the web
 * service's side, a modal dialog in QuickBooks, QuickBooks not running, another company file open.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { runWebConnectorUpdate, type WebConnectorRunOptions } from '../../src/simulator/web-connector/index.js';
import { FakeQuickBooks } from './helpers/fake-quickbooks.js';
import { buildQwc, TEST_FILE_ID, TEST_OWNER_ID } from './helpers/qwc.js';
import { startScriptedQbwcServer, type ScriptedQbwcServer, type ScriptedServerOptions } from './helpers/scripted-qbwc-server.js';

const TICKET = '{6A1B2C3D-0000-4000-8000-000000000001}';
const ADD = (n: number) =>
  `<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="13.0"?>\n<QBXML><QBXMLMsgsRq onError="stopOnError"><CustomerAddRq requestID="${n}"><CustomerAdd><Name>Customer ${n}</Name></CustomerAdd></CustomerAddRq></QBXMLMsgsRq></QBXML>`;

let server: ScriptedQbwcServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(script: ScriptedServerOptions, extra: Partial<WebConnectorRunOptions> = {}) {
  server = await startScriptedQbwcServer({
    ...script,
    handlers: { authenticate: () => [TICKET, ''], ...script.handlers },
  });
  const quickbooks = (extra.quickbooks as FakeQuickBooks | undefined) ?? new FakeQuickBooks();
  const result = await runWebConnectorUpdate({
    qwcXml: buildQwc(server.url),
    password: 'pw',
    quickbooks,
    noOpPauseMs: 0,
    timeoutMs: 2_000,
    ...extra,
  });
  return { result, server, quickbooks };
}

const twoMessages: ScriptedServerOptions['handlers'] = {
  sendRequestXML: (_a, call) => ADD(call.nth),
  receiveResponseXML: (_a, call) => (call.nth >= 2 ? 100 : 50),
};

describe('lost response', () => {
  test('QuickBooks processed the request, but the service never gets receiveResponseXML nor closeConnection', async () => {
    const { result, server, quickbooks } = await run({ handlers: twoMessages }, { faults: { loseResponseAfterProcessing: 2 } });
    expect(server.operations()).toEqual([
      'serverVersion',
      'clientVersion',
      'authenticate',
      'sendRequestXML',
      'receiveResponseXML',
      'sendRequestXML',
    ]);
    expect(quickbooks.processed).toEqual([ADD(1), ADD(2)]);
    expect(result.outcome).toBe('aborted');
    expect(result.requests).toHaveLength(2);
    expect(result.responses).toHaveLength(1);
    expect(result.lastError).toContain('request #2');
    expect(result.log).toContain('Fault injected');
  });

  test('a predicate picks the request', async () => {
    const { result, server } = await run({ handlers: twoMessages }, { faults: { loseResponseAfterProcessing: (i) => i === 1 } });
    expect(result.outcome).toBe('aborted');
    expect(server.callsOf('receiveResponseXML')).toHaveLength(0);
  });
});

describe('HTTP trouble on the web service side', () => {
  test('HTTP 500 on receiveResponseXML: QBWC reports it and ends the update without closeConnection', async () => {
    const { result, server } = await run({
      handlers: twoMessages,
      http: (op) => (op === 'receiveResponseXML' ? { status: 500, body: '<html>boom</html>' } : undefined),
    });
    expect(server.operations()).toEqual(['serverVersion', 'clientVersion', 'authenticate', 'sendRequestXML', 'receiveResponseXML']);
    expect(result.outcome).toBe('error');
    expect(result.lastError).toBe('The request failed with HTTP status 500: Internal Server Error.');
    expect(result.calls.at(-1)).toMatchObject({ operation: 'receiveResponseXML', httpStatus: 500, error: { kind: 'http-status' } });
    expect(result.log).toContain('QBWC1042: ReceiveResponseXML failed\nError message: The request failed with HTTP status 500');
  });

  test('HTTP 503 on authenticate is an authentication failure (QBWC1012)', async () => {
    const { result, server } = await run({ http: (op) => (op === 'authenticate' ? { status: 503 } : undefined) });
    expect(server.operations()).toEqual(['serverVersion', 'clientVersion', 'authenticate']);
    expect(result.outcome).toBe('error');
    expect(result.log).toContain('QBWC1012: Authentication failed due to following error message.\nThe request failed with HTTP status 503: Service Unavailable.');
  });

  test('a SOAP fault from the service is reported with its fault string', async () => {
    const { result } = await run({
      handlers: {
        sendRequestXML: () => {
          throw new Error('database is down');
        },
      },
    });
    expect(result.outcome).toBe('error');
    expect(result.calls.at(-1)!.error?.kind).toBe('soap-fault');
    expect(result.lastError).toMatch(/^SOAP fault from the web service: .*database is down/);
  });

  test('an answer slower than the timeout ends the update', async () => {
    // The answer is held far longer than any loaded machine needs to run the rest: finishing before it
    // proves the emulator gave up at its own timeout rather than waiting for the answer.
    const heldMs = 30_000;
    const started = performance.now();
    const { result, server } = await run(
      { handlers: twoMessages, http: (op) => (op === 'sendRequestXML' ? { delayMs: heldMs } : undefined) },
      // Generous enough that the calls before it answer in time on a loaded machine.
      { timeoutMs: 3_000 },
    );
    expect(performance.now() - started).toBeLessThan(heldMs);
    expect(server.operations()).toEqual(['serverVersion', 'clientVersion', 'authenticate', 'sendRequestXML']);
    expect(result.outcome).toBe('error');
    expect(result.lastError).toBe('The operation has timed out (no answer within 3000 ms).');
    expect(result.calls.at(-1)!.error?.kind).toBe('timeout');
  });

  test('an answer that is not text/xml is refused like .NET does', async () => {
    const { result } = await run({ http: (op) => (op === 'serverVersion' ? { contentType: 'text/html' } : undefined) });
    expect(result.outcome).toBe('error');
    expect(result.lastError).toBe("Client found response content type of 'text/html', but expected 'text/xml'.");
  });

  test('an answer that is not well-formed XML', async () => {
    const { result } = await run({
      http: (op) => (op === 'clientVersion' ? { status: 200, contentType: 'text/xml', body: '<soap:Envelope><oops>' } : undefined),
    });
    expect(result.outcome).toBe('error');
    expect(result.lastError).toBe('Response is not well-formed XML.');
  });

  test('a service that cannot be reached', async () => {
    server = await startScriptedQbwcServer();
    const url = server.url;
    await server.close();
    server = undefined;
    const result = await runWebConnectorUpdate({ qwcXml: buildQwc(url), password: 'pw', quickbooks: new FakeQuickBooks(), timeoutMs: 2_000 });
    expect(result.outcome).toBe('error');
    expect(result.calls).toHaveLength(1);
    expect(result.lastError).toMatch(/^Unable to connect to the remote server/);
  });
});

describe('QuickBooks side', () => {
  test('a modal dialog: the request is not processed and receiveResponseXML carries 0x80040414', async () => {
    const { result, server, quickbooks } = await run(
      { handlers: { sendRequestXML: () => ADD(1), receiveResponseXML: () => -1, getLastError: () => 'QuickBooks is blocked' } },
      { faults: { modalDialog: true } },
    );
    expect(quickbooks.processed).toEqual([]);
    expect(server.callsOf('receiveResponseXML')[0]!.args).toEqual({
      ticket: TICKET,
      response: '',
      hresult: '0x80040414',
      message:
        'A modal dialog box is showing in the QuickBooks user interface. Your application cannot access QuickBooks until the user dismisses the dialog box.',
    });
    expect(server.operations().slice(-2)).toEqual(['getLastError', 'closeConnection']);
    expect(result.outcome).toBe('error');
  });

  test('a modal dialog on the second request only', async () => {
    const { result, server, quickbooks } = await run(
      { handlers: { sendRequestXML: (_a, c) => ADD(c.nth), receiveResponseXML: (_a, c) => [50, 75, 100][c.nth - 1]! } },
      { faults: { modalDialog: [2] } },
    );
    expect(quickbooks.processed).toEqual([ADD(1), ADD(3)]);
    expect(server.callsOf('receiveResponseXML').map((c) => c.args['hresult'])).toEqual(['', '0x80040414', '']);
    expect(result.outcome).toBe('completed');
  });

  test('QuickBooks not running: connectionError "Could not start QuickBooks.", then stop', async () => {
    const { result, server, quickbooks } = await run({}, { faults: { quickBooksNotRunning: true } });
    expect(server.operations()).toEqual(['serverVersion', 'clientVersion', 'authenticate', 'connectionError', 'closeConnection']);
    expect(server.callsOf('connectionError')[0]!.args).toEqual({ ticket: TICKET, hresult: '0x80040408', message: 'Could not start QuickBooks.' });
    expect(result.outcome).toBe('error');
    expect(result.lastError).toBe('Could not start QuickBooks.');
    expect(quickbooks.stampCalls).toEqual([]);
  });

  test('QuickBooks not running and the service answers with a path: one retry, then stop', async () => {
    const { result, server } = await run(
      { handlers: { connectionError: () => 'C:\\Company Files\\Fake.QBW' } },
      { faults: { quickBooksNotRunning: true } },
    );
    expect(server.operations()).toEqual([
      'serverVersion',
      'clientVersion',
      'authenticate',
      'connectionError',
      'connectionError',
      'closeConnection',
    ]);
    expect(result.outcome).toBe('error');
  });

  test('another company file open: "" connects to it and the HCP response shows its FileID', async () => {
    const expected = new FakeQuickBooks('C:\\Company Files\\Tenant42.QBW');
    const other = new FakeQuickBooks('C:\\Company Files\\Tenant7.QBW');
    const otherFileId = '{11111111-2222-4333-8444-555555555555}';
    other.stampFileId(TEST_OWNER_ID, otherFileId);
    const { result, server } = await run(
      { handlers: { sendRequestXML: () => '', getLastError: () => 'Wrong company file: expected ' + TEST_FILE_ID } },
      { quickbooks: expected, faults: { differentCompanyFile: other } },
    );
    const send = server.callsOf('sendRequestXML')[0]!;
    expect(send.args['strCompanyFileName']).toBe('C:\\Company Files\\Tenant7.QBW');
    expect(send.args['strHCPResponse']).toContain(`<DataExtValue>${otherFileId}</DataExtValue>`);
    expect(send.args['strHCPResponse']).not.toContain(TEST_FILE_ID);
    expect(result.companyFileId).toBe(otherFileId);
    expect(result.log).toContain(`already holds FileID ${otherFileId}`);
    expect(expected.stampCalls).toEqual([]);
    expect(result.outcome).toBe('error');
  });

  test('another company file open while the service names the expected file: connectionError 0x8004040A', async () => {
    const expected = new FakeQuickBooks('C:\\Company Files\\Tenant42.QBW');
    const other = new FakeQuickBooks('C:\\Company Files\\Tenant7.QBW');
    const { result, server } = await run(
      { handlers: { authenticate: () => [TICKET, expected.companyFilePath] } },
      { quickbooks: expected, faults: { differentCompanyFile: other } },
    );
    expect(server.callsOf('connectionError')[0]!.args['hresult']).toBe('0x8004040A');
    expect(result.outcome).toBe('error');
    expect(other.processed).toEqual([]);
  });
});

describe('emulator limits', () => {
  test('a service answering NoOp forever is stopped by maxCalls', async () => {
    const { result, server } = await run({ handlers: { getLastError: () => 'NoOp' } }, { maxCalls: 12 });
    expect(result.outcome).toBe('aborted');
    expect(server.calls).toHaveLength(12);
    expect(result.lastError).toContain('limit of 12 SOAP calls');
  });

  test('an abort signal cancels the run', async () => {
    const controller = new AbortController();
    const { result, server } = await run(
      { handlers: { getLastError: () => 'NoOp' } },
      { noOpPauseMs: 10_000, signal: controller.signal, log: (line) => line.includes('pausing') && controller.abort() },
    );
    expect(result.outcome).toBe('aborted');
    expect(server.operations().at(-1)).toBe('getLastError');
  });
});
