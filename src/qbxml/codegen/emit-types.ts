/**
 * Emits `generated/types.ts`: one TypeScript interface per aggregate of the message set (names as Intuit
 * spells them), merged over the 13.0 and 16.0 schema sets, plus the request/response maps.
 *
 * Mapping rules:
 * - text values keep their qbXML type as an alias: amounts, prices, quantities, dates, IDs are strings
 *   (`AMTTYPE`, `DATETYPE`, `IDTYPE`, …); `BOOLTYPE` is `boolean`; `INTTYPE` is `number`; enumerations are
 *   unions of string literals;
 * - an element that may repeat (its own `maxOccurs` or an enclosing group's) is an array;
 * - an element is required only when the XSD requires it in every schema set that has the aggregate, and
 *   it is not inside an `xsd:choice`: the alternatives of a choice are all optional and `validateRequest`
 *   reports a choice that is not respected (a TS union per choice would multiply out on aggregates with
 *   several choices and give unreadable errors);
 * - attributes (`requestID`, `iterator`, `defMacro`, `statusCode`, …) are properties next to the child
 *   elements (attribute names are lower camel case, element names upper, so they never clash); a text
 *   element with attributes is `value | { '#text': value, ...attributes }`.
 */
import type { QbxmlSchemaSet } from '../xsd/versions.js';
import { flattenContent, type AggregateIR, type SchemaClosure } from './closure.js';
import { generatedHeader } from './header.js';
import type { XsdAttribute, XsdLeafType } from './xsd-reader.js';

const VERSION_OF: Record<QbxmlSchemaSet, string> = { '130': '13.0', '160': '16.0' };
const SETS: readonly QbxmlSchemaSet[] = ['130', '160'];

const CONVENTIONS = `/*
 * Conventions: names are Intuit's. Text values keep their qbXML type as an alias below (amounts, quantities,
 * dates, IDs are strings; BOOLTYPE is boolean; INTTYPE is number). Elements that may repeat are arrays.
 * The alternatives of an xsd:choice are all optional here: validateRequest reports a choice that is not
 * respected. Attributes (requestID, iterator, defMacro, statusCode, …) are properties next to the elements;
 * a text element with attributes is \`value | { '#text': value, ...attributes }\`. Response fields follow the
 * XSD's required/optional, but QuickBooks leaves out whatever an IncludeRetElement list does not name.
 */
`;

const ALIASES = `/** Identifier of a list object or transaction (\`ListID\`, \`TxnID\`, …); at most 36 characters. */
export type IDTYPE = string;
/** Text. */
export type STRTYPE = string;
/** \`true\` / \`false\`. */
export type BOOLTYPE = boolean;
/** A date, \`YYYY-MM-DD\`. */
export type DATETYPE = string;
/** A date and time, \`YYYY-MM-DDThh:mm:ss±hh:mm\` (the time and offset may be left off). */
export type DATETIMETYPE = string;
/** A duration, \`PT8H30M\`. */
export type TIMEINTERVALTYPE = string;
/** An amount: up to 13 digits, optionally a point and exactly 2 decimals (\`-1234.50\`). */
export type AMTTYPE = string;
/** A price: up to 10 digits and up to 5 decimals. */
export type PRICETYPE = string;
/** A quantity: up to 10 digits and up to 5 decimals. */
export type QUANTYPE = string;
/** A percentage: up to 10 digits and up to 5 decimals (\`7.25\` for 7.25 %). */
export type PERCENTTYPE = string;
/** An enumerated value (when the XSD names no values). */
export type ENUMTYPE = string;
/** An integer. */
export type INTTYPE = number;
/** A GUID in braces (\`{3F2504E0-4F89-11D3-9A0C-0305E82C3301}\`), or \`0\`. */
export type GUIDTYPE = string;
/** A UUID. */
export type UUIDTYPE = string;
/** A macro name (\`defMacro\` / \`useMacro\` attributes: refer to an object added earlier in the same message). */
export type MACROTYPE = string;
/** A decimal number. */
export type FLOATTYPE = string;
`;

const q = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const isIdentifier = (s: string): boolean => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s);
const key = (s: string): string => (isIdentifier(s) ? s : q(s));

function leafTs(leaf: XsdLeafType): string {
  if (leaf.enumeration) return leaf.enumeration.map(q).join(' | ');
  return leaf.base;
}

function textTs(leaf: XsdLeafType, attributes: readonly XsdAttribute[]): string {
  const value = leafTs(leaf);
  if (attributes.length === 0) return value;
  const attrs = attributes.map((a) => `${key(a.name)}${a.required ? '' : '?'}: ${leafTs(a.type)}`).join('; ');
  return `${value.includes('|') ? `(${value})` : value} | { '#text': ${value}; ${attrs} }`;
}

function facetNote(leaf: XsdLeafType | undefined): string | undefined {
  if (!leaf) return undefined;
  const notes: string[] = [];
  if (leaf.maxLength !== undefined && !(leaf.base === 'IDTYPE' && leaf.maxLength === 36)) notes.push(`at most ${leaf.maxLength} characters`);
  if (leaf.minInclusive !== undefined) notes.push(`at least ${leaf.minInclusive}`);
  if (leaf.maxInclusive !== undefined) notes.push(`at most ${leaf.maxInclusive}`);
  return notes.length > 0 ? notes.join(', ') : undefined;
}

interface MergedProperty {
  readonly name: string;
  readonly types: string[];
  readonly notes: Map<QbxmlSchemaSet, string>;
  readonly sets: QbxmlSchemaSet[];
  required: boolean;
  repeats: boolean;
}

