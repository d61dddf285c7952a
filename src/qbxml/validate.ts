/**
 * Validation of typed qbXML requests against the rules generated from Intuit's XSDs (`generated/rules.ts`),
 * before anything is serialized: every problem is collected with the path of the field it concerns, e.g.
 * `InvoiceAdd.InvoiceLineAdd[2].Amount` (array indexes are 0-based, as in the object you built).
 *
 * What is checked (as the XSD would, plus the checks the object model needs):
 * - required elements and attributes (`REQUIRED`), including "one of …" for a required `xsd:choice`;
 * - alternatives of an `xsd:choice` given together (`CHOICE`);
 * - keys that are not an element or attribute of the aggregate (`UNKNOWN_FIELD`), or not in this qbXML
 *   version (`NOT_IN_VERSION`);
 * - value types: a list where the element repeats, a single value where it does not, an object for an
 *   aggregate, a boolean for BOOLTYPE, an integer for INTTYPE, a string for everything else (`WRONG_TYPE`);
 * - formats of AMTTYPE, PRICETYPE, QUANTYPE, PERCENTTYPE, DATETYPE, DATETIMETYPE, TIMEINTERVALTYPE,
 *   GUIDTYPE, FLOATTYPE (`BAD_FORMAT`); enumerations (`NOT_IN_ENUM`); `maxLength` (`TOO_LONG`);
 *   integer ranges (`OUT_OF_RANGE`); `maxOccurs` of a list (`TOO_MANY`).
 *
 * This module also holds the compiled form of the generated rules that the serializer and parser share.
 * See https://developer.intuit.com/app/developer/qbdesktop/docs/api-reference/qbdesktop for the messages.
 */
import {
  REQUESTS_130,
  REQUESTS_160,
  RULES_130,
  RULES_160,
  type AggregateRule,
  type AggregateRules,
  type AttributeRules,
  type BaseType,
  type LeafRule,
  type Occurrence,
  type ParticleRule,
} from './generated/rules.js';
import type { QbxmlRequests, QbxmlRequestType } from './generated/types.js';
import { parseQbxmlVersion, schemaSetFor, type QbxmlSchemaSet } from './xsd/versions.js';

// ---------------------------------------------------------------------------------------------------------
// Compiled rules (shared with serialize.ts and parse.ts)
// ---------------------------------------------------------------------------------------------------------

/** A text value's type with its facets. */
export interface CompiledLeaf {
  readonly base: BaseType;
  readonly maxLength?: number;
  readonly enumValues?: ReadonlySet<string>;
  readonly enumList?: readonly string[];
  readonly min?: number;
  readonly max?: number;
}

export interface CompiledAttribute {
  readonly name: string;
  readonly leaf: CompiledLeaf;
  readonly required: boolean;
}

/** A child element of an aggregate. */
export interface CompiledChild {
  readonly name: string;
  /** Position in the content model: children are written in increasing position. */
  readonly position: number;
  /** The element may occur more than once (its value is an array). */
  readonly repeats: boolean;
  /** Most occurrences allowed (`Infinity` for unbounded). */
  readonly maxCount: number;
  /** Text type; undefined for aggregates. */
  readonly leaf?: CompiledLeaf;
  /** Attributes of a text element (`simpleContent`). */
  readonly textAttributes?: ReadonlyMap<string, CompiledAttribute>;
}

/** A content model: elements and groups with their `min`/`max` occurrences (`max` is `Infinity` when unbounded). */
export type CompiledParticle =
  | { readonly kind: 'element'; readonly name: string; readonly min: number; readonly max: number }
  | {
      readonly kind: 'seq' | 'choice';
      readonly items: readonly CompiledParticle[];
      readonly min: number;
      readonly max: number;
      /** Every element name below this particle (to test "is any of it present"). */
      readonly names: readonly string[];
      /** Whether the particle is satisfied with nothing present. */
      readonly emptiable: boolean;
    };

