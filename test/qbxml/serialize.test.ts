/**
 * The serializer writes schema order whatever order the object was built in, and its output validates
 * against Intuit's XSD; values are escaped so that they come back unchanged through QuickBooks (simulated).
 */
import { describe, expect, it, test } from 'vitest';
import {
  buildRequestMessage,
  escapeQbxmlText,
  parseResponse,
  QbxmlSerializeError,
  serializeRequest,
  serializeRequestElement,
  validateRequest,
  type CustomerQueryRq,
  type DataExtDefAddRq,
  type EmployeeAddRq,
  type InvoiceModRq,
  type InvoiceQueryRq,
  type ItemQueryRq,
  type QbxmlRequests,
  type QbxmlRequestType,
} from '../../src/qbxml/index.js';
import type { OutboundRequest } from '../../src/qbwc/work/work-source.js';
import { QuickBooksSimulator } from '../../src/simulator/quickbooks.js';
import { validator } from '../helpers/spec.js';
import { customerAdd, dataExtAdd, expectXsdValid, inventoryAdjustmentAdd, invoiceAdd, itemServiceAdd, receivePaymentAdd, scrambled } from './fixtures.js';

const customerQuery: CustomerQueryRq = {
  iterator: 'Start',
  MaxReturned: 100,
  ActiveStatus: 'All',
  FromModifiedDate: '2024-01-01T00:00:00-05:00',
  NameFilter: { MatchCriterion: 'StartsWith', Name: 'Acme' },
  OwnerID: ['0'],
  IncludeRetElement: ['ListID', 'EditSequence', 'Name', 'DataExtRet'],
};
const invoiceQuery: InvoiceQueryRq = {
  iterator: 'Continue',
  iteratorID: '{eb05f701-e727-472f-8ade-6753c4f67a46}',
  MaxReturned: 50,
  TxnDateRangeFilter: { FromTxnDate: '2024-01-01', ToTxnDate: '2024-01-31' },
  EntityFilter: { FullName: ['Acme Corporation'] },
  PaidStatus: 'NotPaidOnly',
  IncludeLineItems: true,
  IncludeLinkedTxns: true,
};
const itemQuery: ItemQueryRq = { iterator: 'Start', MaxReturned: 25, ActiveStatus: 'ActiveOnly', NameRangeFilter: { FromName: 'A', ToName: 'M' } };
const invoiceMod: InvoiceModRq = {
  InvoiceMod: {
    TxnID: '1A2-1700000001',
    EditSequence: '1700000005',
    Memo: 'Corrected',
    InvoiceLineMod: [
      { TxnLineID: '1A4-1700000001', Quantity: '2' },
      { TxnLineID: '-1', ItemRef: { FullName: 'Consulting' }, Quantity: '1', Rate: '150.00' },
    ],
  },
};
const dataExtDefAdd: DataExtDefAddRq = {
  DataExtDefAdd: { OwnerID: '0', DataExtName: 'Autotask ID', DataExtType: 'STR255TYPE', AssignToObject: ['Customer', 'Invoice'] },
};

/** Every request written with scrambled keys: same XML, valid per XSD and per `validateRequest`. */
const CASES: Array<{ [K in QbxmlRequestType]: [K, QbxmlRequests[K]] }[QbxmlRequestType]> = [
  ['InvoiceAddRq', invoiceAdd],
  ['CustomerAddRq', customerAdd],
  ['ReceivePaymentAddRq', receivePaymentAdd],
  ['ItemServiceAddRq', itemServiceAdd],
  ['DataExtAddRq', dataExtAdd],
  ['DataExtDefAddRq', dataExtDefAdd],
  ['CustomerQueryRq', customerQuery],
  ['InvoiceQueryRq', invoiceQuery],
  ['ItemQueryRq', itemQuery],
  ['InvoiceModRq', invoiceMod],
  ['HostQueryRq', {}],
  ['PreferencesQueryRq', { IncludeRetElement: ['AccountingPreferences', 'SalesTaxPreferences'] }],
  ['InventoryAdjustmentAddRq', inventoryAdjustmentAdd],
];

