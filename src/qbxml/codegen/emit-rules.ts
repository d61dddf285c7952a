/**
 * Emits `generated/rules.ts`: the runtime description of the message set — for every aggregate its attributes
 * and its content model (children in schema order, occurrences, sequences and choices, text types with their
 * `maxLength`/enumeration/range facets). The serializer, validator and parser read only this file.
 *
 * Versions: `RULES_130` holds every aggregate of the 13.0 schema set; `RULES_160` holds only the aggregates
 * whose 16.0 definition differs from 13.0 (or is new in 16.0). The 16.0 rules are `{ ...RULES_130, ...RULES_160 }`.
 */
import type { QbxmlSchemaSet } from '../xsd/versions.js';
import type { AggregateIR, ParticleIR, SchemaClosure } from './closure.js';
import type { XsdAttribute, XsdLeafType } from './xsd-reader.js';
import { generatedHeader } from './header.js';

/** Static part of the file: the shape of the rules (kept here so that the generated file is self-contained). */
const FORMAT = `/** The qbXML base types of \`qbxmltypes*.xsd\`. */
export type BaseType =
  | 'IDTYPE'
  | 'STRTYPE'
  | 'BOOLTYPE'
  | 'DATETYPE'
  | 'DATETIMETYPE'
  | 'TIMEINTERVALTYPE'
  | 'AMTTYPE'
  | 'PRICETYPE'
  | 'QUANTYPE'
  | 'PERCENTTYPE'
  | 'ENUMTYPE'
  | 'INTTYPE'
  | 'GUIDTYPE'
  | 'UUIDTYPE'
  | 'MACROTYPE'
  | 'FLOATTYPE';

/** A text value's type: a base type, or a base type narrowed by XSD facets. */
export type LeafRule =
  | BaseType
  | {
      readonly base: BaseType;
      readonly maxLength?: number;
      readonly enum?: readonly string[];
      /** \`minInclusive\` / \`maxInclusive\` of an INTTYPE. */
      readonly min?: number;
      readonly max?: number;
    };

/** \`1\` exactly once, \`?\` optional, \`*\` any number, \`+\` at least once, \`0..8\` at most 8. */
export type Occurrence = '1' | '?' | '*' | '+' | \`\${0 | 1}..\${number}\`;

export interface AttributeRule {
  readonly type: LeafRule;
  readonly required?: true;
}
export type AttributeRules = Readonly<Record<string, AttributeRule>>;

/**
 * A child element: \`[name, occurs]\` for an aggregate (its rule is the aggregate of the same name),
 * \`[name, occurs, leaf]\` for a text element, \`[name, occurs, leaf, attributes]\` for a text element with
 * attributes (written as \`{ '#text': value, ...attributes }\`).
 */
export type ElementRule =
  | readonly [name: string, occurs: Occurrence]
  | readonly [name: string, occurs: Occurrence, leaf: LeafRule]
  | readonly [name: string, occurs: Occurrence, leaf: LeafRule, attributes: AttributeRules];

/** An \`xsd:sequence\` or \`xsd:choice\` (occurrence \`1\` unless given). */
export type GroupRule =
  | { readonly seq: readonly ParticleRule[]; readonly occurs?: Occurrence }
  | { readonly choice: readonly ParticleRule[]; readonly occurs?: Occurrence };

export type ParticleRule = ElementRule | GroupRule;

/** An aggregate: its attributes and content model. */
export interface AggregateRule {
  readonly attributes?: AttributeRules;
  readonly content?: ParticleRule;
}

export type AggregateRules = Readonly<Record<string, AggregateRule>>;
`;

const q = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const isIdentifier = (s: string): boolean => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s);
const key = (s: string): string => (isIdentifier(s) ? s : q(s));

/** Names the enumeration lists (shared by all versions) after the first element or attribute that uses them. */
class EnumTable {
  private readonly byValues = new Map<string, string>();
  private readonly used = new Set<string>();
  readonly entries: Array<[name: string, values: readonly string[]]> = [];

  nameFor(owner: string, values: readonly string[]): string {
    const signature = JSON.stringify(values);
    const known = this.byValues.get(signature);
    if (known) return known;
    let name = owner;
    for (let n = 2; this.used.has(name); n++) name = `${owner}_${n}`;
    this.used.add(name);
    this.byValues.set(signature, name);
    this.entries.push([name, values]);
    return name;
  }
}

function leafSource(leaf: XsdLeafType, owner: string, enums: EnumTable): string {
  const isPlainId = leaf.base === 'IDTYPE' && leaf.maxLength === 36;
  const facets: string[] = [];
  if (leaf.maxLength !== undefined && !isPlainId) facets.push(`maxLength: ${leaf.maxLength}`);
  if (leaf.enumeration) facets.push(`enum: E.${enums.nameFor(owner, leaf.enumeration)}`);
  if (leaf.minInclusive !== undefined) facets.push(`min: ${leaf.minInclusive}`);
  if (leaf.maxInclusive !== undefined) facets.push(`max: ${leaf.maxInclusive}`);
  return facets.length === 0 ? q(leaf.base) : `{ base: ${q(leaf.base)}, ${facets.join(', ')} }`;
}

