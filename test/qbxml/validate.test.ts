/** The validator reports every problem of a request, each with the exact path of the field it concerns. */
import { describe, expect, it, test } from 'vitest';
import { validateRequest, type QbxmlIssue, type QbxmlRequests, type QbxmlRequestType } from '../../src/qbxml/index.js';
import { customerAdd, invoiceAdd } from './fixtures.js';

/** Validates an object that is deliberately not of the request type. */
function check<K extends QbxmlRequestType>(type: K, request: unknown, version = '13.0'): ReadonlyArray<QbxmlIssue> {
  return validateRequest(type, request as QbxmlRequests[K], version);
}
const pathsAndCodes = (issues: ReadonlyArray<QbxmlIssue>) => issues.map((i) => [i.path, i.code]);

describe('each kind of problem, with its path', () => {
  it('REQUIRED: a missing required element, also inside a list entry', () => {
    expect(check('InvoiceAddRq', { InvoiceAdd: { RefNumber: '1' } })).toEqual([
      { path: 'InvoiceAdd.CustomerRef', code: 'REQUIRED', message: 'required element is missing' },
    ]);
    expect(check('InvoiceAddRq', {})).toEqual([{ path: 'InvoiceAdd', code: 'REQUIRED', message: 'required element is missing' }]);
    expect(pathsAndCodes(check('CustomerAddRq', { CustomerAdd: { Name: 'X', ShipToAddress: [{ Name: 'A' }, { Addr1: 'no name' }] } }))).toEqual([
      ['CustomerAdd.ShipToAddress[1].Name', 'REQUIRED'],
    ]);
    expect(pathsAndCodes(check('CustomerModRq', { CustomerMod: { ListID: '80000001-1700000000' } }))).toEqual([['CustomerMod.EditSequence', 'REQUIRED']]);
  });

  it('REQUIRED: a required choice with no alternative given, and a chosen alternative missing its required part', () => {
    expect(check('DataExtAddRq', { DataExtAdd: { OwnerID: '0', DataExtName: 'Autotask ID', DataExtValue: '1' } })).toEqual([
      { path: 'DataExtAdd', code: 'REQUIRED', message: 'one of ListDataExtType…, TxnDataExtType… or OtherDataExtType is required' },
    ]);
    expect(check('DataExtAddRq', { DataExtAdd: { OwnerID: '0', DataExtName: 'Autotask ID', ListDataExtType: 'Customer', DataExtValue: '1' } })).toEqual([
      { path: 'DataExtAdd.ListObjRef', code: 'REQUIRED', message: 'required element is missing' },
    ]);
  });

  it('CHOICE: alternatives of an xsd:choice given together', () => {
    const issues = check('ItemServiceAddRq', {
      ItemServiceAdd: { Name: 'Consulting', SalesOrPurchase: { Price: '1.00' }, SalesAndPurchase: { SalesPrice: '1.00', PurchaseCost: '1.00' } },
    });
    expect(issues).toEqual([
      {
        path: 'ItemServiceAdd.SalesAndPurchase',
        code: 'CHOICE',
        message: 'cannot be combined with SalesOrPurchase: only one of SalesOrPurchase or SalesAndPurchase may be given',
      },
    ]);
    expect(pathsAndCodes(check('InvoiceQueryRq', { TxnID: ['1-1'], RefNumber: ['7'], PaidStatus: 'All' }))).toEqual([
      ['RefNumber', 'CHOICE'],
      ['PaidStatus', 'CHOICE'],
    ]);
    // The alternatives of a repeating choice (invoice lines and line groups) may be mixed.
    expect(check('InvoiceAddRq', { InvoiceAdd: { CustomerRef: { FullName: 'A' }, InvoiceLineAdd: [{ Desc: 'x' }], InvoiceLineGroupAdd: [{ ItemGroupRef: { FullName: 'G' } }] } })).toEqual([]);
    // ListID and FullName of a reference are not a choice in the XSD: both may be given.
    expect(check('InvoiceAddRq', { InvoiceAdd: { CustomerRef: { ListID: '80000001-1700000000', FullName: 'A' } } })).toEqual([]);
  });

  it('UNKNOWN_FIELD: keys that are not elements or attributes of the aggregate', () => {
    expect(check('InvoiceAddRq', { InvoiceAdd: { CustomerRef: { FullName: 'A', Id: 7 }, InvoiceLineAdd: [{}, { Colour: 'red' }] }, Extra: true })).toEqual([
      { path: 'InvoiceAdd.CustomerRef.Id', code: 'UNKNOWN_FIELD', message: 'CustomerRef has no element or attribute named "Id"' },
      { path: 'InvoiceAdd.InvoiceLineAdd[1].Colour', code: 'UNKNOWN_FIELD', message: 'InvoiceLineAdd has no element or attribute named "Colour"' },
      { path: 'Extra', code: 'UNKNOWN_FIELD', message: 'InvoiceAddRq has no element or attribute named "Extra"' },
    ]);
    expect(check('EstimateAddRq' as QbxmlRequestType, {})).toEqual([
      { path: '', code: 'UNKNOWN_FIELD', message: 'EstimateAddRq is not a request of the generated message set' },
    ]);
  });

  it('NOT_IN_VERSION: an element of a newer qbXML version', () => {
    const employee = { EmployeeAdd: { LastName: 'Lovelace', EmployeePayrollInfo: { IsCoveredByQualifiedPensionPlan: true } } };
    expect(check('EmployeeAddRq', employee, '13.0')).toEqual([
      {
        path: 'EmployeeAdd.EmployeePayrollInfo.IsCoveredByQualifiedPensionPlan',
        code: 'NOT_IN_VERSION',
        message: 'EmployeePayrollInfo.IsCoveredByQualifiedPensionPlan is not in qbXML 13.0 (it is in 16.0)',
      },
    ]);
    expect(check('EmployeeAddRq', employee, '16.0')).toEqual([]);
    expect(check('EmployeeAddRq', employee, '14.0')).toEqual([]);
  });

  it('WRONG_TYPE: list vs single value, object vs text, boolean, integer, string', () => {
    const issues = check('InvoiceAddRq', {
      InvoiceAdd: {
        CustomerRef: [{ FullName: 'A' }],
        ClassRef: 'Support',
        IsToBePrinted: 'false',
        LinkToTxnID: '1-1',
        Memo: 12,
        InvoiceLineAdd: { Desc: 'x' },
        SetCredit: [null],
      },
    });
    expect(issues).toEqual([
      { path: 'InvoiceAdd.CustomerRef', code: 'WRONG_TYPE', message: 'must be a single value (CustomerRef does not repeat), not a list' },
      { path: 'InvoiceAdd.ClassRef', code: 'WRONG_TYPE', message: 'must be an object (the ClassRef aggregate), not the string "Support"' },
      { path: 'InvoiceAdd.IsToBePrinted', code: 'WRONG_TYPE', message: 'must be a boolean (BOOLTYPE), not the string "false"' },
      { path: 'InvoiceAdd.LinkToTxnID', code: 'WRONG_TYPE', message: 'must be a list (LinkToTxnID may repeat), not the string "1-1"' },
      { path: 'InvoiceAdd.Memo', code: 'WRONG_TYPE', message: 'must be a string (STRTYPE), not number 12' },
      { path: 'InvoiceAdd.InvoiceLineAdd', code: 'WRONG_TYPE', message: 'must be a list (InvoiceLineAdd may repeat), not an object' },
      { path: 'InvoiceAdd.SetCredit[0]', code: 'WRONG_TYPE', message: 'list entries must not be null' },
    ]);
    expect(pathsAndCodes(check('CustomerQueryRq', { MaxReturned: '100' }))).toEqual([['MaxReturned', 'WRONG_TYPE']]);
    expect(pathsAndCodes(check('CustomerQueryRq', { MaxReturned: 2.5 }))).toEqual([['MaxReturned', 'WRONG_TYPE']]);
  });

  it.each([
    ['AMTTYPE', { Amount: '12.5' }, 'Amount', 'an amount: up to 13 digits, optionally a point and exactly 2 decimals (e.g. "1234.50")'],
    ['AMTTYPE', { Amount: '1,000.00' }, 'Amount', 'an amount: up to 13 digits, optionally a point and exactly 2 decimals (e.g. "1234.50")'],
    ['PRICETYPE', { Rate: '1.123456' }, 'Rate', 'a price: up to 10 digits and up to 5 decimals (e.g. "12.5")'],
    ['QUANTYPE', { Quantity: 'two' }, 'Quantity', 'a quantity: up to 10 digits and up to 5 decimals (e.g. "1.25")'],
    ['PERCENTTYPE', { RatePercent: '7%' }, 'RatePercent', 'a percentage: up to 10 digits and up to 5 decimals (e.g. "7.25")'],
    ['DATETYPE', { ServiceDate: '2024-13-01' }, 'ServiceDate', 'a date, YYYY-MM-DD'],
    ['DATETYPE', { ServiceDate: '2023-02-29' }, 'ServiceDate', 'a date, YYYY-MM-DD'],
    ['DATETYPE', { ServiceDate: '01/02/2024' }, 'ServiceDate', 'a date, YYYY-MM-DD'],
  ])('BAD_FORMAT: %s %j', (type, line, field, expected) => {
    const value = Object.values(line)[0]!;
    expect(check('InvoiceAddRq', { InvoiceAdd: { CustomerRef: { FullName: 'A' }, InvoiceLineAdd: [{}, {}, line] } })).toEqual([
      { path: `InvoiceAdd.InvoiceLineAdd[2].${field}`, code: 'BAD_FORMAT', message: `${JSON.stringify(value)} is not a valid ${type}: expected ${expected}` },
    ]);
  });

  it('BAD_FORMAT: DATETIMETYPE, GUIDTYPE; well-formed values of every format pass', () => {
    expect(check('CustomerQueryRq', { FromModifiedDate: 'yesterday', OwnerID: ['{1234}'] })).toEqual([
      { path: 'FromModifiedDate', code: 'BAD_FORMAT', message: '"yesterday" is not a valid DATETIMETYPE: expected a date and time, YYYY-MM-DDThh:mm:ss±hh:mm' },
      {
        path: 'OwnerID[0]',
        code: 'BAD_FORMAT',
        message: '"{1234}" is not a valid GUIDTYPE: expected a GUID in braces ("{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}") or "0"',
      },
    ]);
    expect(
      check('CustomerQueryRq', { FromModifiedDate: '2024-01-31T23:59:59+01:00', ToModifiedDate: '2024-02-01', OwnerID: ['0', '{3F2504E0-4F89-11D3-9A0C-0305E82C3301}'] }),
    ).toEqual([]);
    const line = { Amount: '-1234567890123.45', Rate: '+9999999999.99999', Quantity: '0.5', ServiceDate: '2024-02-29' };
    expect(check('InvoiceAddRq', { InvoiceAdd: { CustomerRef: { FullName: 'A' }, InvoiceLineAdd: [line] } })).toEqual([]);
  });

  it('NOT_IN_ENUM: enumerated elements and attributes', () => {
    expect(check('CustomerQueryRq', { iterator: 'Begin', ActiveStatus: 'Everything' })).toEqual([
      { path: 'iterator', code: 'NOT_IN_ENUM', message: '"Begin" is not allowed; expected one of Start, Continue, Stop' },
      { path: 'ActiveStatus', code: 'NOT_IN_ENUM', message: '"Everything" is not allowed; expected one of ActiveOnly, InactiveOnly, All' },
    ]);
  });

  it('TOO_LONG: maxLength in characters (code points), IDTYPE at most 36', () => {
    expect(check('CustomerAddRq', { CustomerAdd: { Name: 'N'.repeat(42) } })).toEqual([
      { path: 'CustomerAdd.Name', code: 'TOO_LONG', message: 'is 42 characters long; at most 41 allowed' },
    ]);
    expect(check('CustomerAddRq', { CustomerAdd: { Name: '😀'.repeat(41) } })).toEqual([]);
    expect(pathsAndCodes(check('InvoiceAddRq', { InvoiceAdd: { CustomerRef: { ListID: 'X'.repeat(37) } } }))).toEqual([['InvoiceAdd.CustomerRef.ListID', 'TOO_LONG']]);
  });

  it('OUT_OF_RANGE and TOO_MANY', () => {
    expect(check('CustomerQueryRq', { MaxReturned: 0 })).toEqual([{ path: 'MaxReturned', code: 'OUT_OF_RANGE', message: '0 is outside 1..∞' }]);
    const addresses = Array.from({ length: 51 }, (_, i) => ({ Name: `Site ${i}` }));
    expect(check('CustomerAddRq', { CustomerAdd: { Name: 'Many sites', ShipToAddress: addresses } })).toEqual([
      { path: 'CustomerAdd.ShipToAddress', code: 'TOO_MANY', message: 'at most 50 allowed, got 51' },
    ]);
  });
});