describe('schema order', () => {
  it.each(CASES)('%s built in scrambled key order serializes in XSD order and validates against the XSD', (type, request) => {
    const ordered = expectXsdValid(type, request);
    const shuffled = expectXsdValid(type, scrambled(request));
    expect(shuffled).toEqual(ordered);
    expect(validateRequest(type, request, '13.0')).toEqual([]);
  });

  it('InventoryAdjustmentAdd: NewQuantity and QuantityDifference are a choice; ValueAdjustment has no NewValue (maxOccurs="0" in 13.0 and 16.0)', () => {
    const both = { InventoryAdjustmentAdd: { ...inventoryAdjustmentAdd.InventoryAdjustmentAdd, InventoryAdjustmentLineAdd: [{ ItemRef: { FullName: 'X' }, QuantityAdjustment: { NewQuantity: '1', QuantityDifference: '1' } }] } };
    expect(validateRequest('InventoryAdjustmentAddRq', both, '13.0').map((i) => i.code)).toEqual(['CHOICE']);
    const withValue = { InventoryAdjustmentAdd: { ...inventoryAdjustmentAdd.InventoryAdjustmentAdd, InventoryAdjustmentLineAdd: [{ ItemRef: { FullName: 'X' }, ValueAdjustment: { NewQuantity: '1', NewValue: '10.00' } }] } };
    for (const version of ['13.0', '16.0']) expect(validateRequest('InventoryAdjustmentAddRq', withValue as never, version).length, version).toBeGreaterThan(0);
  });

  it('writes InvoiceAdd elements in the schema sequence, lines in array order, undefined values left out', () => {
    const { innerXml } = serializeRequest(
      'InvoiceAddRq',
      {
        InvoiceAdd: {
          InvoiceLineAdd: [{ Amount: '1.00', Desc: 'first' }, { Desc: 'second', Amount: undefined }],
          Memo: undefined,
          RefNumber: '7',
          CustomerRef: { FullName: 'Acme Corporation', ListID: '80000001-1700000000' },
        },
      },
      { requestId: 'r1', version: '13.0' },
    );
    expect(innerXml).toBe(
      '<InvoiceAdd><CustomerRef><ListID>80000001-1700000000</ListID><FullName>Acme Corporation</FullName></CustomerRef>' +
        '<RefNumber>7</RefNumber><InvoiceLineAdd><Desc>first</Desc><Amount>1.00</Amount></InvoiceLineAdd>' +
        '<InvoiceLineAdd><Desc>second</Desc></InvoiceLineAdd></InvoiceAdd>',
    );
  });

  it('puts request attributes in `attributes` and the requestID from the options; the result is an OutboundRequest', () => {
    const serialized = serializeRequest('InvoiceQueryRq', { ...invoiceQuery, requestID: 'ignored' }, { requestId: 'q-1', version: '13.0' });
    const outbound: OutboundRequest = serialized;
    expect(outbound.requestId).toBe('q-1');
    expect(outbound.type).toBe('InvoiceQueryRq');
    expect(outbound.attributes).toEqual({ iterator: 'Continue', iteratorID: '{eb05f701-e727-472f-8ade-6753c4f67a46}' });
    expect(outbound.innerXml.startsWith('<MaxReturned>50</MaxReturned><TxnDateRangeFilter>')).toBe(true);
    expect(outbound.innerXml).toContain('<IncludeLineItems>true</IncludeLineItems>');
    expect(serializeRequestElement('HostQueryRq', {}, { requestId: 'h&1', version: '13.0' })).toBe('<HostQueryRq requestID="h&amp;1"></HostQueryRq>');
  });

  it('writes text elements with attributes ({ "#text", useMacro }) and aggregate attributes (defMacro)', () => {
    const { innerXml } = serializeRequest('ReceivePaymentAddRq', receivePaymentAdd, { requestId: '1', version: '13.0' });
    expect(innerXml).toContain('<TxnID useMacro="TxnID:Invoice2">1A7-1700000002</TxnID>');
    const withMacro = serializeRequest('InvoiceAddRq', { InvoiceAdd: { defMacro: 'TxnID:Invoice2', CustomerRef: { FullName: 'A' } } }, { requestId: '1', version: '13.0' });
    expect(withMacro.innerXml).toBe('<InvoiceAdd defMacro="TxnID:Invoice2"><CustomerRef><FullName>A</FullName></CustomerRef></InvoiceAdd>');
  });

  it('uses the 16.0 schema for 14.0–16.0 and refuses elements the chosen version does not have', () => {
    const employee: EmployeeAddRq = {
      EmployeeAdd: { FirstName: 'Ada', LastName: 'Lovelace', EmployeePayrollInfo: { PayPeriod: 'Weekly', IsCoveredByQualifiedPensionPlan: true } },
    };
    const serialized = expectXsdValid('EmployeeAddRq', scrambled(employee), '16.0');
    expect(serialized.innerXml).toContain('<EmployeePayrollInfo><IsCoveredByQualifiedPensionPlan>true</IsCoveredByQualifiedPensionPlan><PayPeriod>Weekly</PayPeriod>');
    expect(() => serializeRequest('EmployeeAddRq', employee, { requestId: '1', version: '13.0' })).toThrow(
      new QbxmlSerializeError('EmployeeAdd.EmployeePayrollInfo.IsCoveredByQualifiedPensionPlan', 'EmployeePayrollInfo has no element "IsCoveredByQualifiedPensionPlan" in qbXML 13.0'),
    );
    expect(() => serializeRequest('HostQueryRq', {}, { requestId: '1', version: '17.0' })).toThrow(RangeError);
  });

  it('throws with the path when the object cannot be placed in the schema', () => {
    const attempt = (request: unknown) => () => serializeRequest('InvoiceAddRq', request as never, { requestId: '1', version: '13.0' });
    expect(attempt({ InvoiceAdd: { CustomerRef: { FullName: 'A' }, Colour: 'red' } })).toThrow(/^InvoiceAdd\.Colour: InvoiceAdd has no element "Colour"/);
    expect(attempt({ InvoiceAdd: { CustomerRef: { FullName: 'A' }, InvoiceLineAdd: { Desc: 'x' } } })).toThrow(/^InvoiceAdd\.InvoiceLineAdd: must be a list/);
    expect(attempt({ InvoiceAdd: { CustomerRef: [{ FullName: 'A' }] } })).toThrow(/^InvoiceAdd\.CustomerRef: must be a single value/);
    expect(attempt({ InvoiceAdd: { CustomerRef: { FullName: { x: 1 } } } })).toThrow(/^InvoiceAdd\.CustomerRef\.FullName: a STRTYPE value must be text/);
    expect(attempt(null)).toThrow(new QbxmlSerializeError('', 'the InvoiceAddRq request must be an object'));
  });
});