export interface CompiledAggregate {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, CompiledAttribute>;
  /** Attributes in declaration order. */
  readonly attributeList: readonly CompiledAttribute[];
  readonly children: ReadonlyMap<string, CompiledChild>;
  readonly content: CompiledParticle | undefined;
}

/** The compiled rules of one schema set. */
export interface QbxmlModel {
  readonly schemaSet: QbxmlSchemaSet;
  /** `13.0` or `16.0`: the version whose schema the rules come from. */
  readonly schemaVersion: string;
  /** The requests of the message set available in this schema set. */
  readonly requests: ReadonlySet<string>;
  /** An aggregate (including `…Rq`/`…Rs` messages) by element name. */
  aggregate(name: string): CompiledAggregate | undefined;
}

function boundsOf(occurs: Occurrence | undefined): readonly [number, number] {
  switch (occurs) {
    case undefined:
    case '1':
      return [1, 1];
    case '?':
      return [0, 1];
    case '*':
      return [0, Infinity];
    case '+':
      return [1, Infinity];
    default: {
      const [min, max] = occurs.split('..').map(Number) as [number, number];
      return [min, max];
    }
  }
}

const leafCache = new WeakMap<object, CompiledLeaf>();
const BASE_LEAVES = new Map<string, CompiledLeaf>();
function compileLeaf(rule: LeafRule): CompiledLeaf {
  if (typeof rule === 'string') {
    let leaf = BASE_LEAVES.get(rule);
    if (!leaf) {
      leaf = rule === 'IDTYPE' ? { base: rule, maxLength: 36 } : { base: rule };
      BASE_LEAVES.set(rule, leaf);
    }
    return leaf;
  }
  let leaf = leafCache.get(rule);
  if (!leaf) {
    leaf = {
      base: rule.base,
      ...(rule.maxLength !== undefined ? { maxLength: rule.maxLength } : rule.base === 'IDTYPE' ? { maxLength: 36 } : {}),
      ...(rule.enum ? { enumValues: new Set(rule.enum), enumList: rule.enum } : {}),
      ...(rule.min !== undefined ? { min: rule.min } : {}),
      ...(rule.max !== undefined ? { max: rule.max } : {}),
    };
    leafCache.set(rule, leaf);
  }
  return leaf;
}

/** Compiles the attributes of a rule (also the envelopes' attributes, for `validate-document.ts`). */
export function compileAttributes(rules: AttributeRules | undefined): CompiledAttribute[] {
  return Object.entries(rules ?? {}).map(([name, a]) => ({ name, leaf: compileLeaf(a.type), required: a.required === true }));
}

function compileAggregate(name: string, rule: AggregateRule): CompiledAggregate {
  const children = new Map<string, CompiledChild>();
  const walk = (p: ParticleRule, repeats: boolean, maxFactor: number): CompiledParticle => {
    if (Array.isArray(p)) {
      const [childName, occurs, leafRule, attributeRules] = p as readonly [string, Occurrence, LeafRule?, AttributeRules?];
      const [min, max] = boundsOf(occurs);
      const textAttributes = attributeRules ? new Map(compileAttributes(attributeRules).map((a) => [a.name, a])) : undefined;
      children.set(childName, {
        name: childName,
        position: children.size,
        repeats: repeats || max > 1,
        maxCount: max * maxFactor,
        ...(leafRule !== undefined ? { leaf: compileLeaf(leafRule) } : {}),
        ...(textAttributes ? { textAttributes } : {}),
      });
      return { kind: 'element', name: childName, min, max };
    }
    const group = p as { seq?: readonly ParticleRule[]; choice?: readonly ParticleRule[]; occurs?: Occurrence };
    const [min, max] = boundsOf(group.occurs);
    const kind = group.seq ? 'seq' : 'choice';
    const items = (group.seq ?? group.choice ?? []).map((item) => walk(item, repeats || max > 1, maxFactor * max));
    const names = items.flatMap((i) => (i.kind === 'element' ? [i.name] : i.names));
    const itemEmptiable = (i: CompiledParticle): boolean => (i.kind === 'element' ? i.min === 0 : i.emptiable);
    const emptiable = min === 0 || (kind === 'seq' ? items.every(itemEmptiable) : items.some(itemEmptiable));
    return { kind, items, min, max, names, emptiable };
  };
  const content = rule.content ? walk(rule.content, false, 1) : undefined;
  const attributeList = compileAttributes(rule.attributes);
  return { name, attributes: new Map(attributeList.map((a) => [a.name, a])), attributeList, children, content };
}