function attributesSource(attributes: readonly XsdAttribute[], enums: EnumTable): string {
  const entries = attributes.map(
    (a) => `${key(a.name)}: { type: ${leafSource(a.type, a.name, enums)}${a.required ? ', required: true' : ''} }`,
  );
  return `{ ${entries.join(', ')} }`;
}

function particleLines(p: ParticleIR, indent: string, enums: EnumTable): string[] {
  if (p.kind === 'element') {
    const parts = [q(p.name), q(p.occurs)];
    if (p.leaf) parts.push(leafSource(p.leaf, p.name, enums));
    if (p.attributes.length > 0) parts.push(attributesSource(p.attributes, enums));
    return [`${indent}[${parts.join(', ')}],`];
  }
  const head = p.kind === 'sequence' ? 'seq' : 'choice';
  const occurs = p.occurs === '1' ? '' : `occurs: ${q(p.occurs)}, `;
  return [`${indent}{ ${occurs}${head}: [`, ...p.items.flatMap((item) => particleLines(item, `${indent}  `, enums)), `${indent}] },`];
}

function aggregateLines(a: AggregateIR, enums: EnumTable): string[] {
  const lines = [`  ${key(a.name)}: {`];
  if (a.attributes.length > 0) lines.push(`    attributes: ${attributesSource(a.attributes, enums)},`);
  if (a.content) {
    const body = particleLines(a.content, '    ', enums);
    // `content: [...]` for a lone element, `content: { seq: [...] }` for a group.
    body[0] = `    content: ${body[0]!.trimStart()}`;
    lines.push(...body);
  }
  lines.push('  },');
  return lines;
}

function sameAggregate(a: AggregateIR | undefined, b: AggregateIR): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

/** The source of `generated/rules.ts` for the 13.0 and 16.0 closures. */
export function emitRules(closures: Readonly<Record<QbxmlSchemaSet, SchemaClosure>>): string {
  const enums = new EnumTable();
  const base = closures['130'];
  const newer = closures['160'];
  const baseBody = [...base.aggregates.values()].flatMap((a) => aggregateLines(a, enums));
  const changed = [...newer.aggregates.values()].filter((a) => !sameAggregate(base.aggregates.get(a.name), a));
  const newerBody = changed.flatMap((a) => aggregateLines(a, enums));
  const list = (names: readonly string[]): string => `[\n${names.map((n) => `  ${q(n)},`).join('\n')}\n] as const`;
  // The envelopes are written once: the generator refuses a schema set whose envelopes differ.
  if (JSON.stringify(base.envelopes) !== JSON.stringify(newer.envelopes)) throw new Error('QBXMLMsgsRq/QBXMLMsgsRs differ between qbXML 13.0 and 16.0');
  const envelopeBody = base.envelopes.flatMap((a) => aggregateLines(a, enums));

  return [
    generatedHeader('Runtime rules of the qbXML message set: content models, occurrences and value facets.'),
    FORMAT,
    '/** Enumerations (XSD `xsd:enumeration` facets), named after the first element or attribute that uses them. */',
    'const E = {',
    ...enums.entries.map(([name, values]) => `  ${key(name)}: [${values.map(q).join(', ')}],`),
    '} as const satisfies Readonly<Record<string, readonly string[]>>;',
    '',
    `/** Every aggregate of the message set in qbXML 13.0 (\`qbxmlops130.xsd\`), by element name. */`,
    'export const RULES_130: AggregateRules = {',
    ...baseBody,
    '};',
    '',
    `/** The aggregates whose qbXML 16.0 definition (\`qbxmlops160.xsd\`) differs from 13.0 or is new; the rest are as in 13.0. */`,
    'export const RULES_160: AggregateRules = {',
    ...newerBody,
    '};',
    '',
    '/** The request messages available in qbXML 13.0. */',
    `export const REQUESTS_130 = ${list(base.requests)};`,
    '',
    '/** The request messages available in qbXML 16.0. */',
    `export const REQUESTS_160 = ${list(newer.requests)};`,
    '',
    '/** The message-set envelopes (attributes only; their children are the requests or responses), both versions. */',
    'export const ENVELOPES: AggregateRules = {',
    ...envelopeBody,
    '};',
    '',
    '/** The other request messages of qbXML 13.0: valid for QuickBooks, not described by these rules. */',
    `export const OTHER_REQUESTS_130 = ${list(base.otherRequests)};`,
    '',
    '/** The other request messages of qbXML 16.0. */',
    `export const OTHER_REQUESTS_160 = ${list(newer.otherRequests)};`,
    '',
  ].join('\n');
}