describe('escaping', () => {
  const tricky = `R&D <Lab> "Q" 'A'`;
  const nonAscii = 'Müller Café – Zürich 東京 😀';

  test('& < > " \' become entities; control characters are removed; tab and newline stay', () => {
    expect(escapeQbxmlText(`${tricky}\u0000\u0007\u001F\u007F\u0085\uFFFF\uD800x\tb\nc`)).toBe('R&amp;D &lt;Lab&gt; &quot;Q&quot; &apos;A&apos;x\tb\nc');
    expect(escapeQbxmlText(nonAscii)).toBe(nonAscii);
    expect(escapeQbxmlText(nonAscii, true)).toBe('M&#252;ller Caf&#233; &#8211; Z&#252;rich &#26481;&#20140; &#128512;');
  });

  test.each([
    ['as UTF-8', false],
    ['as numeric character references', true],
  ])('names with & < > " \' and non-ASCII characters (%s) come back unchanged from QuickBooks', (_label, asciiOnly) => {
    const qb = new QuickBooksSimulator({ validator });
    const names = [tricky, nonAscii, `Ctrl\u0001Char & Co`];
    const requests = names.map((name, i) =>
      serializeRequest('CustomerAddRq', { CustomerAdd: { Name: name, CompanyName: name, Notes: `${name}\nline 2` } }, { requestId: `c${i}`, version: '13.0', asciiOnly }),
    );
    if (asciiOnly) expect(requests[1]!.innerXml).toContain('<Name>M&#252;ller Caf&#233;');
    const result = qb.process(buildRequestMessage(requests, { version: '13.0' }));
    if (result.kind !== 'response') throw new Error(`rejected: ${result.message}`);
    const added = parseResponse(result.responseXml).CustomerAddRs ?? [];
    expect(added.map((rs) => [rs.requestID, rs.statusCode])).toEqual([['c0', 0], ['c1', 0], ['c2', 0]]);
    expect(added.map((rs) => rs.CustomerRet?.Name)).toEqual([tricky, nonAscii, 'CtrlChar & Co']);
    expect(added.map((rs) => rs.CustomerRet?.Notes)).toEqual(names.map((n) => `${n.replace('\u0001', '')}\nline 2`));
  });
});

test('the message envelope carries the qbxml version and onError', () => {
  const host = serializeRequest('HostQueryRq', {}, { requestId: '1', version: '16.0' });
  expect(buildRequestMessage([host], { version: '16.0', onError: 'continueOnError' })).toBe(
    '<?xml version="1.0" encoding="utf-8"?><?qbxml version="16.0"?><QBXML><QBXMLMsgsRq onError="continueOnError"><HostQueryRq requestID="1"></HostQueryRq></QBXMLMsgsRq></QBXML>',
  );
});
