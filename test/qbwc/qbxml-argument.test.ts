/**
 * The qbXML argument lifted out of an envelope reads as the `soap` package reads it in place: the same text
 * for every envelope QBWC could send, the envelope left whole whenever the argument is not plain text in
 * QBWC's shape, and a bad reference refused as not well-formed with its line.
 */
import { beforeAll, expect, test } from 'vitest';
import { WSDL } from 'soap';
import { buildQbwcWsdl } from '../../src/qbwc/wsdl.js';
import { liftQbxmlArgument } from '../../src/qbwc/qbxml-argument.js';

let wsdl: WSDL;
beforeAll(async () => {
  wsdl = new WSDL(buildQbwcWsdl('http://localhost/qbwc'), 'http://localhost/qbwc', {});
  await new Promise<void>((resolve, reject) => wsdl.onReady((error: unknown) => (error ? reject(error) : resolve())));
});

/** The operation's arguments as the `soap` package reads `xml`. */
function soapArguments(xml: string, operation: string): Record<string, unknown> {
  return (wsdl.xmlToObject(xml) as { Body: Record<string, Record<string, unknown>> }).Body[operation] ?? {};
}

const envelope = (operation: string, args: string, prefix = 'soap') =>
  `<?xml version="1.0" encoding="utf-8"?>\r\n<${prefix}:Envelope xmlns:${prefix}="http://schemas.xmlsoap.org/soap/envelope/" ` +
  `xmlns:xsd="http://www.w3.org/2001/XMLSchema"><${prefix}:Body>\r\n  <${operation} xmlns="http://developer.intuit.com/">${args}</${operation}></${prefix}:Body></${prefix}:Envelope>`;

const answer =
  '&lt;?xml version="1.0" ?&gt;\r\n&lt;QBXML&gt;&lt;QBXMLMsgsRs&gt;&lt;CustomerQueryRs requestID="1" statusCode="0" statusSeverity="Info" statusMessage="Status OK"&gt;' +
  '&lt;CustomerRet&gt;&lt;Name&gt;Caf&#233; &amp; Co &#x263A; &quot;x&quot; &apos;y&apos; a&gt;b&lt;/Name&gt;&lt;/CustomerRet&gt;&lt;/CustomerQueryRs&gt;\n&lt;/QBXMLMsgsRs&gt;&lt;/QBXML&gt;\r\n';

test.each([
  { name: 'receiveResponseXML as QBWC sends it', operation: 'receiveResponseXML', args: `<ticket>t-1</ticket><response>${answer}</response><hresult /><message />` },
  { name: 'another prefix, attributes, spaces', operation: 'receiveResponseXML', args: `\n <ticket >t</ticket >\n <response >  ${answer}  </response ><hresult a="x>y" b='z'>h</hresult>`, prefix: 'env' },
  { name: 'an empty response', operation: 'receiveResponseXML', args: '<ticket>t</ticket><response></response><hresult>0x80040400</hresult><message>m</message>' },
  { name: 'a blank response', operation: 'receiveResponseXML', args: '<ticket>t</ticket><response>  \r\n </response>' },
  { name: 'sendRequestXML with the host answer', operation: 'sendRequestXML', args: `<ticket>t</ticket><strHCPResponse>${answer}</strHCPResponse><strCompanyFileName>C:\\a.QBW</strCompanyFileName><qbXMLCountry>US</qbXMLCountry><qbXMLMajorVers>16</qbXMLMajorVers><qbXMLMinorVers>0</qbXMLMinorVers>` },
])('$name: lifted, and read as soap reads it in place', ({ operation, args, prefix }) => {
  const xml = envelope(operation, args, prefix);
  const read = liftQbxmlArgument(xml);
  if (!read.ok) throw new Error(read.reason);
  expect(read.lifted).toBeDefined();
  expect(read.envelope.split('\n').length).toBe(xml.split('\n').length);
  const inPlace = soapArguments(xml, operation);
  const lifted = soapArguments(read.envelope, operation);
  const name = read.lifted!.name;
  expect(read.lifted!.text).toBe(typeof inPlace[name] === 'string' ? inPlace[name] : '');
  expect({ ...lifted, [name]: undefined }).toEqual({ ...inPlace, [name]: undefined });
});

test.each([
  { name: 'a comment before it', args: `<ticket>t</ticket><!-- x --><response>${answer}</response>` },
  { name: 'CDATA', args: `<ticket>t</ticket><response><![CDATA[<QBXML/>]]></response>` },
  { name: 'an element inside', args: `<ticket>t</ticket><response><QBXML/></response>` },
  { name: 'text before the arguments', args: `x<ticket>t</ticket><response>${answer}</response>` },
  { name: 'an unclosed argument before it', args: `<ticket>t<response>${answer}</response>` },
  { name: 'attributes on it', args: `<ticket>t</ticket><response a="1">${answer}</response>` },
  { name: 'an empty element', args: `<ticket>t</ticket><response/>` },
  { name: 'an operation without a qbXML argument', args: `<ticket>t</ticket>`, operation: 'getLastError' },
])('$name: the envelope is left whole', ({ args, operation }) => {
  const xml = envelope(operation ?? 'receiveResponseXML', args);
  expect(liftQbxmlArgument(xml)).toEqual({ ok: true, envelope: xml });
});

test.each([
  { text: 'a & b', reference: '"&"' },
  { text: '&lt;QBXML&gt;\n&nbsp;', reference: '"&nbsp;"' },
  { text: '&#0;', reference: '"&#0;"' },
  { text: '&#X41;', reference: '"&#X41;"' },
  { text: '&#x110000;', reference: '"&#x110000;"' },
])('a bad reference ($reference) is not well-formed, with its line', ({ text, reference }) => {
  const xml = envelope('receiveResponseXML', `<ticket>t</ticket>\n<response>${text}</response>`);
  const read = liftQbxmlArgument(xml);
  expect(read.ok).toBe(false);
  if (read.ok) return;
  expect(read.reason).toContain(reference);
  expect(read.line).toBe(xml.slice(0, xml.indexOf(reference.slice(1, 3), xml.indexOf('<response>'))).split('\n').length);
});