test('several problems at once are all reported', () => {
  const issues = check('InvoiceAddRq', {
    InvoiceAdd: {
      RefNumber: 'AT-100000000042',
      TxnDate: '2024-02-30',
      IsPending: 'no',
      Colour: 'red',
      InvoiceLineAdd: [
        { ItemRef: { FullName: 'Consulting' }, Quantity: '1', Amount: '150.0' },
        { ItemRef: { FullName: 'Consulting', ListID: '' }, Desc: 'x'.repeat(4096), Quantity: '1.123456' },
        { ItemRef: { FullName: 'Travel' }, SalesTaxCodeRef: [{ FullName: 'Non' }] },
      ],
      SalesTaxLineAdd: { Amount: '1.00', RatePercent: '5' },
    },
  });
  expect(pathsAndCodes(issues)).toEqual([
    ['InvoiceAdd.RefNumber', 'TOO_LONG'],
    ['InvoiceAdd.TxnDate', 'BAD_FORMAT'],
    ['InvoiceAdd.IsPending', 'WRONG_TYPE'],
    ['InvoiceAdd.Colour', 'UNKNOWN_FIELD'],
    ['InvoiceAdd.InvoiceLineAdd[0].Amount', 'BAD_FORMAT'],
    ['InvoiceAdd.InvoiceLineAdd[1].Desc', 'TOO_LONG'],
    ['InvoiceAdd.InvoiceLineAdd[1].Quantity', 'BAD_FORMAT'],
    ['InvoiceAdd.InvoiceLineAdd[2].SalesTaxCodeRef', 'WRONG_TYPE'],
    ['InvoiceAdd.SalesTaxLineAdd.RatePercent', 'CHOICE'],
    ['InvoiceAdd.CustomerRef', 'REQUIRED'],
  ]);
});

test('valid requests have no issues; an unsupported qbXML version is a programming error', () => {
  expect(validateRequest('InvoiceAddRq', invoiceAdd, '13.0')).toEqual([]);
  expect(validateRequest('CustomerAddRq', customerAdd, '16.0')).toEqual([]);
  expect(validateRequest('HostQueryRq', {}, '2.0')).toEqual([]);
  expect(() => validateRequest('HostQueryRq', {}, '17.0')).toThrow(RangeError);
  expect(() => validateRequest('HostQueryRq', {}, 'latest')).toThrow(RangeError);
});
