/**
 * The one-pass reader of QuickBooks' answers gives the objects fast-xml-parser gave with the options the session
 * engine used (attributes as keys, text kept as text and trimmed, entities decoded), and refuses what is not
 * well-formed.
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
      '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><M><A x="1"/><A x=\'2\'>t &amp; &#65;&#x42; &lt;</A><B></B><C/>' +
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

describe('refused', () => {
  test.each([
    ['a mismatched end tag', '<a><b></a>', '</a> closes <b>'],
    ['a bare ampersand', '<a>x & y</a>', 'an & that starts no entity'],
    ['an attribute given twice', '<a x="1" x="2"/>', 'attribute x given twice'],
    ['a second document element', '<a></a><b/>', 'a second document element'],
    ['an element never closed', '<a>\n<b>', '<b> is never closed, line 2'],
    ['text outside the document element', 'QuickBooks is not running', 'text outside the document element'],
    ['a DOCTYPE', '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', 'declarations'],
    ['an unquoted attribute', '<a b=c/>', 'not a well-formed tag'],
    ['a name reaching into the prototype', '<a><__proto__>1</__proto__></a>', 'reserved name'],
    ['nothing', '   ', 'no document element'],
  ])('%s', (_, xml, message) => {
    expect(() => readXmlObjects(xml)).toThrow(XmlReadError);
    expect(() => readXmlObjects(xml)).toThrow(message);
  });
});