function createModel(schemaSet: QbxmlSchemaSet, rules: AggregateRules, requests: readonly string[]): QbxmlModel {
  const compiled = new Map<string, CompiledAggregate>();
  return {
    schemaSet,
    schemaVersion: schemaSet === '130' ? '13.0' : '16.0',
    requests: new Set(requests),
    aggregate(name) {
      let aggregate = compiled.get(name);
      if (!aggregate) {
        const rule = Object.hasOwn(rules, name) ? rules[name] : undefined;
        if (!rule) return undefined;
        aggregate = compileAggregate(name, rule);
        compiled.set(name, aggregate);
      }
      return aggregate;
    },
  };
}

const MODELS: Record<QbxmlSchemaSet, QbxmlModel> = {
  '130': createModel('130', RULES_130, REQUESTS_130),
  '160': createModel('160', { ...RULES_130, ...RULES_160 }, REQUESTS_160),
};

/**
 * The compiled rules for a qbXML version (`"13.0"`, `"16.0"`, `"14.0"`, …): 13.x and older use the 13.0 schema,
 * 14.0–16.x the 16.0 schema. Throws a RangeError for anything else: the caller chose an unsupported version.
 */
export function qbxmlModel(version: string): QbxmlModel {
  const parsed = parseQbxmlVersion(version);
  const set = parsed && schemaSetFor(parsed);
  if (!set) throw new RangeError(`qbXML version ${JSON.stringify(version)} is not supported (13.0 and older use the 13.0 schema, 14.0–16.x the 16.0 schema)`);
  return MODELS[set];
}

/** The compiled rules of a schema set. */
export function qbxmlModelOfSet(set: QbxmlSchemaSet): QbxmlModel {
  return MODELS[set];
}

/** The other schema set's model (to tell "not in this version" from "unknown"). */
function otherModel(model: QbxmlModel): QbxmlModel {
  return MODELS[model.schemaSet === '130' ? '160' : '130'];
}

// ---------------------------------------------------------------------------------------------------------
// Value formats
// ---------------------------------------------------------------------------------------------------------

