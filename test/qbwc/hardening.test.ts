/**
 * Hostile and broken input at the SOAP boundary: XXE, "billion laughs", a 50 MB body, malformed envelopes,
 * unknown operations. Each gets a SOAP Fault, changes nothing, and the service stays up.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { QbwcSession } from '../../src/qbwc/session/qbwc-session.entity.js';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ reachableQwc: true });
});
afterAll(async () => {
  await app?.close();
});

const envelope = (body: string, prolog = '') =>
  `<?xml version="1.0" encoding="utf-8"?>${prolog}<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>${body}</soap:Body></soap:Envelope>`;

async function post(body: string | Uint8Array, action = 'authenticate'): Promise<{ status: number; text: string }> {
  const res = await fetch(`${app.url}/qbwc/reg_x`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"http://developer.intuit.com/${action}"` },
    body,
  });
  return { status: res.status, text: await res.text() };
}

async function counts(): Promise<[number, number]> {
  const em = app.database.orm.em.fork();
  return [await em.count(QbwcSession, {}), await em.count(AuditEntry, {})];
}

test.each([
  {
    name: 'an external entity (XXE)',
    body: envelope(
      '<authenticate xmlns="http://developer.intuit.com/"><strUserName>&xxe;</strUserName><strPassword>x</strPassword></authenticate>',
      '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    ),
    fault: 'DOCTYPE or entity declarations',
  },
  {
    name: 'an entity expansion bomb ("billion laughs")',
    body: envelope(
      '<authenticate xmlns="http://developer.intuit.com/"><strUserName>&lol9;</strUserName></authenticate>',
      '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
        Array.from({ length: 7 }, (_, i) => `<!ENTITY lol${i + 3} "${`&lol${i + 2};`.repeat(10)}">`).join('') +
        ']>',
    ),
    fault: 'DOCTYPE or entity declarations',
  },
  { name: 'malformed XML', body: envelope('<authenticate xmlns="http://developer.intuit.com/"><strUserName>x</authenticate>'), fault: 'not well-formed XML' },
  {
    name: 'an undeclared entity in the qbXML answer',
    body: envelope('<receiveResponseXML xmlns="http://developer.intuit.com/"><ticket>t</ticket><response>&lt;QBXML&gt;&xxe;&lt;/QBXML&gt;</response></receiveResponseXML>'),
    fault: 'not well-formed XML ("&amp;xxe;" in response is not a reference XML knows, line 1)',
  },
  {
    name: 'malformed XML after the qbXML answer',
    body: envelope('<receiveResponseXML xmlns="http://developer.intuit.com/"><ticket>t</ticket><response>&lt;QBXML/&gt;</response><hresult></receiveResponseXML>'),
    fault: 'not well-formed XML',
  },
  { name: 'XML that is not a SOAP envelope', body: '<?xml version="1.0"?><hello/>', fault: 'not a SOAP envelope' },
  { name: 'an unknown operation', body: envelope('<dropTables xmlns="http://developer.intuit.com/"/>'), fault: 'Unknown operation "dropTables"' },
  { name: 'an empty body', body: '', fault: 'body is empty' },
])('$name → SOAP Fault, nothing changes', async ({ body, fault }) => {
  const before = await counts();
  const res = await post(body);
  expect(res.status).toBe(400);
  expect(res.text).toContain('<soap:Fault>');
  expect(res.text).toContain(fault);
  expect(await counts()).toEqual(before);
});

test('a 50 MB body is refused before it is parsed, and the service stays up', async () => {
  const big = new Uint8Array(50 * 1024 * 1024).fill(0x41);
  const res = await post(big, 'receiveResponseXML');
  expect(res.status).toBe(413);
  expect(res.text).toContain('larger than the 20000000 bytes');
  const health = await fetch(`${app.url}/healthz`);
  expect(health.status).toBe(200);
});

test('a well-formed call for an unknown registration is answered by the protocol, not a fault', async () => {
  const res = await post(
    envelope('<authenticate xmlns="http://developer.intuit.com/"><strUserName>qbwc</strUserName><strPassword>nope</strPassword></authenticate>'),
  );
  expect(res.status).toBe(200);
  expect(res.text).toMatch(/<(\w+:)?string>nvu<\/(\w+:)?string>/);
  const lastError = await post(envelope('<getLastError xmlns="http://developer.intuit.com/"><ticket>no-such-ticket</ticket></getLastError>'), 'getLastError');
  expect(lastError.text).toContain('unknown or has expired');
});
