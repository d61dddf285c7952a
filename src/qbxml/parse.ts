/**
 * Parsing of qbXML response messages into the generated types: every `…Rs` element of `QBXMLMsgsRs`, with its
 * status attributes, its `…Ret` aggregates, repeated elements as arrays wherever the XSD lets them repeat
 * (`maxOccurs` > 1, also when QuickBooks returned a single one), booleans and integers as `boolean`/`number`
 * per the XSD type and every other value as the text QuickBooks sent.
 *
 * Tolerance: QuickBooks' responses are not always what the schema says (fields of newer versions, values
 * that do not match their type). Nothing is dropped: an element the rules do not know is kept as text (or
 * as an object of its children), and a value that does not parse as its type stays the text it was.
 * Parsing refuses any DOCTYPE: QuickBooks never sends one, and entity declarations are how XML bombs work.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { QbxmlRequestType, QbxmlResponses, QbxmlResponseType, QbxmlResponseTypeOf } from './generated/types.js';
import { qbxmlModel, type CompiledAggregate, type CompiledChild, type CompiledLeaf, type QbxmlModel } from './validate.js';

/** The document is not a qbXML response message. */
export class QbxmlParseError extends Error {
  override readonly name = 'QbxmlParseError';
}

/** A response element outside the generated message set, read without a schema (all values are text). */
export interface UntypedQbxmlResponse {
  readonly requestID?: string;
  readonly statusCode: number;
  readonly statusSeverity: string;
  readonly statusMessage?: string;
  readonly [name: string]: unknown;
}

/** One `…Rs` element, in document order: typed when it is in the message set. */
export type ParsedResponseItem =
  | { [K in QbxmlResponseType]: { readonly type: K; readonly supported: true; readonly response: QbxmlResponses[K] } }[QbxmlResponseType]
  | { readonly type: string; readonly supported: false; readonly response: UntypedQbxmlResponse };

/** The responses of a message by element name, each list in document order: `{ InvoiceAddRs: [{ statusCode, InvoiceRet, … }] }`. */
export type QbxmlResponseSet = { [K in QbxmlResponseType]?: Array<QbxmlResponses[K]> };

export interface ParseOptions {
  /**
   * The qbXML version of the request message the response answers. Default `"16.0"`: the 16.0 schema only
   * adds to 13.0 for the message set, so it reads responses of every version.
   */
  readonly version?: string;
}

type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  // An empty table of HTML names keeps the five XML entities and turns on numeric references (&#233;); the
  // option's type says boolean, the parser also takes a table (OptionsBuilder / OrderedObjParser).
  htmlEntities: {} as unknown as boolean,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false as unknown as string,
});

function tagOf(node: OrderedNode): string | undefined {
  for (const key in node) if (key !== ':@') return key;
  return undefined;
}
function childrenOf(node: OrderedNode): OrderedNode[] {
  const tag = tagOf(node);
  return tag ? ((node[tag] as OrderedNode[] | undefined) ?? []) : [];
}
function attributesOf(node: OrderedNode): Record<string, string> | undefined {
  return node[':@'] as Record<string, string> | undefined;
}
function textOf(node: OrderedNode): string {
  let text = '';
  for (const child of childrenOf(node)) if ('#text' in child) text += String(child['#text']);
  return text;
}
function elementChildren(node: OrderedNode): OrderedNode[] {
  return childrenOf(node).filter((c) => !('#text' in c));
}

const INTEGER = /^[+-]?\d+$/;

function leafValue(leaf: CompiledLeaf, text: string): unknown {
  if (leaf.base === 'BOOLTYPE') {
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
    return text;
  }
  if (leaf.base === 'INTTYPE' && INTEGER.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : text;
  }
  return text;
}