/** The interface of one aggregate over the schema sets that have it. */
function aggregateInterface(name: string, versions: ReadonlyMap<QbxmlSchemaSet, AggregateIR>, requestOrResponse: string | undefined): string[] {
  const props = new Map<string, MergedProperty>();
  const order: string[] = [];
  const add = (set: QbxmlSchemaSet, propName: string, type: string, note: string | undefined, required: boolean, repeats: boolean): void => {
    let p = props.get(propName);
    if (!p) {
      p = { name: propName, types: [], notes: new Map(), sets: [], required, repeats };
      props.set(propName, p);
      order.push(propName);
    } else if (p.repeats !== repeats) {
      throw new Error(`${name}.${propName} repeats in one schema set and not in the other`);
    }
    if (!p.types.includes(type)) p.types.push(type);
    if (note) p.notes.set(set, note);
    p.sets.push(set);
    p.required &&= required;
  };
  // Newest first: its order is the reference (16.0 only appends to the 13.0 sequences).
  for (const set of [...SETS].reverse()) {
    const aggregate = versions.get(set);
    if (!aggregate) continue;
    for (const a of aggregate.attributes) add(set, a.name, leafTs(a.type), facetNote(a.type), a.required, false);
    for (const { element, repeats, required } of flattenContent(aggregate.content)) {
      const type = element.leaf ? textTs(element.leaf, element.attributes) : element.name;
      add(set, element.name, type, facetNote(element.leaf), required, repeats);
    }
  }
  const present = SETS.filter((s) => versions.has(s));
  const lines: string[] = [];
  const availability = present.length === SETS.length ? '' : ` qbXML ${present.map((s) => VERSION_OF[s]).join(', ')} only.`;
  const reference = requestOrResponse ? ` ${requestOrResponse}` : '';
  lines.push(`/** qbXML \`${name}\`.${reference}${availability} */`);
  lines.push(`export interface ${name} {`);
  for (const propName of order) {
    const p = props.get(propName)!;
    const distinct = new Set(p.notes.values());
    const notes =
      distinct.size <= 1 && p.notes.size === p.sets.length
        ? [...distinct]
        : [...p.notes].map(([set, note]) => `${note} in qbXML ${VERSION_OF[set]}`);
    const missing = present.filter((s) => !p.sets.includes(s));
    if (missing.length > 0) notes.push(`not in qbXML ${missing.map((s) => VERSION_OF[s]).join(', ')}`);
    const required = p.required && missing.length === 0;
    if (notes.length > 0) lines.push(`  /** ${capitalise(notes.join('; '))}. */`);
    const type = p.types.length === 1 ? p.types[0]! : p.types.map((t) => (t.includes('|') ? `(${t})` : t)).join(' | ');
    const full = p.repeats ? (type.includes('|') ? `Array<${type}>` : `${type}[]`) : type;
    lines.push(`  ${key(p.name)}${required ? '' : '?'}: ${full};`);
  }
  lines.push('}');
  return lines;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function referenceLink(message: string, kind: 'request' | 'response'): string {
  return `The ${kind} of \`${message}\`; see https://developer.intuit.com/app/developer/qbdesktop/docs/api-reference/qbdesktop/${message.toLowerCase()}`;
}

/** The source of `generated/types.ts`. */
export function emitTypes(closures: Readonly<Record<QbxmlSchemaSet, SchemaClosure>>): string {
  const names = new Set<string>();
  for (const set of SETS) for (const n of closures[set].aggregates.keys()) names.add(n);
  const requests = new Set<string>();
  const responses = new Set<string>();
  for (const set of SETS) {
    closures[set].requests.forEach((r) => requests.add(r));
    closures[set].responses.forEach((r) => responses.add(r));
  }
  const body: string[] = [];
  for (const name of [...names].sort()) {
    const versions = new Map<QbxmlSchemaSet, AggregateIR>();
    for (const set of SETS) {
      const a = closures[set].aggregates.get(name);
      if (a) versions.set(set, a);
    }
    const message = name.slice(0, -2);
    const role = requests.has(name) ? referenceLink(message, 'request') : responses.has(name) ? referenceLink(message, 'response') : undefined;
    body.push(...aggregateInterface(name, versions, role), '');
  }
  const requestList = [...requests];
  const responseList = [...responses];
  return [
    generatedHeader('TypeScript types of the qbXML message set (13.0 and 16.0 merged; see src/qbxml/README.md).'),
    CONVENTIONS,
    ALIASES,
    ...body,
    '/** Every request of the message set, by element name. */',
    'export interface QbxmlRequests {',
    ...requestList.map((r) => `  ${r}: ${r};`),
    '}',
    '',
    '/** Every response of the message set, by element name. */',
    'export interface QbxmlResponses {',
    ...responseList.map((r) => `  ${r}: ${r};`),
    '}',
    '',
    '/** A request element name, e.g. `InvoiceAddRq`. */',
    'export type QbxmlRequestType = keyof QbxmlRequests;',
    '',
    '/** A response element name, e.g. `InvoiceAddRs`. */',
    'export type QbxmlResponseType = keyof QbxmlResponses;',
    '',
    '/** The response element name of a request element name: `InvoiceAddRq` → `InvoiceAddRs`. */',
    'export type QbxmlResponseTypeOf<K extends QbxmlRequestType> = K extends `${infer M}Rq` ? Extract<`${M}Rs`, QbxmlResponseType> : never;',
    '',
  ].join('\n');
}