// The patterns of qbxmltypes130.xsd / qbxmltypes160.xsd (identical), anchored. The XSD allows the empty
// string for every one of these types except GUIDTYPE.
const FORMATS: Partial<Record<BaseType, { readonly pattern: RegExp; readonly expected: string }>> = {
  AMTTYPE: { pattern: /^(?:[+-]?\d{1,13}(?:\.\d{2})?)?$/, expected: 'an amount: up to 13 digits, optionally a point and exactly 2 decimals (e.g. "1234.50")' },
  PRICETYPE: { pattern: /^(?:[+-]?\d{1,10}(?:\.\d{1,5})?)?$/, expected: 'a price: up to 10 digits and up to 5 decimals (e.g. "12.5")' },
  QUANTYPE: { pattern: /^(?:[+-]?\d{1,10}(?:\.\d{1,5})?)?$/, expected: 'a quantity: up to 10 digits and up to 5 decimals (e.g. "1.25")' },
  PERCENTTYPE: { pattern: /^(?:[+-]?\d{1,10}(?:\.\d{1,5})?)?$/, expected: 'a percentage: up to 10 digits and up to 5 decimals (e.g. "7.25")' },
  DATETIMETYPE: {
    pattern: /^(?:\d{4}-\d{1,2}-\d{1,2}(?:T\d{1,2}(?::\d{1,2}(?::\d{1,2}(?:[+-]\d{1,2}:\d{1,2})?)?)?)?)?$/,
    expected: 'a date and time, YYYY-MM-DDThh:mm:ss±hh:mm',
  },
  TIMEINTERVALTYPE: { pattern: /^(?:[+-]?PT(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$/, expected: 'a duration such as "PT8H30M"' },
  GUIDTYPE: { pattern: /^(?:0|\{[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\})$/, expected: 'a GUID in braces ("{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}") or "0"' },
  FLOATTYPE: { pattern: /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+))?$/, expected: 'a decimal number (e.g. "1.2345")' },
};

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is an xsd:date QuickBooks takes: `YYYY-MM-DD` naming a real day (or empty, as the XSD allows). */
function isDate(value: string): boolean {
  if (value === '') return true;
  const m = DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Length in characters (code points), as XSD `maxLength` counts. */
function lengthOf(value: string, max: number): number {
  // UTF-16 length is an upper bound of the code point count: count code points only when it matters.
  return value.length <= max ? value.length : [...value].length;
}

/** A problem with one text value, without its path. */
export interface TextIssue {
  readonly code: 'BAD_FORMAT' | 'NOT_IN_ENUM' | 'TOO_LONG';
  readonly message: string;
}

/**
 * What is wrong with the text of a string-valued type (format, enumeration, `maxLength`); empty when nothing.
 * Shared by the typed-request validator and the whole-document one (`validate-document.ts`), which also
 * checks BOOLTYPE and INTTYPE written as text.
 */
export function textIssues(leaf: CompiledLeaf, value: string): TextIssue[] {
  const issues: TextIssue[] = [];
  if (leaf.base === 'DATETYPE') {
    if (!isDate(value)) issues.push({ code: 'BAD_FORMAT', message: `${JSON.stringify(value)} is not a valid DATETYPE: expected a date, YYYY-MM-DD` });
  } else {
    const format = FORMATS[leaf.base];
    if (format && !format.pattern.test(value)) issues.push({ code: 'BAD_FORMAT', message: `${JSON.stringify(value)} is not a valid ${leaf.base}: expected ${format.expected}` });
  }
  if (leaf.enumValues && !leaf.enumValues.has(value)) {
    issues.push({ code: 'NOT_IN_ENUM', message: `${JSON.stringify(value)} is not allowed; expected one of ${leaf.enumList!.join(', ')}` });
  }
  if (leaf.maxLength !== undefined) {
    const length = lengthOf(value, leaf.maxLength);
    if (length > leaf.maxLength) issues.push({ code: 'TOO_LONG', message: `is ${length} characters long; at most ${leaf.maxLength} allowed` });
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------------------

/** Kinds of problems `validateRequest` reports. */
export const QbxmlIssueCode = {
  /** A required element or attribute (or one alternative of a required choice) is missing. */
  REQUIRED: 'REQUIRED',
  /** Two alternatives of an `xsd:choice` are given together. */
  CHOICE: 'CHOICE',
  /** The key is not an element or attribute of this aggregate (or the message is not in the message set). */
  UNKNOWN_FIELD: 'UNKNOWN_FIELD',
  /** The element or message exists in another qbXML version, not in the one validated against. */
  NOT_IN_VERSION: 'NOT_IN_VERSION',
  /** Wrong JavaScript type: list vs single value, object vs text, boolean, integer, string. */
  WRONG_TYPE: 'WRONG_TYPE',
  /** The text does not match the qbXML type's format (AMTTYPE, DATETYPE, GUIDTYPE, …). */
  BAD_FORMAT: 'BAD_FORMAT',
  /** The value is not one of the enumerated values. */
  NOT_IN_ENUM: 'NOT_IN_ENUM',
  /** Longer than the XSD `maxLength`. */
  TOO_LONG: 'TOO_LONG',
  /** An integer outside `minInclusive`/`maxInclusive`. */
  OUT_OF_RANGE: 'OUT_OF_RANGE',
  /** More list entries than `maxOccurs` allows. */
  TOO_MANY: 'TOO_MANY',
} as const;
export type QbxmlIssueCode = (typeof QbxmlIssueCode)[keyof typeof QbxmlIssueCode];

/** One problem with a request. */
export interface QbxmlIssue {
  /** Where: `InvoiceAdd.InvoiceLineAdd[2].Amount`; `''` for the request itself. Indexes are 0-based. */
  readonly path: string;
  readonly code: QbxmlIssueCode;
  /** What is wrong, for a developer (the path is not repeated). */
  readonly message: string;
}

const join = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`);

/** A value counts as given unless it is undefined, null or an empty list. */
function isGiven(value: unknown): boolean {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class RequestValidator {
  readonly issues: QbxmlIssue[] = [];

  constructor(private readonly model: QbxmlModel) {}

  private report(path: string, code: QbxmlIssueCode, message: string): void {
    this.issues.push({ path, code, message });
  }

  aggregate(aggregate: CompiledAggregate, value: unknown, path: string): void {
    if (!isPlainObject(value)) {
      this.report(path, 'WRONG_TYPE', `must be an object (the ${aggregate.name} aggregate), not ${describeValue(value)}`);
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined || child === null) continue;
      const childPath = join(path, key);
      const attribute = aggregate.attributes.get(key);
      if (attribute) {
        this.leaf(attribute.leaf, child, childPath);
        continue;
      }
      const element = aggregate.children.get(key);
      if (element) this.child(element, child, childPath);
      else this.unknown(aggregate, key, childPath);
    }
    for (const attribute of aggregate.attributeList) {
      if (attribute.required && !isGiven(value[attribute.name])) this.report(join(path, attribute.name), 'REQUIRED', 'required attribute is missing');
    }
    if (aggregate.content) this.particle(aggregate.content, value, path, true);
  }

  private unknown(aggregate: CompiledAggregate, key: string, path: string): void {
    const other = otherModel(this.model).aggregate(aggregate.name);
    if (other && (other.children.has(key) || other.attributes.has(key))) {
      const since = otherModel(this.model).schemaVersion;
      this.report(path, 'NOT_IN_VERSION', `${aggregate.name}.${key} is not in qbXML ${this.model.schemaVersion} (it is in ${since})`);
    } else {
      this.report(path, 'UNKNOWN_FIELD', `${aggregate.name} has no element or attribute named ${JSON.stringify(key)}`);
    }
  }

  private child(child: CompiledChild, value: unknown, path: string): void {
    if (child.repeats) {
      if (!Array.isArray(value)) {
        this.report(path, 'WRONG_TYPE', `must be a list (${child.name} may repeat), not ${describeValue(value)}`);
        return;
      }
      value.forEach((item, i) => this.single(child, item, `${path}[${i}]`));
      if (value.length > child.maxCount) this.report(path, 'TOO_MANY', `at most ${child.maxCount} allowed, got ${value.length}`);
      return;
    }
    if (Array.isArray(value)) {
      this.report(path, 'WRONG_TYPE', `must be a single value (${child.name} does not repeat), not a list`);
      return;
    }
    this.single(child, value, path);
  }

  private single(child: CompiledChild, value: unknown, path: string): void {
    if (value === undefined || value === null) {
      this.report(path, 'WRONG_TYPE', `list entries must not be ${String(value)}`);
      return;
    }
    if (!child.leaf) {
      const aggregate = this.model.aggregate(child.name);
      if (aggregate) this.aggregate(aggregate, value, path);
      return;
    }
    if (child.textAttributes && isPlainObject(value)) {
      for (const [key, v] of Object.entries(value)) {
        if (v === undefined || v === null || key === '#text') continue;
        const attribute = child.textAttributes.get(key);
        if (attribute) this.leaf(attribute.leaf, v, join(path, key));
        else this.report(join(path, key), 'UNKNOWN_FIELD', `${child.name} has no attribute named ${JSON.stringify(key)}`);
      }
      if (value['#text'] === undefined || value['#text'] === null) this.report(join(path, '#text'), 'REQUIRED', `the text of ${child.name} is missing`);
      else this.leaf(child.leaf, value['#text'], path);
      return;
    }
    this.leaf(child.leaf, value, path);
  }

  leaf(leaf: CompiledLeaf, value: unknown, path: string): void {
    switch (leaf.base) {
      case 'BOOLTYPE':
        if (typeof value !== 'boolean') this.report(path, 'WRONG_TYPE', `must be a boolean (BOOLTYPE), not ${describeValue(value)}`);
        return;
      case 'INTTYPE':
        if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
          this.report(path, 'WRONG_TYPE', `must be an integer (INTTYPE), not ${describeValue(value)}`);
          return;
        }
        if ((leaf.min !== undefined && value < leaf.min) || (leaf.max !== undefined && value > leaf.max)) {
          this.report(path, 'OUT_OF_RANGE', `${value} is outside ${leaf.min ?? '-∞'}..${leaf.max ?? '∞'}`);
        }
        return;
      default:
        break;
    }
    if (typeof value !== 'string') {
      this.report(path, 'WRONG_TYPE', `must be a string (${leaf.base}), not ${describeValue(value)}`);
      return;
    }
    for (const issue of textIssues(leaf, value)) this.report(path, issue.code, issue.message);
  }

  /**
   * Checks presence rules of a content model: required elements, required choices, and alternatives given
   * together. `required` says whether the enclosing particle must be present.
   */
  private particle(p: CompiledParticle, value: Record<string, unknown>, path: string, required: boolean): void {
    if (p.kind === 'element') {
      if (required && p.min > 0 && !isGiven(value[p.name])) this.report(join(path, p.name), 'REQUIRED', 'required element is missing');
      return;
    }
    const given = (q: CompiledParticle): boolean => (q.kind === 'element' ? isGiven(value[q.name]) : q.names.some((n) => isGiven(value[n])));
    if (p.kind === 'seq') {
      const active = (required && p.min > 0) || given(p);
      if (active) for (const item of p.items) this.particle(item, value, path, true);
      return;
    }
    const chosen = p.items.filter(given);
    if (chosen.length === 0) {
      if (required && !p.emptiable) this.report(path, 'REQUIRED', `one of ${describeChoice(p.items)} is required`);
      return;
    }
    if (chosen.length > 1 && p.max <= 1) {
      const first = firstGiven(chosen[0]!, value);
      for (const extra of chosen.slice(1)) {
        const name = firstGiven(extra, value);
        this.report(join(path, name), 'CHOICE', `cannot be combined with ${first}: only one of ${describeChoice(p.items)} may be given`);
      }
    }
    for (const branch of chosen) this.particle(branch, value, path, true);
  }
}

function firstGiven(p: CompiledParticle, value: Record<string, unknown>): string {
  if (p.kind === 'element') return p.name;
  return p.names.find((n) => isGiven(value[n])) ?? p.names[0]!;
}

function describeChoice(items: readonly CompiledParticle[]): string {
  const names = items.map((i) => (i.kind === 'element' ? i.name : i.names.length > 1 ? `${i.names[0]}…` : (i.names[0] ?? '()')));
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/**
 * Checks a request against the qbXML schema of `version` and returns every problem found (empty when valid).
 * Never throws for bad input; throws a RangeError only for a qbXML version with no schema (newer than 16.x).
 *
 * @example validateRequest('InvoiceAddRq', { InvoiceAdd: { CustomerRef: { FullName: 'Acme' } } }, '13.0')
 */
export function validateRequest<K extends QbxmlRequestType>(type: K, request: QbxmlRequests[K], version: string): ReadonlyArray<QbxmlIssue> {
  const model = qbxmlModel(version);
  const aggregate = model.requests.has(type) ? model.aggregate(type) : undefined;
  if (!aggregate) {
    const inOther = otherModel(model).requests.has(type);
    return [
      inOther
        ? { path: '', code: 'NOT_IN_VERSION', message: `${type} is not in qbXML ${model.schemaVersion} (it is in ${otherModel(model).schemaVersion})` }
        : { path: '', code: 'UNKNOWN_FIELD', message: `${String(type)} is not a request of the generated message set` },
    ];
  }
  const validator = new RequestValidator(model);
  validator.aggregate(aggregate, request, '');
  return validator.issues;
}
