/**
 * The reusable XSD validator (src/qbxml/xsd): libxml2-wasm with the compiled schema kept in memory,
 * problems with line numbers, recognition of "only too long" values, and the XSD-derived element order.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createQbxmlXsdValidator, loadQbxmlSchemaModel, parseQbxmlVersion, schemaSetFor } from '../../src/qbxml/xsd/index.js';
import { specDir } from '../helpers/spec.js';
import { message } from './fixtures/qbxml.js';

const validator = createQbxmlXsdValidator(specDir);
afterAll(() => validator.dispose());

describe('createQbxmlXsdValidator', () => {
  it('picks the schema set from the qbxml processing instruction', () => {
    expect(validator.validate(message('<HostQueryRq/>', { version: '13.0' }))).toEqual({ valid: true, schemaSet: '130', problems: [] });
    expect(validator.validate(message('<HostQueryRq/>', { version: '15.0' }))).toMatchObject({ valid: true, schemaSet: '160' });
    expect(validator.validate(message('<HostQueryRq/>', { version: '2.1' }))).toMatchObject({ valid: true, schemaSet: '130' });
    expect(validator.validate('<QBXML><QBXMLMsgsRq onError="stopOnError"/></QBXML>').problems[0]!.kind).toBe('no-version');
    expect([schemaSetFor(parseQbxmlVersion('16.0')!), schemaSetFor(parseQbxmlVersion('17.0')!), parseQbxmlVersion('x')]).toEqual(['160', undefined, undefined]);
  });

  it('reports line and message for order, unknown-element and value errors', () => {
    const xml = message('<CustomerAddRq>\n<CustomerAdd>\n<IsActive>true</IsActive>\n<Name>Late</Name>\n</CustomerAdd>\n</CustomerAddRq>');
    const result = validator.validate(xml);
    expect(result.valid).toBe(false);
    expect(result.problems[0]).toMatchObject({ kind: 'invalid', line: 7, path: '/QBXML/QBXMLMsgsRq/CustomerAddRq/CustomerAdd/IsActive' });
    expect(result.problems[0]!.message).toMatch(/^Element 'IsActive': This element is not expected\. Expected is \( Name \)/);
    expect(result.problems[0]!.tooLong).toBeUndefined();
    const bad = validator.validate(message('<CustomerQueryRq><MaxReturned>lots</MaxReturned></CustomerQueryRq>'));
    expect(bad.problems[0]!.message).toMatch(/'lots' is not a valid value/);
    expect(validator.validate('<QBXML>').problems[0]!.kind).toBe('not-well-formed');
  });

  it('marks values that are only too long, with the element, value and limit', () => {
    const name = 'N'.repeat(45);
    const result = validator.validate(message(`<CustomerAddRq><CustomerAdd><Name>${name}</Name></CustomerAdd></CustomerAddRq>`));
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.tooLong).toEqual({ element: 'Name', value: name, maxLength: 41 });
  });

  it('validates responses against the same ops XSD (QBXMLMsgsRs)', () => {
    const sample = readFileSync(path.join(specDir, 'samples', 'qbwc-qbxml', 'customer_query_terator_rs.xml'), 'utf8');
    expect(validator.validate(sample, { schemaSet: '130' }).valid).toBe(true);
    const broken = sample.replace('<Name>10th Customer</Name>', '').replace('<IsActive>true</IsActive>', '<IsActive>true</IsActive><Name>10th Customer</Name>');
    expect(validator.validate(broken, { schemaSet: '130' }).valid).toBe(false);
  });

  it('keeps the compiled schema: after the first load a validation takes well under a millisecond', () => {
    validator.preload('130');
    const xml = message('<CustomerQueryRq requestID="1" iterator="Start"><MaxReturned>100</MaxReturned><ActiveStatus>All</ActiveStatus></CustomerQueryRq>');
    const started = performance.now();
    for (let i = 0; i < 500; i++) expect(validator.validate(xml).valid).toBe(true);
    const perCall = (performance.now() - started) / 500;
    expect(perCall).toBeLessThan(5); // typically ~0.05 ms; the bound only guards against re-parsing the schema
  });

  it('is unusable after dispose', () => {
    const own = createQbxmlXsdValidator(specDir);
    expect(own.validate(message('<HostQueryRq/>')).valid).toBe(true);
    own.dispose();
    expect(() => own.validate(message('<HostQueryRq/>'))).toThrow(/disposed/);
  });
});

describe('loadQbxmlSchemaModel', () => {
  it('gives the sequence order of an aggregate, following groups and refs', () => {
    const model = loadQbxmlSchemaModel(specDir, '130');
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