/** Puts `value` under `name`: as a list entry when the element repeats (or repeats in the document). */
function put(target: Record<string, unknown>, name: string, value: unknown, repeats: boolean): void {
  const existing = target[name];
  if (repeats) {
    if (Array.isArray(existing)) existing.push(value);
    else target[name] = [value];
  } else if (existing === undefined) {
    target[name] = value;
  } else {
    target[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
}

class Reader {
  constructor(private readonly model: QbxmlModel) {}

  aggregate(aggregate: CompiledAggregate, node: OrderedNode): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    const attributes = attributesOf(node);
    if (attributes) {
      for (const [name, text] of Object.entries(attributes)) {
        const attribute = aggregate.attributes.get(name);
        result[name] = attribute ? leafValue(attribute.leaf, text) : text;
      }
    }
    for (const child of elementChildren(node)) {
      const name = tagOf(child)!;
      const rule = aggregate.children.get(name);
      if (rule) put(result, name, this.child(rule, child), rule.repeats);
      else put(result, name, untyped(child), false);
    }
    return result;
  }

  private child(rule: CompiledChild, node: OrderedNode): unknown {
    if (!rule.leaf) {
      const aggregate = this.model.aggregate(rule.name);
      return aggregate ? this.aggregate(aggregate, node) : untyped(node);
    }
    const value = leafValue(rule.leaf, textOf(node));
    const attributes = attributesOf(node);
    if (!attributes) return value;
    const result: Record<string, unknown> = { '#text': value };
    for (const [name, text] of Object.entries(attributes)) {
      const attribute = rule.textAttributes?.get(name);
      result[name] = attribute ? leafValue(attribute.leaf, text) : text;
    }
    return result;
  }
}

/** An element read without rules: text, or an object of attributes and children (arrays where repeated). */
function untyped(node: OrderedNode): unknown {
  const elements = elementChildren(node);
  const attributes = attributesOf(node);
  if (elements.length === 0) return attributes ? { '#text': textOf(node), ...attributes } : textOf(node);
  const result: Record<string, unknown> = { ...attributes };
  for (const child of elements) put(result, tagOf(child)!, untyped(child), false);
  return result;
}

function untypedResponse(node: OrderedNode): UntypedQbxmlResponse {
  const raw = untyped(node);
  const record = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  delete record['#text'];
  const statusCode = Number(record['statusCode']);
  return { ...record, statusCode, statusSeverity: String(record['statusSeverity'] ?? '') } as UntypedQbxmlResponse;
}

function documentNodes(xml: string): OrderedNode[] {
  // A string scan, not XML parsing: any DOCTYPE is refused before the parser sees it.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new QbxmlParseError('the response declares a DOCTYPE or entities, which QuickBooks never does');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new QbxmlParseError(`the response is not well-formed XML (${valid.err.msg}, line ${valid.err.line})`);
  return parser.parse(xml) as OrderedNode[];
}

/**
 * Every `…Rs` element of a response message, in document order; typed (with `supported: true`) when it is in
 * the generated message set. Throws QbxmlParseError when the text is not a qbXML response message.
 */
export function parseResponseItems(xml: string, options: ParseOptions = {}): ParsedResponseItem[] {
  const model = qbxmlModel(options.version ?? '16.0');
  const root = documentNodes(xml).find((n) => tagOf(n) === 'QBXML');
  const messages = root && elementChildren(root).find((n) => tagOf(n) === 'QBXMLMsgsRs');
  if (!messages) throw new QbxmlParseError('the response has no QBXML/QBXMLMsgsRs element');
  const reader = new Reader(model);
  const items: ParsedResponseItem[] = [];
  for (const node of elementChildren(messages)) {
    const type = tagOf(node)!;
    const isSupported = type.endsWith('Rs') && model.requests.has(`${type.slice(0, -2)}Rq`);
    const aggregate = isSupported ? model.aggregate(type) : undefined;
    if (aggregate) {
      items.push({ type, supported: true, response: reader.aggregate(aggregate, node) } as unknown as ParsedResponseItem);
    } else {
      items.push({ type, supported: false, response: untypedResponse(node) });
    }
  }
  return items;
}

/**
 * The responses of a message by element name (`{ CustomerQueryRs: [{ statusCode: 0, CustomerRet: [...] }] }`).
 * Responses outside the generated message set are left out: use `parseResponseItems` to see them.
 * Throws QbxmlParseError when the text is not a qbXML response message.
 */
export function parseResponse(xml: string, options: ParseOptions = {}): QbxmlResponseSet {
  const set: Record<string, unknown[]> = {};
  for (const item of parseResponseItems(xml, options)) {
    if (item.supported) (set[item.type] ??= []).push(item.response);
  }
  return set as QbxmlResponseSet;
}

/** The response element name of a request element name: `responseTypeOf('InvoiceAddRq')` → `'InvoiceAddRs'`. */
export function responseTypeOf<K extends QbxmlRequestType>(type: K): QbxmlResponseTypeOf<K> {
  return `${type.slice(0, -2)}Rs` as QbxmlResponseTypeOf<K>;
}
