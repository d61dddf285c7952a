/**
 * The two document validators the simulator can use, on the same expectations: the one from the generated
 * rules (src/qbxml/validate-document.ts, the default: no spec files) and libxml2-wasm with Intuit's XSDs
 * (src/qbxml/xsd, the oracle: compiled schema kept in memory, line numbers), plus the XSD-derived element
 * order. The libxml2 half runs only when the XSDs are there.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rulesDocumentValidator, type QbxmlDocumentValidator } from '../../src/qbxml/validate-document.js';
import { createQbxmlXsdValidator, loadQbxmlSchemaModel, parseQbxmlVersion, schemaSetFor, type QbxmlXsdValidator } from '../../src/qbxml/xsd/index.js';
import { oracleRuns, requireSpecDir } from '../helpers/spec.js';
import { message, newSimulator } from './fixtures/qbxml.js';

const xsdValidator: QbxmlXsdValidator | undefined = oracleRuns ? createQbxmlXsdValidator(requireSpecDir()) : undefined;
afterAll(() => xsdValidator?.dispose());
const validators: Array<[string, QbxmlDocumentValidator]> = [['the generated rules', rulesDocumentValidator]];
if (xsdValidator) validators.push(['libxml2 with the XSDs', xsdValidator]);

describe.each(validators)('validating with %s', (which, validator) => {
  it('picks the schema set from the qbxml processing instruction', () => {
    expect(validator.validate(message('<HostQueryRq/>', { version: '13.0' }))).toEqual({ valid: true, schemaSet: '130', problems: [] });
    expect(validator.validate(message('<HostQueryRq/>', { version: '15.0' }))).toMatchObject({ valid: true, schemaSet: '160' });
    expect(validator.validate(message('<HostQueryRq/>', { version: '2.1' }))).toMatchObject({ valid: true, schemaSet: '130' });
    expect(validator.validate('<QBXML><QBXMLMsgsRq onError="stopOnError"/></QBXML>').problems[0]!.kind).toBe('no-version');
    expect([schemaSetFor(parseQbxmlVersion('16.0')!), schemaSetFor(parseQbxmlVersion('17.0')!), parseQbxmlVersion('x')]).toEqual(['160', undefined, undefined]);
  });

  it('reports where and what for order, unknown-element and value errors', () => {
    const xml = message('<CustomerAddRq>\n<CustomerAdd>\n<IsActive>true</IsActive>\n<Name>Late</Name>\n</CustomerAdd>\n</CustomerAddRq>');
    const result = validator.validate(xml);
    expect(result.valid).toBe(false);
    expect(result.problems[0]).toMatchObject({ kind: 'invalid', path: '/QBXML/QBXMLMsgsRq/CustomerAddRq/CustomerAdd/IsActive' });
    if (which.startsWith('libxml2')) expect(result.problems[0]!.line).toBe(7);
    expect(result.problems[0]!.message).toMatch(/^Element 'IsActive': This element is not expected\. Expected is \( Name \)/);
    expect(result.problems[0]!.tooLong).toBeUndefined();
    const bad = validator.validate(message('<CustomerQueryRq><MaxReturned>lots</MaxReturned></CustomerQueryRq>'));
    expect(bad.problems[0]!.message).toMatch(/'lots' is not a valid value/);
    expect(validator.validate('<QBXML>').problems[0]!.kind).toBe('not-well-formed');
  });

  it.each([
    ['a missing required element', '<CustomerAddRq><CustomerAdd><IsActive>true</IsActive></CustomerAdd></CustomerAddRq>'],
    ['an unknown element', '<CustomerAddRq><CustomerAdd><Name>X</Name><Nickname>Y</Nickname></CustomerAdd></CustomerAddRq>'],
    ['an unknown request', '<CustomerAddFancyRq><CustomerAdd><Name>X</Name></CustomerAdd></CustomerAddFancyRq>'],
    ['two alternatives of a choice', '<CustomerQueryRq><ListID>80000001-1</ListID><FullName>X</FullName></CustomerQueryRq>'],
    ['a repeated single element', '<CustomerAddRq><CustomerAdd><Name>X</Name><Name>Y</Name></CustomerAdd></CustomerAddRq>'],
    ['a value outside an enumeration', '<CustomerQueryRq><ActiveStatus>Sometimes</ActiveStatus></CustomerQueryRq>'],
    ['a bad amount', '<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>A</FullName></CustomerRef><InvoiceLineAdd><Amount>12.5</Amount></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>'],
    ['a bad date', '<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>A</FullName></CustomerRef><TxnDate>2026-02-30</TxnDate></InvoiceAdd></InvoiceAddRq>'],
    ['a bad boolean', '<CustomerAddRq><CustomerAdd><Name>X</Name><IsActive>maybe</IsActive></CustomerAdd></CustomerAddRq>'],
    ['an unknown attribute', '<CustomerQueryRq colour="red"/>'],
    ['text inside an aggregate', '<CustomerAddRq><CustomerAdd>loose<Name>X</Name></CustomerAdd></CustomerAddRq>'],
  ])('rejects %s', (_, body) => {
    const result = validator.validate(message(body));
    expect(result.valid).toBe(false);
    expect(result.problems.filter((p) => !p.tooLong).length, JSON.stringify(result.problems)).toBeGreaterThan(0);
  });

  it('rejects a message set without onError and accepts a known request outside the message set', () => {
    expect(validator.validate('<?qbxml version="13.0"?><QBXML><QBXMLMsgsRq><HostQueryRq/></QBXMLMsgsRq></QBXML>').valid).toBe(false);
    expect(validator.validate(message('<SalesRepQueryRq requestID="9"/>')).valid).toBe(true);
  });

  it('marks values that are only too long, with the element, value and limit', () => {
    const name = 'N'.repeat(45);
    const result = validator.validate(message(`<CustomerAddRq><CustomerAdd><Name>${name}</Name></CustomerAdd></CustomerAddRq>`));
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.tooLong).toEqual({ element: 'Name', value: name, maxLength: 41 });
  });

  it('validates responses (QBXMLMsgsRs) and catches a Ret out of order', () => {
    const qb = newSimulator();
    const answer = qb.process(message('<CustomerQueryRq requestID="1"><MaxReturned>2</MaxReturned></CustomerQueryRq>'));
    if (answer.kind !== 'response') throw new Error('rejected');
    expect(validator.validate(answer.responseXml, { schemaSet: '130' }).problems).toEqual([]);
    const broken = answer.responseXml.replace(/(<ListID>[^<]*<\/ListID>)(\s*)(<TimeCreated>[^<]*<\/TimeCreated>)/, '$3$2$1');
    expect(broken).not.toBe(answer.responseXml);
    expect(validator.validate(broken, { schemaSet: '130' }).valid).toBe(false);
  });
});

describe.skipIf(!oracleRuns)('createQbxmlXsdValidator (the oracle)', () => {
  it('validates the captured responses against the same ops XSD (QBXMLMsgsRs)', () => {
    const sample = readFileSync(path.join(requireSpecDir(), 'samples', 'qbwc-qbxml', 'customer_query_terator_rs.xml'), 'utf8');
    expect(xsdValidator!.validate(sample, { schemaSet: '130' }).valid).toBe(true);
    expect(rulesDocumentValidator.validate(sample, { schemaSet: '130' }).valid).toBe(true);
    const broken = sample.replace('<Name>10th Customer</Name>', '').replace('<IsActive>true</IsActive>', '<IsActive>true</IsActive><Name>10th Customer</Name>');
    expect(xsdValidator!.validate(broken, { schemaSet: '130' }).valid).toBe(false);
    expect(rulesDocumentValidator.validate(broken, { schemaSet: '130' }).valid).toBe(false);
  });

  it('keeps the compiled schema: after the first load a validation takes well under a millisecond', () => {
    xsdValidator!.preload('130');
    const xml = message('<CustomerQueryRq requestID="1" iterator="Start"><MaxReturned>100</MaxReturned><ActiveStatus>All</ActiveStatus></CustomerQueryRq>');
    const started = performance.now();
    for (let i = 0; i < 500; i++) expect(xsdValidator!.validate(xml).valid).toBe(true);
    const perCall = (performance.now() - started) / 500;
    expect(perCall).toBeLessThan(5); // typically ~0.05 ms; the bound only guards against re-parsing the schema
  });

  it('is unusable after dispose', () => {
    const own = createQbxmlXsdValidator(requireSpecDir());
    expect(own.validate(message('<HostQueryRq/>')).valid).toBe(true);
    own.dispose();
    expect(() => own.validate(message('<HostQueryRq/>'))).toThrow(/disposed/);
  });
});

describe.skipIf(!oracleRuns)('loadQbxmlSchemaModel (the oracle\'s reading of the XSD)', () => {
  it('gives the sequence order of an aggregate, following groups and refs', () => {
    const model = loadQbxmlSchemaModel(requireSpecDir(), '130');
    const customerRet = model.element('CustomerRet')!;
    const order = customerRet.children.map((c) => c.name);
    expect(order.slice(0, 6)).toEqual(['ListID', 'TimeCreated', 'TimeModified', 'EditSequence', 'Name', 'FullName']);
    expect(order.indexOf('Balance')).toBeLessThan(order.indexOf('JobStatus'));
    expect(customerRet.child('DataExtRet')!.repeats).toBe(true);
    const rs = model.resolve(['QBXML', 'QBXMLMsgsRs', 'CustomerQueryRs'])!;
    expect(rs.attributes).toEqual(['requestID', 'statusCode', 'statusSeverity', 'statusMessage', 'retCount', 'iteratorRemainingCount', 'iteratorID']);
    // Alternatives of a repeating choice share a slot, so invoice lines and line groups may interleave.
    const invoiceRet = model.element('InvoiceRet')!;
    expect(invoiceRet.child('InvoiceLineRet')!.slot).toBe(invoiceRet.child('InvoiceLineGroupRet')!.slot);
  });
});
