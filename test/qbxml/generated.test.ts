/**
 * The committed files in src/qbxml/generated/ must be what the generator makes from Intuit's XSDs today
 * (regenerate with `npm run qbxml:generate` when this fails), and the element order they carry — also as the
 * simulator reads it (src/qbxml/rules-model.ts) — must agree with the XSD reader of src/qbxml/xsd/schema-model.ts,
 * read independently. Both need the XSDs: oracle tests, skipped on a bare clone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, test } from 'vitest';
import { GENERATED_DIR, generateQbxmlSources } from '../../src/qbxml/codegen/generate.js';
import { QBXML_MESSAGE_SET } from '../../src/qbxml/codegen/message-set.js';
import { REQUESTS_130, REQUESTS_160, RULES_130, RULES_160 } from '../../src/qbxml/generated/rules.js';
import { qbxmlModel } from '../../src/qbxml/validate.js';
import { loadQbxmlSchemaModel, type SchemaElement } from '../../src/qbxml/xsd/schema-model.js';
import type { QbxmlSchemaSet } from '../../src/qbxml/xsd/versions.js';
import { rulesSchemaModel } from '../../src/qbxml/rules-model.js';
import { oracleRuns, requireSpecDir } from '../helpers/spec.js';

test.skipIf(!oracleRuns)('src/qbxml/generated/ is up to date (npm run qbxml:generate)', () => {
  const files = generateQbxmlSources(requireSpecDir());
  expect(readdirSync(GENERATED_DIR).sort()).toEqual(files.map((f) => f.path).sort());
  for (const file of files) {
    expect(readFileSync(path.join(GENERATED_DIR, file.path), 'utf8'), `${file.path}: run \`npm run qbxml:generate\``).toBe(file.content);
  }
});

test('every generated file says it is generated and how to regenerate it', () => {
  for (const file of readdirSync(GENERATED_DIR)) {
    const head = readFileSync(path.join(GENERATED_DIR, file), 'utf8').slice(0, 600);
    expect(head).toContain('GENERATED FILE: do not edit by hand.');
    expect(head).toContain('Regenerate with: npm run qbxml:generate');
  }
});

test('the message set: every message has its request and response in 13.0 and 16.0', () => {
  // A message may exist in one schema set only; today every message of the set is in both.
  expect(new Set([...REQUESTS_130, ...REQUESTS_160])).toEqual(new Set(QBXML_MESSAGE_SET.map((m) => `${m}Rq`)));
  expect(REQUESTS_130).toHaveLength(QBXML_MESSAGE_SET.length);
  for (const request of REQUESTS_130) {
    expect(RULES_130[request], request).toBeDefined();
    expect(RULES_130[`${request.slice(0, -2)}Rs`], request).toBeDefined();
  }
  // 16.0 only adds to the 13.0 definitions of the message set (a handful of payroll and line fields).
  expect(Object.keys(RULES_160).length).toBeLessThan(Object.keys(RULES_130).length / 10);
});

describe.skipIf(!oracleRuns).each(['130', '160'] as const)('element order and attributes agree with the schema model (%s)', (set: QbxmlSchemaSet) => {
  const schema = oracleRuns ? loadQbxmlSchemaModel(requireSpecDir(), set) : undefined!;
  const model = qbxmlModel(set === '130' ? '13.0' : '16.0');
  const rules = set === '130' ? RULES_130 : { ...RULES_130, ...RULES_160 };
  const requests = new Set<string>(set === '130' ? REQUESTS_130 : REQUESTS_160);

  /** The schema model's declaration of an aggregate: global, or a message element of QBXMLMsgsRq/Rs. */
  function declaration(name: string): SchemaElement | undefined {
    return schema.element(name) ?? schema.resolve(['QBXMLMsgsRq', name]) ?? schema.resolve(['QBXMLMsgsRs', name]);
  }

  it('for every aggregate of the message set', () => {
    let compared = 0;
    for (const name of Object.keys(rules)) {
      const decl = declaration(name);
      expect(decl, name).toBeDefined();
      const aggregate = model.aggregate(name)!;
      const ours = [...aggregate.children.values()].sort((a, b) => a.position - b.position).map((c) => c.name);
      const theirs = decl!.children.map((c) => c.name).filter((n, i, all) => all.indexOf(n) === i);
      expect(ours, name).toEqual(theirs);
      for (const child of aggregate.children.values()) expect(child.repeats, `${name}.${child.name}`).toBe(decl!.child(child.name)!.repeats);
      expect(aggregate.attributeList.map((a) => a.name), name).toEqual(decl!.attributes);
      compared++;
    }
    expect(compared).toBeGreaterThan(390);
    expect([...requests].every((r) => model.requests.has(r))).toBe(true);
  });

  it('the simulator\'s model from the rules writes every child where the XSD puts it (order, repeats, interleaving, attributes)', () => {
    const fromRules = rulesSchemaModel(set);
    const shape = (decl: SchemaElement) => ({
      isAggregate: decl.isAggregate,
      attributes: decl.attributes,
      children: decl.children.map((c) => ({ name: c.name, position: c.position, repeats: c.repeats, slot: c.slot, isAggregate: c.element.isAggregate, attributes: c.element.attributes })),
    });
    let compared = 0;
    for (const name of Object.keys(rules)) {
      const decl = declaration(name)!;
      const ours = fromRules.element(name) ?? fromRules.resolve(['QBXMLMsgsRs', name]);
      expect(ours && shape(ours), name).toEqual(shape(decl));
      compared++;
    }
    expect(compared).toBeGreaterThan(390);
    for (const rq of requests) expect(fromRules.resolve(['QBXML', 'QBXMLMsgsRq', rq]), rq).toBeDefined();
    // Outside the message set: the name and the status attributes only (enough for a 1030 answer).
    expect(fromRules.resolve(['QBXML', 'QBXMLMsgsRs', 'VendorTypeQueryRs'])).toMatchObject({ isAggregate: false, attributes: ['requestID', 'statusCode', 'statusSeverity', 'statusMessage'] });
    expect(declaration('VendorTypeQueryRs')!.attributes.slice(0, 4)).toEqual(['requestID', 'statusCode', 'statusSeverity', 'statusMessage']);
    expect(fromRules.resolve(['QBXML', 'QBXMLMsgsRs', 'MadeUpQueryRs'])).toBeUndefined();
  });
});
