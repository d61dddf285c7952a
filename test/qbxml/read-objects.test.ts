/**
 * QuickBooks' answers read by @rgrove/parse-xml into the objects fast-xml-parser gave with the options the session
 * engine used (attributes as keys, text kept as text and trimmed, entities decoded), in the same key order; but
 * character references decoded; and what is not well-formed refused with the parser's words and position.
 */
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { readXmlObjects, XmlReadError } from '../../src/qbxml/read-objects.js';

const reference = new XMLParser({
  ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false,
  trimValues: true, processEntities: true, ignoreDeclaration: true, ignorePiTags: true,
});

describe('the same objects as fast-xml-parser', () => {
  test.each([
    ['attributes, repeats, empty elements, mixed text, entities, comments, CDATA',
      '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><M><A x="1"/><A x=\'2\'>t &amp; &lt;</A><B></B><C/>' +
      '<D>  <E>1</E> tail </D><F y="&quot;q"> </F><!-- c --><G><![CDATA[a<b]]></G><H>a<I/>b</H></M></QBXML>'],
    ['a response message',
      '<QBXML>\n  <QBXMLMsgsRs>\n    <InvoiceAddRs requestID="1" statusCode="0" statusSeverity="Info" statusMessage="Status OK">\n' +
      '      <InvoiceRet><TxnID>1-2</TxnID><InvoiceLineRet><Desc>a &amp; b</Desc></InvoiceLineRet><InvoiceLineRet><Desc>c</Desc></InvoiceLineRet></InvoiceRet>\n' +
      '    </InvoiceAddRs>\n    <InvoiceAddRs requestID="2" statusCode="3100" statusSeverity="Error" statusMessage="x &apos;y&apos; is out-of-date. "/>\n' +
      '  </QBXMLMsgsRs >\n</QBXML>\n'],
  ])('%s', (_, xml) => {
    const read = readXmlObjects(xml);
    expect(read).toEqual(reference.parse(xml));
    // Key order too (a response's body keeps its elements in document order, attributes after them).
    expect(JSON.stringify(read)).toBe(JSON.stringify(reference.parse(xml)));
  });
});

test('character references are decoded (a name QuickBooks writes as Caf&#233; is Café)', () => {
  expect(readXmlObjects('<CustomerRet><Name>Caf&#233; &#x4E2D; &#65;</Name></CustomerRet>')).toEqual({ CustomerRet: { Name: 'Café 中 A' } });
});

describe('refused', () => {
  test.each([
    ['a mismatched end tag', '<a><b></a>', 'Missing end tag for element b (line 1'],
    ['a bare ampersand', '<a>x & y</a>', 'Unterminated reference'],
    ['an attribute given twice', '<a x="1" x="2"/>', 'Duplicate attribute: x'],
    ['a second document element', '<a></a><b/>', 'Extra content at the end of the document'],
    ['an element never closed', '<a>\n<b>', 'Missing end tag for element b (line 2'],
    ['text outside the document element', 'QuickBooks is not running', 'Root element is missing or invalid'],
    ['an entity of its own (no declaration is ever used)', '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', "Named entity isn't defined: &e;"],
    ['an unquoted attribute', '<a b=c/>', 'Attribute value expected'],
    ['a name reaching into the prototype', '<a><__proto__>1</__proto__></a>', 'the reserved name __proto__'],
    ['an attribute reaching into the prototype', '<a __proto__="1"/>', 'the reserved name __proto__'],
    ['nothing', '   ', 'Root element is missing or invalid'],
  ])('%s', (_, xml, message) => {
    expect(() => readXmlObjects(xml)).toThrow(XmlReadError);
    expect(() => readXmlObjects(xml)).toThrow(message);
  });
});
