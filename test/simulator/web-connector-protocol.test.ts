/**
 * The emulator against a scripted QBWC web service over real HTTP: call order, arguments and wire format for
 * every authenticate / clientVersion / getLastError / receiveResponseXML branch.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { runWebConnectorUpdate, type WebConnectorRunOptions } from '../../src/simulator/web-connector/index.js';
import { FakeQuickBooks } from './helpers/fake-quickbooks.js';
import { buildQwc, TEST_FILE_ID, TEST_OWNER_ID } from './helpers/qwc.js';
import { startScriptedQbwcServer, type ScriptedQbwcServer, type ScriptedServerOptions } from './helpers/scripted-qbwc-server.js';

const TICKET = '{0C8F7C5E-8D7B-4F47-9D1A-1C2B3D4E5F60}';
const REQUEST = (n: number) =>
  `<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="13.0"?>\n<QBXML><QBXMLMsgsRq onError="stopOnError"><CustomerQueryRq requestID="${n}"><MaxReturned>1</MaxReturned></CustomerQueryRq></QBXMLMsgsRq></QBXML>`;

let server: ScriptedQbwcServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function run(script: ScriptedServerOptions, extra: Partial<WebConnectorRunOptions> = {}) {
  server = await startScriptedQbwcServer(script);
  const quickbooks = (extra.quickbooks as FakeQuickBooks | undefined) ?? new FakeQuickBooks();
  const result = await runWebConnectorUpdate({
    qwcXml: buildQwc(server.url),
    password: 's3cret&<pw>',
    quickbooks,
    noOpPauseMs: 0,
    timeoutMs: 5_000,
    ...extra,
  });
  return { result, server, quickbooks };
}

describe('a normal update', () => {
  test('follows QBWC call order, sends QBWC-shaped SOAP and loops until 100', async () => {
    const messages = [REQUEST(1), REQUEST(2), REQUEST(3)];
    const { result, server, quickbooks } = await run({
      handlers: {
        authenticate: () => [TICKET, ''],
        sendRequestXML: (_a, call) => messages[call.nth - 1]!,
        receiveResponseXML: (_a, call) => [33, 66, 100][call.nth - 1]!,
        closeConnection: () => 'Complete!',
      },
    });

    expect(server.operations()).toEqual([
      'serverVersion',
      'clientVersion',
      'authenticate',
      'sendRequestXML',
      'receiveResponseXML',
      'sendRequestXML',
      'receiveResponseXML',
      'sendRequestXML',
      'receiveResponseXML',
      'closeConnection',
    ]);
    expect(result.outcome).toBe('completed');
    expect(result.calls.map((c) => c.operation)).toEqual(server.operations());
    expect(result.closeConnectionResult).toBe('Complete!');
    expect(result.percentDone).toBe(100);

    // clientVersion carries the emulated QBWC version; authenticate the QWC user and the typed password.
    expect(server.callsOf('clientVersion')[0]!.args).toEqual({ strVersion: '2.3.0.215' });
    expect(server.callsOf('authenticate')[0]!.args).toEqual({ strUserName: 'tenant-42', strPassword: 's3cret&<pw>' });
    expect(result.calls[2]!.args['strPassword']).toBe('********');

    // strHCPResponse only on the first sendRequestXML; version and file from the simulated QuickBooks.
    const sends = server.callsOf('sendRequestXML');
    expect(sends[0]!.args['strHCPResponse']).toContain('<HostQueryRs');
    expect(sends[0]!.args['strHCPResponse']).toContain(`<DataExtValue>${TEST_FILE_ID}</DataExtValue>`);
    for (const send of sends.slice(1)) expect(send.args['strHCPResponse']).toBe('');
    for (const send of sends) {
      expect(send.args).toMatchObject({
        ticket: TICKET,
        strCompanyFileName: quickbooks.companyFilePath,
        qbXMLCountry: 'US',
        qbXMLMajorVers: 13,
        qbXMLMinorVers: 0,
      });
    }
    // FileID stamped once, before the first sendRequestXML.
    expect(quickbooks.stampCalls).toEqual([[TEST_OWNER_ID, TEST_FILE_ID]]);
    expect(result.companyFileId).toBe(TEST_FILE_ID);

    // Every request went to QuickBooks, every response came back to the service.
    expect(result.requests).toEqual(messages);
    expect(quickbooks.processed).toEqual(messages);
    const receives = server.callsOf('receiveResponseXML');
    // node-soap trims text values on parse, so compare the raw bodies for exactness.
    expect(receives.map((c) => c.args['response'])).toEqual(result.responses.map((r) => r.response.trim()));
    receives.forEach((c, i) => {
      const escaped = result.responses[i]!.response.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      expect(c.rawBody).toContain(`<response>${escaped}</response>`);
    });
    expect(receives[1]!.args['response']).toContain('<CustomerQueryRs requestID="2" statusCode="0"');
    expect(receives[1]!.args).toMatchObject({ ticket: TICKET, hresult: '', message: '' });
  });

  test('puts QBWC bytes on the wire: headers, default namespace, escaped qbXML, <hresult />', async () => {
    const { server } = await run({
      handlers: { sendRequestXML: () => REQUEST(1), receiveResponseXML: () => 100 },
    });
    for (const call of server.calls) {
      expect(call.headers.contentType).toBe('text/xml; charset=utf-8');
      expect(call.headers.soapAction).toBe(`"http://developer.intuit.com/${call.operation}"`);
      expect(call.rawBody.startsWith('<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"')).toBe(true);
      expect(call.rawBody).toContain(`<soap:Body><${call.operation} xmlns="http://developer.intuit.com/"`);
    }
    expect(server.callsOf('serverVersion')[0]!.rawBody).toContain('<serverVersion xmlns="http://developer.intuit.com/" />');
    const receive = server.callsOf('receiveResponseXML')[0]!.rawBody;
    expect(receive).toMatch(/<response>&lt;\?xml version="1\.0" \?&gt;\n&lt;QBXML&gt;/);
    expect(receive).toContain('</response><hresult /><message /></receiveResponseXML></soap:Body></soap:Envelope>');
    expect(server.callsOf('authenticate')[0]!.rawBody).toContain('<strPassword>s3cret&amp;&lt;pw&gt;</strPassword>');
    const send = server.callsOf('sendRequestXML')[0]!.rawBody;
    expect(send).toContain('<qbXMLMajorVers>13</qbXMLMajorVers><qbXMLMinorVers>0</qbXMLMinorVers>');
  });

  test('writes a QBWC-style log with timestamps, masked password and the XML dumps', async () => {
    const { result } = await run(
      { handlers: { sendRequestXML: () => REQUEST(1) } },
      { now: () => new Date(Date.UTC(2026, 10, 25, 10, 11, 12)) },
    );
    const lines = result.log.split('\n');
    expect(lines).toContain(
      "20261125.10:11:12 UTC\t: QBWebConnector.SOAPWebService.do_authenticate() : Authenticating to application 'qbd-bridge test', username = 'tenant-42'",
    );
    expect(lines).toContain(
      '20261125.10:11:12 UTC\t: QBWebConnector.SOAPWebService.do_clientVersion() : *** Calling clientVersion() with following parameter:<productVersion="2.3.0.215">',
    );
    expect(result.log).toContain('<password=<MaskedForSecurity>');
    expect(result.log).not.toContain('s3cret');
    expect(result.log).toContain('qbXMLMajorVers="13"');
    expect(result.log).toContain('<CustomerQueryRq requestID="1">');
    expect(result.logEntries.every((e) => e.line.startsWith('20261125.10:11:12 UTC\t: '))).toBe(true);
    expect(result.logEntries.at(-1)!.message).toContain('Update session unlocked');
  });
});

describe('two Web Connectors at once', () => {
  test('each session keeps its ticket, its company file and its requests', async () => {
    const progress = new Map<string, number>();
    server = await startScriptedQbwcServer({
      handlers: {
        authenticate: (a) => [`ticket-${a['strUserName']}`, ''],
        sendRequestXML: (a) =>
          `<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><CustomerQueryRq requestID="${a['ticket']}"/></QBXMLMsgsRq></QBXML>`,
        receiveResponseXML: (a) => {
          const done = (progress.get(String(a['ticket'])) ?? 0) + 1;
          progress.set(String(a['ticket']), done);
          return done >= 3 ? 100 : done * 33;
        },
      },
    });
    const tenants = ['tenant-A', 'tenant-B'].map((user) => ({ user, quickbooks: new FakeQuickBooks(`C:\\Company Files\\${user}.QBW`) }));
    const results = await Promise.all(
      tenants.map(({ user, quickbooks }) =>
        runWebConnectorUpdate({ qwcXml: buildQwc(server!.url, { UserName: user }), password: 'pw', quickbooks, timeoutMs: 5_000 }),
      ),
    );
    results.forEach((result, i) => {
      const { user, quickbooks } = tenants[i]!;
      expect(result.outcome).toBe('completed');
      expect(result.ticket).toBe(`ticket-${user}`);
      expect(quickbooks.processed).toHaveLength(3);
      for (const request of quickbooks.processed) expect(request).toContain(`requestID="ticket-${user}"`);
    });
    for (const send of server.callsOf('sendRequestXML')) {
      const user = String(send.args['ticket']).replace('ticket-', '');
      expect(send.args['strCompanyFileName']).toBe(`C:\\Company Files\\${user}.QBW`);
    }
  });
});

describe('authenticate answers', () => {
  test('"nvu" stops after authenticate and logs the authentication failure', async () => {
    const { result, server } = await run({ handlers: { authenticate: () => ['', 'nvu'] } });
    expect(result.outcome).toBe('nvu');
    expect(server.operations()).toEqual(['serverVersion', 'clientVersion', 'authenticate']);
    expect(result.log).toMatch(/QBWC1012: Authentication failed/);
  });

  test('"none" ends the update with no work and reports the wait hints', async () => {
    const { result, server, quickbooks } = await run({ handlers: { authenticate: () => [TICKET, 'none', '300', '900'] } });
    expect(result.outcome).toBe('no-work');
    expect(server.operations()).toEqual(['serverVersion', 'clientVersion', 'authenticate']);
    expect(result.waitBeforeNextUpdateSeconds).toBe(300);
    expect(result.minimumRunEveryNSeconds).toBe(900);
    expect(result.log).toContain('<authRet[0]="' + TICKET + '"><authRet[1]="none"><authRet[2]="300"><authRet[3]="900">');
    expect(result.log).toContain('No data exchange required');
    expect(quickbooks.stampCalls).toEqual([]);
  });

  test('"NONE" in capitals is understood too, without hints', async () => {
    const { result } = await run({ handlers: { authenticate: () => [TICKET, 'NONE'] } });
    expect(result.outcome).toBe('no-work');
    expect(result.waitBeforeNextUpdateSeconds).toBeUndefined();
    expect(result.minimumRunEveryNSeconds).toBeUndefined();
  });

  test('"busy" ends the update and reports when to retry', async () => {
    const { result, server } = await run({ handlers: { authenticate: () => [TICKET, 'busy', '60'] } });
    expect(result.outcome).toBe('busy');
    expect(result.waitBeforeNextUpdateSeconds).toBe(60);
    expect(server.operations()).toEqual(['serverVersion', 'clientVersion', 'authenticate']);
  });

  test('"" with a wait time postpones the update', async () => {
    const { result, server } = await run({ handlers: { authenticate: () => [TICKET, '', '120'] } });
    expect(result.outcome).toBe('postponed');
    expect(result.waitBeforeNextUpdateSeconds).toBe(120);
    expect(server.operations()).toEqual(['serverVersion', 'clientVersion', 'authenticate']);
  });

  test('a company file path matching the open file (any case, any slash) is used', async () => {
    const quickbooks = new FakeQuickBooks('C:\\Company Files\\Acme.QBW');
    const { result, server } = await run(
      { handlers: { authenticate: () => [TICKET, 'c:/company files/ACME.qbw'], sendRequestXML: () => REQUEST(1) } },
      { quickbooks },
    );
    expect(result.outcome).toBe('completed');
    expect(server.callsOf('sendRequestXML')[0]!.args['strCompanyFileName']).toBe('C:\\Company Files\\Acme.QBW');
  });

  test('a company file path that is not the open file gives connectionError, then "done" ends the update', async () => {
    const quickbooks = new FakeQuickBooks('C:\\Company Files\\Acme.QBW');
    const { result, server } = await run(
      { handlers: { authenticate: () => [TICKET, 'C:\\Company Files\\Other.QBW'], connectionError: () => 'done' } },
      { quickbooks },
    );
    expect(server.operations()).toEqual(['serverVersion', 'clientVersion', 'authenticate', 'connectionError', 'closeConnection']);
    expect(server.callsOf('connectionError')[0]!.args).toEqual({
      ticket: TICKET,
      hresult: '0x8004040A',
      message: 'A QuickBooks company data file is already open and it is different from the one requested.',
    });
    expect(result.outcome).toBe('error');
    expect(result.lastError).toContain('different from the one requested');
    expect(quickbooks.processed).toEqual([]);
  });

  test('connectionError answering "" retries with the open file once and the update goes on', async () => {
    const quickbooks = new FakeQuickBooks('C:\\Company Files\\Acme.QBW');
    const { result, server } = await run(
      {
        handlers: {
          authenticate: () => [TICKET, 'C:\\Company Files\\Other.QBW'],
          connectionError: () => '',
          sendRequestXML: () => REQUEST(1),
        },
      },
      { quickbooks },
    );
    expect(server.operations()).toEqual([
      'serverVersion',
      'clientVersion',
      'authenticate',
      'connectionError',
      'sendRequestXML',
      'receiveResponseXML',
      'closeConnection',
    ]);
    expect(result.outcome).toBe('completed');
  });

  test('connectionError naming another wrong file: one retry, a second connectionError, then stop', async () => {
    const { result, server } = await run({
      handlers: { authenticate: () => [TICKET, 'C:\\A.QBW'], connectionError: () => 'C:\\B.QBW' },
    });
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
});

describe('clientVersion answers', () => {
  test('"W:" logs the warning and goes on', async () => {
    const { result, server } = await run({
      handlers: { clientVersion: () => 'W:Please upgrade soon', sendRequestXML: () => REQUEST(1) },
    });
    expect(result.outcome).toBe('completed');
    expect(result.warning).toBe('Please upgrade soon');
    expect(result.logEntries.some((e) => e.level === 'warn' && e.message.includes('Please upgrade soon'))).toBe(true);
    expect(server.operations()).toContain('closeConnection');
  });

  test('"W:" with the user declining stops before authenticate', async () => {
    const { result, server } = await run({ handlers: { clientVersion: () => 'W:Old' } }, { continueOnWarning: false });
    expect(result.outcome).toBe('aborted');
    expect(server.operations()).toEqual(['serverVersion', 'clientVersion']);
  });

  test('"E:" stops with the error text', async () => {
    const { result, server } = await run({ handlers: { clientVersion: () => 'E:This Web Connector is too old' } });
    expect(result.outcome).toBe('error');
    expect(result.lastError).toBe('This Web Connector is too old');
    expect(server.operations()).toEqual(['serverVersion', 'clientVersion']);
  });

  test('"O:" stops and names the required version', async () => {
    const { result, server } = await run({ handlers: { clientVersion: () => 'O:2.4.0.1' } });
    expect(result.outcome).toBe('error');
    expect(result.lastError).toContain('2.4.0.1');
    expect(server.operations()).toEqual(['serverVersion', 'clientVersion']);
  });
});

describe('getLastError and receiveResponseXML errors', () => {
  test('an empty sendRequestXML leads to getLastError; its message ends the update', async () => {
    const { result, server } = await run({
      handlers: { sendRequestXML: () => '', getLastError: () => 'Mapping for item "Labor" is missing' },
    });
    expect(server.operations()).toEqual([
      'serverVersion',
      'clientVersion',
      'authenticate',
      'sendRequestXML',
      'getLastError',
      'closeConnection',
    ]);
    expect(server.callsOf('getLastError')[0]!.args).toEqual({ ticket: '{3F2504E0-4F89-11D3-9A0C-0305E82C3301}' });
    expect(result.outcome).toBe('error');
    expect(result.lastError).toBe('Mapping for item "Labor" is missing');
  });

  test('"NoOp" pauses, then sendRequestXML is called again (strHCPResponse still only on the first call)', async () => {
    const { result, server } = await run(
      {
        handlers: {
          sendRequestXML: (_a, call) => (call.nth <= 2 ? '' : REQUEST(1)),
          getLastError: () => 'NoOp',
        },
      },
      { noOpPauseMs: 40 },
    );
    expect(server.operations()).toEqual([
      'serverVersion',
      'clientVersion',
      'authenticate',
      'sendRequestXML',
      'getLastError',
      'sendRequestXML',
      'getLastError',
      'sendRequestXML',
      'receiveResponseXML',
      'closeConnection',
    ]);
    const sends = server.callsOf('sendRequestXML');
    expect(sends[0]!.args['strHCPResponse']).toContain('<HostQueryRs');
    expect(sends[1]!.args['strHCPResponse']).toBe('');
    expect(sends[2]!.args['strHCPResponse']).toBe('');
    expect(result.outcome).toBe('completed');
    // The second and third sendRequestXML come after a NoOp pause.
    const calls = server.calls;
    expect(calls[5]!.receivedAt - calls[4]!.receivedAt).toBeGreaterThanOrEqual(35);
    expect(calls[7]!.receivedAt - calls[6]!.receivedAt).toBeGreaterThanOrEqual(35);
    expect(result.log).toContain('NoOp');
    expect(result.log).toContain('pausing 40 ms');
  });

  test('"Interactive mode" is not supported: logged, update stopped', async () => {
    const { result, server } = await run({ handlers: { sendRequestXML: () => '', getLastError: () => 'Interactive mode' } });
    expect(result.outcome).toBe('error');
    expect(result.log).toMatch(/does not support interactive sessions/);
    expect(server.operations()).toEqual(['serverVersion', 'clientVersion', 'authenticate', 'sendRequestXML', 'getLastError', 'closeConnection']);
  });

  test('a negative receiveResponseXML leads to getLastError, then the update stops', async () => {
    const { result, server } = await run({
      handlers: {
        sendRequestXML: () => REQUEST(1),
        receiveResponseXML: () => -101,
        getLastError: () => 'QuickBooks rejected invoice 1001',
      },
    });
    expect(server.operations()).toEqual([
      'serverVersion',
      'clientVersion',
      'authenticate',
      'sendRequestXML',
      'receiveResponseXML',
      'getLastError',
      'closeConnection',
    ]);
    expect(result.outcome).toBe('error');
    expect(result.percentDone).toBe(-101);
    expect(result.lastError).toBe('QuickBooks rejected invoice 1001');
  });

  test('a qbXML message QuickBooks cannot parse is posted as an empty response with hresult and message', async () => {
    const { result, server } = await run({
      handlers: { sendRequestXML: () => '<QBXML><NotAMessageSet/></QBXML>', receiveResponseXML: () => -1, getLastError: () => 'parse error seen' },
    });
    const receive = server.callsOf('receiveResponseXML')[0]!;
    expect(receive.args).toEqual({
      ticket: '{3F2504E0-4F89-11D3-9A0C-0305E82C3301}',
      response: '',
      hresult: '0x80040400',
      message: 'QuickBooks found an error when parsing the provided XML text stream.',
    });
    expect(receive.rawBody).toContain('<response /><hresult>0x80040400</hresult>');
    expect(result.responses[0]).toMatchObject({ requestIndex: 1, response: '', hresult: '0x80040400' });
  });

  test('a decimal percentage is a protocol error, as in QBWC', async () => {
    const { result } = await run({
      handlers: { sendRequestXML: () => REQUEST(1), receiveResponseXML: () => 50.5 },
    });
    expect(result.outcome).toBe('error');
    expect(result.lastError).toMatch(/not in a correct format/);
  });
});
