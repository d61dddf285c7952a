/**
 * The part of a schema set the product uses: the requests and responses of the message set and, recursively,
 * every aggregate they reference, with content models normalised for the emitters:
 * - groups are inlined and nested sequences (or choices) with default occurrence are flattened into their
 *   parent; a sequence or choice of a single particle becomes that particle (occurrences multiplied);
 * - particles that may occur zero times at most (`maxOccurs="0"`) are dropped;
 * - occurrences are one of `1`, `?`, `*`, `+` (the only ones qbXML uses; anything else fails generation).
 *
 * Aggregates are keyed by element name. qbXML never gives two different aggregates the same name within the
 * message set; the generator checks this rather than assuming it.
 */
import type { QbxmlSchemaSet } from '../xsd/versions.js';
import type { XsdAttribute, XsdElement, XsdLeafType, XsdParticle, XsdSchema } from './xsd-reader.js';

/** `1` exactly once, `?` optional, `*` any number, `+` at least once, `0..8` at most 8 (e.g. `AdditionalContactRef`). */
export type Occurrence = '1' | '?' | '*' | '+' | `${0 | 1}..${number}`;

export type ParticleIR =
  | {
      readonly kind: 'element';
      readonly name: string;
      readonly occurs: Occurrence;
      /** Text content type; undefined for aggregates (whose definition is `aggregates.get(name)`). */
      readonly leaf?: XsdLeafType;
      /** Attributes of a text element (`simpleContent`, e.g. `TxnID useMacro="…"`). */
      readonly attributes: readonly XsdAttribute[];
    }
  | { readonly kind: 'sequence' | 'choice'; readonly occurs: Occurrence; readonly items: readonly ParticleIR[] };

export interface AggregateIR {
  readonly name: string;
  readonly attributes: readonly XsdAttribute[];
  readonly content?: ParticleIR;
}

export interface SchemaClosure {
  readonly schemaSet: QbxmlSchemaSet;
  /** Request element names of the message set present in this schema set, in message-set order. */
  readonly requests: readonly string[];
  /** The matching response element names. */
  readonly responses: readonly string[];
  /** Every aggregate reached from the requests and responses (including them), sorted by name. */
  readonly aggregates: ReadonlyMap<string, AggregateIR>;
  /**
   * The request elements the schema set offers outside the message set, sorted: QuickBooks knows them, the
   * generated rules do not describe them (a validator can still tell such a request from a misspelt one).
   */
  readonly otherRequests: readonly string[];
  /** The attributes of the envelopes `QBXMLMsgsRq` (`onError`, ...) and `QBXMLMsgsRs` (no content model: it is the messages). */
  readonly envelopes: readonly AggregateIR[];
}

function occurrenceOf(min: number, max: number, where: string): Occurrence {
  if (min === 1 && max === 1) return '1';
  if (min === 0 && max === 1) return '?';
  if (min === 0 && max === Infinity) return '*';
  if (min === 1 && max === Infinity) return '+';
  if ((min === 0 || min === 1) && Number.isInteger(max) && max > 1) return `${min}..${max}`;
  throw new Error(`unsupported occurrence ${min}..${max} in ${where}`);
}
const BOUNDS: Readonly<Record<string, readonly [number, number]>> = { '1': [1, 1], '?': [0, 1], '*': [0, Infinity], '+': [1, Infinity] };

/** The `[min, max]` of an occurrence (`max` is `Infinity` for unbounded). */
export function boundsOf(occurs: Occurrence): readonly [number, number] {
  const known = BOUNDS[occurs];
  if (known) return known;
  const [min, max] = occurs.split('..').map(Number) as [number, number];
  return [min, max];
}

function withOccurs(particle: ParticleIR, min: number, max: number, where: string): ParticleIR {
  const [innerMin, innerMax] = boundsOf(particle.occurs);
  return { ...particle, occurs: occurrenceOf(min * innerMin, max * innerMax, where) };
}

