/**
 * What QBWC reads and writes in the company file: the Host/Company/Preferences answer (strHCPResponse),
 * the FileID stamp under the QWC's OwnerID, and the service's own private data extensions.
 */
import { describe, expect, it } from 'vitest';
import { createCompanyFile, QuickBooksSimulator } from '../../src/simulator/quickbooks.js';
import { validator } from '../helpers/spec.js';
import { assertValidResponse, newSimulator, parseResponse, runOne, text } from './fixtures/qbxml.js';

const OWNER = '{57F3B9B6-86F1-4fcc-B1FF-966DE1813D20}';
const FILE_ID = '{90A44FB5-33D9-4815-AC85-BC87A7E7D1EB}';
const OUR_OWNER = '{0B5C2C3D-1111-4222-8333-944455556666}';

describe('hostCompanyPreferencesResponse', () => {
  it('is one QBXML document with HostQueryRs, CompanyQueryRs (FileID under the OwnerID) and PreferencesQueryRs', () => {
    const qb = newSimulator({ companyName: 'Acme Books' });
    qb.stampFileId(OWNER, FILE_ID);
    const xml = qb.hostCompanyPreferencesResponse(OWNER);
    expect(xml.startsWith('<?xml version="1.0" ?>\n<QBXML>\n  <QBXMLMsgsRs>')).toBe(true);
    assertValidResponse(xml, '130');
    const [host, company, prefs] = parseResponse(xml);
    expect([host!.name, company!.name, prefs!.name]).toEqual(['HostQueryRs', 'CompanyQueryRs', 'PreferencesQueryRs']);
    expect([host!.requestId, company!.requestId, prefs!.requestId]).toEqual(['0', '1', '2']);
    const hostRet = host!.rets[0]!;
    expect(text(hostRet, 'ProductName')).toBe('QuickBooks Pro 2014');
    expect(text(hostRet, 'MajorVersion')).toBe('24');
    expect(text(hostRet, 'Country')).toBe('US');
    const versions = hostRet.children.filter((c) => c.name === 'SupportedQBXMLVersion').map((c) => c.text);
    expect(versions[0]).toBe('1.0');
    expect(versions.at(-1)).toBe('13.0');
    expect([text(hostRet, 'IsAutomaticLogin'), text(hostRet, 'QBFileMode')]).toEqual(['false', 'SingleUser']);
    const companyRet = company!.rets[0]!;
    expect(text(companyRet, 'CompanyName')).toBe('Acme Books');
    expect([text(companyRet, 'DataExtRet', 'OwnerID'), text(companyRet, 'DataExtRet', 'DataExtName'), text(companyRet, 'DataExtRet', 'DataExtValue')]).toEqual([
      OWNER,
      'FileID',
      FILE_ID,
    ]);
    expect(text(prefs!.rets[0], 'SalesAndCustomersPreferences', 'IsAutoApplyingPayments')).toBe('true');
  });

  it('lists versions up to maxQbxmlVersion and validates with the 16.0 schema for QuickBooks 2023', () => {
    const qb = new QuickBooksSimulator({ validator, maxQbxmlVersion: { major: 16, minor: 0 }, country: 'CA', productName: 'QuickBooks Enterprise Solutions 23.0' });
    const xml = qb.hostCompanyPreferencesResponse(OWNER);
    assertValidResponse(xml, '160');
    const hostRet = parseResponse(xml)[0]!.rets[0]!;
    expect(text(hostRet, 'ProductName')).toBe('QuickBooks Enterprise Solutions 23.0');
    expect(text(hostRet, 'Country')).toBe('CA');
    expect(hostRet.children.filter((c) => c.name === 'SupportedQBXMLVersion').map((c) => c.text).slice(-3)).toEqual(['14.0', '15.0', '16.0']);
  });

  it('reports sales tax preferences only when sales tax is on', () => {
    const on = parseResponse(newSimulator({ preferences: { salesTaxEnabled: true } }).hostCompanyPreferencesResponse(OWNER))[2]!;
    expect(text(on.rets[0], 'SalesTaxPreferences', 'DefaultTaxableSalesTaxCodeRef', 'FullName')).toBe('Tax');
    const off = parseResponse(newSimulator().hostCompanyPreferencesResponse(OWNER))[2]!;
    expect(off.rets[0]!.children.map((c) => c.name)).not.toContain('SalesTaxPreferences');
  });

  it('shows no data extension for an owner that has none', () => {
    const qb = newSimulator();
    qb.stampFileId(OWNER, FILE_ID);
    const company = parseResponse(qb.hostCompanyPreferencesResponse(OUR_OWNER))[1]!;
    expect(company.rets[0]!.children.map((c) => c.name)).not.toContain('DataExtRet');
  });
});

describe('stampFileId', () => {
  it('stores the FileID once; a second call with the same owner changes nothing', () => {
    const data = createCompanyFile();
    const qb = new QuickBooksSimulator({ validator, company: data });
    qb.stampFileId(OWNER, FILE_ID);
    qb.stampFileId(OWNER.toLowerCase(), FILE_ID);
    qb.stampFileId(OWNER, '{00000000-0000-0000-0000-000000000000}');
    expect(data.companyDataExts).toEqual([{ ownerId: OWNER, name: 'FileID', value: FILE_ID }]);
  });
});