/** Builds the closure of `messages` (names without `Rq`) in one schema set. */
export function buildSchemaClosure(schema: XsdSchema, messages: readonly string[]): SchemaClosure {
  const where = (name: string): string => `${name} (qbXML schema ${schema.schemaSet})`;
  const aggregates = new Map<string, AggregateIR>();

  const isAggregate = (e: XsdElement): boolean => e.leaf === undefined;

  function normalise(p: XsdParticle, owner: string): ParticleIR | undefined {
    if (p.max === 0) return undefined;
    if (p.kind === 'element') {
      const e = p.element;
      if (isAggregate(e)) visit(e);
      return {
        kind: 'element',
        name: e.name,
        occurs: occurrenceOf(p.min, p.max, where(`${owner}/${e.name}`)),
        ...(e.leaf ? { leaf: e.leaf } : {}),
        attributes: e.leaf ? e.attributes : [],
      };
    }
    const items: ParticleIR[] = [];
    for (const item of p.items) {
      const n = normalise(item, owner);
      if (!n) continue;
      if (n.kind === p.kind && n.occurs === '1') items.push(...n.items);
      else items.push(n);
    }
    if (items.length === 0) return undefined;
    if (items.length === 1) return withOccurs(items[0]!, p.min, p.max, where(owner));
    return { kind: p.kind, occurs: occurrenceOf(p.min, p.max, where(owner)), items };
  }

  const seen = new Set<XsdElement>();
  function visit(e: XsdElement): void {
    if (seen.has(e)) return;
    seen.add(e);
    const content = e.content ? normalise(e.content, e.name) : undefined;
    const aggregate: AggregateIR = { name: e.name, attributes: e.attributes, ...(content ? { content } : {}) };
    const known = aggregates.get(e.name);
    // Two declarations with one name are fine only when they describe the same thing.
    if (known && JSON.stringify(known) !== JSON.stringify(aggregate)) {
      throw new Error(`two different aggregates are named ${where(e.name)}; the generator keys aggregates by name`);
    }
    aggregates.set(e.name, known ?? aggregate);
  }

  const requests: string[] = [];
  const responses: string[] = [];
  const rqSet = messageElements(schema, 'QBXMLMsgsRq');
  const rsSet = messageElements(schema, 'QBXMLMsgsRs');
  for (const message of messages) {
    const rq = rqSet.get(`${message}Rq`);
    const rs = rsSet.get(`${message}Rs`);
    if (!rq && !rs) continue;
    if (!rq || !rs) throw new Error(`${where(message)} has a request or a response but not both`);
    visit(rq);
    visit(rs);
    requests.push(rq.name);
    responses.push(rs.name);
  }
  for (const aggregate of aggregates.values()) checkNames(aggregate, where(aggregate.name));
  const byName = ([a]: [string, unknown], [b]: [string, unknown]): number => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = new Map([...aggregates].sort(byName));
  const otherRequests = [...rqSet.keys()].filter((name) => !requests.includes(name)).sort();
  const envelopes = ['QBXMLMsgsRq', 'QBXMLMsgsRs'].map((name) => ({ name, attributes: schema.element(name)?.attributes ?? [] }));
  return { schemaSet: schema.schemaSet, requests, responses, aggregates: sorted, otherRequests, envelopes };
}

/** The message elements (`…Rq` / `…Rs`) offered by `QBXMLMsgsRq` / `QBXMLMsgsRs`. */
function messageElements(schema: XsdSchema, container: string): Map<string, XsdElement> {
  const result = new Map<string, XsdElement>();
  const walk = (p: XsdParticle | undefined): void => {
    if (!p) return;
    if (p.kind === 'element') result.set(p.element.name, p.element);
    else p.items.forEach(walk);
  };
  walk(schema.element(container)?.content);
  return result;
}

/** Child element names must be unique within an aggregate and distinct from its attribute names. */
function checkNames(aggregate: AggregateIR, where: string): void {
  const seen = new Set(aggregate.attributes.map((a) => a.name));
  const walk = (p: ParticleIR): void => {
    if (p.kind !== 'element') return p.items.forEach(walk);
    if (seen.has(p.name)) throw new Error(`${where}: "${p.name}" appears twice (the object model needs unique keys)`);
    seen.add(p.name);
    for (const a of p.attributes) if (a.name === '#text') throw new Error(`${where}: attribute named #text`);
  };
  if (aggregate.content) walk(aggregate.content);
}

/** Every element of a content model in schema order, with whether it may repeat and whether it is required. */
export function flattenContent(content: ParticleIR | undefined): Array<{ element: Extract<ParticleIR, { kind: 'element' }>; repeats: boolean; required: boolean }> {
  const out: Array<{ element: Extract<ParticleIR, { kind: 'element' }>; repeats: boolean; required: boolean }> = [];
  const walk = (p: ParticleIR, repeats: boolean, required: boolean): void => {
    const [min, max] = boundsOf(p.occurs);
    const r = repeats || max > 1;
    const q = required && min > 0;
    if (p.kind === 'element') out.push({ element: p, repeats: r, required: q });
    else for (const item of p.items) walk(item, r, q && p.kind === 'sequence');
  };
  if (content) walk(content, false, true);
  return out;
}