describe('private data extensions on the Company object', () => {
  const ext = (op: 'Add' | 'Mod', value: string, owner = OUR_OWNER) =>
    `<DataExt${op}Rq><DataExt${op}><OwnerID>${owner}</OwnerID><DataExtName>qbdBridgeStamp</DataExtName><OtherDataExtType>Company</OtherDataExtType><DataExtValue>${value}</DataExtValue></DataExt${op}></DataExt${op}Rq>`;
  const query = `<CompanyQueryRq><OwnerID>${OUR_OWNER}</OwnerID></CompanyQueryRq>`;
  const define = (name: string, objects: string[], owner = OUR_OWNER) =>
    `<DataExtDefAddRq><DataExtDefAdd><OwnerID>${owner}</OwnerID><DataExtName>${name}</DataExtName><DataExtType>STR255TYPE</DataExtType>${objects.map((o) => `<AssignToObject>${o}</AssignToObject>`).join('')}</DataExtDefAdd></DataExtDefAddRq>`;
  /** A simulator where the service has defined its extensions, as it must before writing them. */
  const definedSimulator = () => {
    const qb = newSimulator();
    expect(runOne(qb, define('qbdBridgeStamp', ['Company'])).statusCode).toBe(0);
    expect(runOne(qb, define('AutotaskID', ['Customer'])).statusCode).toBe(0);
    return qb;
  };

  it('needs a definition before data is written, and refuses a second definition of the same name', () => {
    const qb = newSimulator();
    const undefinedWrite = runOne(qb, ext('Add', 'too early'));
    expect(undefinedWrite.statusCode).toBe(3120);
    expect(undefinedWrite.message).toContain('no data extension definition for Company');
    const defined = runOne(qb, define('qbdBridgeStamp', ['Company']));
    expect(defined.statusCode).toBe(0);
    expect([text(defined.rets[0], 'DataExtID'), text(defined.rets[0], 'AssignToObject')]).toEqual(['1', 'Company']);
    expect(runOne(qb, define('qbdBridgeStamp', ['Company'])).statusCode).toBe(3100);
    expect(runOne(qb, ext('Add', 'now')).statusCode).toBe(0);
    // A definition for customers does not allow writing to the Company object.
    expect(runOne(qb, define('OtherName', ['Customer'])).statusCode).toBe(0);
    expect(runOne(qb, ext('Add', 'x').replaceAll('qbdBridgeStamp', 'OtherName')).statusCode).toBe(3120);
  });

  it('adds, reads back with CompanyQuery, modifies and deletes the service stamp', () => {
    const qb = definedSimulator();
    const added = runOne(qb, ext('Add', 'tenant-42'));
    expect(added.statusCode).toBe(0);
    expect([text(added.rets[0], 'DataExtName'), text(added.rets[0], 'DataExtValue')]).toEqual(['qbdBridgeStamp', 'tenant-42']);
    expect(text(runOne(qb, query).rets[0], 'DataExtRet', 'DataExtValue')).toBe('tenant-42');
    // Without OwnerID, CompanyQuery returns no private extensions.
    expect(runOne(qb, '<CompanyQueryRq/>').rets[0]!.children.map((c) => c.name)).not.toContain('DataExtRet');

    expect(runOne(qb, ext('Add', 'again')).statusCode).toBe(3100);
    expect(runOne(qb, ext('Mod', 'tenant-43')).statusCode).toBe(0);
    expect(text(runOne(qb, query).rets[0], 'DataExtRet', 'DataExtValue')).toBe('tenant-43');

    const del = `<DataExtDelRq><DataExtDel><OwnerID>${OUR_OWNER}</OwnerID><DataExtName>qbdBridgeStamp</DataExtName><OtherDataExtType>Company</OtherDataExtType></DataExtDel></DataExtDelRq>`;
    const deleted = runOne(qb, del);
    expect(deleted.statusCode).toBe(0);
    expect(text(deleted.rets[0], 'OtherDataExtType')).toBe('Company');
    expect(runOne(qb, query).rets[0]!.children.map((c) => c.name)).not.toContain('DataExtRet');
    expect(runOne(qb, del).statusCode).toBe(3120);
    expect(runOne(qb, ext('Mod', 'x')).statusCode).toBe(3120);
  });

  it('keeps extensions of different owners apart (the QBWC FileID is not the service stamp)', () => {
    const qb = definedSimulator();
    qb.stampFileId(OWNER, FILE_ID);
    runOne(qb, ext('Add', 'ours'));
    const both = runOne(qb, `<CompanyQueryRq><OwnerID>${OWNER}</OwnerID><OwnerID>${OUR_OWNER}</OwnerID></CompanyQueryRq>`).rets[0]!;
    const exts = both.children.filter((c) => c.name === 'DataExtRet').map((e) => [text(e, 'OwnerID'), text(e, 'DataExtName'), text(e, 'DataExtValue')]);
    expect(exts).toEqual([
      [OWNER, 'FileID', FILE_ID],
      [OUR_OWNER, 'qbdBridgeStamp', 'ours'],
    ]);
  });

  it('also stamps list records and returns the extension when a query asks for the owner', () => {
    const qb = definedSimulator();
    const add = `<DataExtAddRq><DataExtAdd><OwnerID>${OUR_OWNER}</OwnerID><DataExtName>AutotaskID</DataExtName><ListDataExtType>Customer</ListDataExtType><ListObjRef><FullName>Globex Inc</FullName></ListObjRef><DataExtValue>29683</DataExtValue></DataExtAdd></DataExtAddRq>`;
    expect(runOne(qb, add).statusCode).toBe(0);
    const rs = runOne(qb, `<CustomerQueryRq><FullName>Globex Inc</FullName><OwnerID>${OUR_OWNER}</OwnerID></CustomerQueryRq>`);
    expect(text(rs.rets[0], 'DataExtRet', 'DataExtValue')).toBe('29683');
    const missing = add.replace('Globex Inc', 'Nobody');
    expect(runOne(qb, missing).statusCode).toBe(3140);
  });

  it('does not model public custom fields (OwnerID 0)', () => {
    const qb = newSimulator();
    expect(runOne(qb, ext('Add', 'x', '0')).statusCode).toBe(1030);
  });
});
