/**
 * Serialization of typed qbXML requests: writes the elements in schema order whatever order the object's keys
 * were set in (QuickBooks rejects the whole message set on an out-of-order element, HRESULT 0x80040400),
 * escapes text and attribute values, strips characters QuickBooks cannot take, leaves out undefined values
 * and writes arrays as repeated elements.
 *
 * It does not check values: run `validateRequest` first (the serializer writes what it is given, and throws
 * only when the object cannot be placed in the schema at all: an unknown key, a list for a single element,
 * an object for a text element).
 *
 * Why not fast-xml-parser's XMLBuilder: the builder writes keys in object order, so it would need an ordered
 * copy of every object first, and its entity handling does not strip control characters. Writing the string
 * directly from the compiled rules is one pass and keeps escaping in one place.
 */
import type { QbxmlRequests, QbxmlRequestType } from './generated/types.js';
import { qbxmlModel, type CompiledAggregate, type CompiledAttribute, type CompiledChild, type CompiledLeaf, type QbxmlModel } from './validate.js';

/** The object cannot be written as qbXML (unknown key, wrong shape). Validate first to get every problem at once. */
export class QbxmlSerializeError extends Error {
  override readonly name = 'QbxmlSerializeError';
  constructor(
    /** Where, in `validateRequest`'s path notation. */
    readonly path: string,
    message: string,
  ) {
    super(path === '' ? message : `${path}: ${message}`);
  }
}

export interface SerializeOptions {
  /** The `requestID` attribute: echoed on the response; at most 50 characters (QuickBooks status 1060). */
  readonly requestId: string;
  /** The qbXML version the message will carry (`"13.0"`, `"16.0"`, …): chooses the schema (element order). */
  readonly version: string;
  /**
   * Write every non-ASCII character as a numeric character reference (`&#233;`), for transports or
   * QuickBooks editions that mishandle UTF-8. Default false: characters are written as they are.
   */
  readonly asciiOnly?: boolean;
}

/**
 * A serialized request, shaped like the Web Connector engine's `OutboundRequest`
 * (src/qbwc/work/work-source.ts): `{ requestId, type, attributes, innerXml }`.
 */
export interface SerializedRequest {
  readonly requestId: string;
  /** The request element, e.g. `InvoiceAddRq`. */
  readonly type: QbxmlRequestType;
  /** The request element's attributes besides `requestID` (`iterator`, `iteratorID`, `metaData`), as text. */
  readonly attributes: Readonly<Record<string, string>>;
  /** The element's content: escaped and in schema order. */
  readonly innerXml: string;
}

// Characters XML 1.0 cannot carry or QuickBooks cannot store: C0 controls except tab/LF/CR, DEL, C1 controls,
// unpaired surrogates, U+FFFE and U+FFFF.
const UNWRITABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const NEEDS_WORK = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uD800-\uDFFF\uFFFE\uFFFF]/;
const NON_ASCII = /[^\u0000-\u007F]/u;
const NON_ASCII_GLOBAL = /[^\u0000-\u007F]/gu;
const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Escapes a value for qbXML text or attribute content: `& < > " '` become entities, characters QuickBooks
 * cannot take are removed, and with `asciiOnly` non-ASCII characters become numeric references.
 */
export function escapeQbxmlText(value: string, asciiOnly = false): string {
  let text = value;
  if (NEEDS_WORK.test(text)) text = text.replace(UNWRITABLE, '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);
  if (asciiOnly && NON_ASCII.test(text)) text = text.replace(NON_ASCII_GLOBAL, (c) => `&#${c.codePointAt(0)!};`);
  return text;
}

class Writer {
  constructor(
    private readonly model: QbxmlModel,
    private readonly asciiOnly: boolean,
  ) {}

  /** The content of an aggregate: its child elements in schema order. */
  content(aggregate: CompiledAggregate, value: Record<string, unknown>, path: string): string {
    const present: CompiledChild[] = [];
    for (const key of Object.keys(value)) {
      const v = value[key];
      if (v === undefined || v === null || aggregate.attributes.has(key)) continue;
      const child = aggregate.children.get(key);
      if (!child) throw new QbxmlSerializeError(join(path, key), `${aggregate.name} has no element ${JSON.stringify(key)} in qbXML ${this.model.schemaVersion}`);
      present.push(child);
    }
    // Usually already in order (objects built from the types); sort only when not.
    if (present.some((c, i) => i > 0 && present[i - 1]!.position > c.position)) present.sort((a, b) => a.position - b.position);
    let xml = '';
    for (const child of present) {
      const v = value[child.name];
      const childPath = join(path, child.name);
      if (child.repeats) {
        if (!Array.isArray(v)) throw new QbxmlSerializeError(childPath, `must be a list (${child.name} may repeat)`);
        for (let i = 0; i < v.length; i++) xml += this.element(child, v[i], `${childPath}[${i}]`);
      } else {
        if (Array.isArray(v)) throw new QbxmlSerializeError(childPath, `must be a single value (${child.name} does not repeat)`);
        xml += this.element(child, v, childPath);
      }
    }
    return xml;
  }

  /** The attributes of an element, e.g. ` defMacro="TxnID:1"` (skipping `skip`). */
  attributes(list: readonly CompiledAttribute[], value: Record<string, unknown>, skip?: string): string {
    let xml = '';
    for (const attribute of list) {
      const v = value[attribute.name];
      if (v === undefined || v === null || attribute.name === skip) continue;
      xml += ` ${attribute.name}="${this.text(attribute.leaf, v, attribute.name)}"`;
    }
    return xml;
  }

  private element(child: CompiledChild, value: unknown, path: string): string {
    if (value === undefined || value === null) throw new QbxmlSerializeError(path, 'list entries must not be undefined or null');
    const name = child.name;
    if (!child.leaf) {
      const aggregate = this.model.aggregate(name)!;
      if (typeof value !== 'object' || Array.isArray(value)) throw new QbxmlSerializeError(path, `must be an object (the ${name} aggregate)`);
      const record = value as Record<string, unknown>;
      return `<${name}${this.attributes(aggregate.attributeList, record)}>${this.content(aggregate, record, path)}</${name}>`;
    }
    if (child.textAttributes && typeof value === 'object' && !Array.isArray(value)) {
      const record = value as Record<string, unknown>;
      const attributes = this.attributes([...child.textAttributes.values()], record);
      return `<${name}${attributes}>${this.text(child.leaf, record['#text'], path)}</${name}>`;
    }
    return `<${name}>${this.text(child.leaf, value, path)}</${name}>`;
  }

  private text(leaf: CompiledLeaf, value: unknown, path: string): string {
    switch (typeof value) {
      case 'string':
        return escapeQbxmlText(value, this.asciiOnly);
      case 'boolean':
        return value ? 'true' : 'false';
      case 'number':
      case 'bigint':
        return String(value);
      default:
        throw new QbxmlSerializeError(path, `a ${leaf.base} value must be text, a boolean or a number, not ${value === null ? 'null' : typeof value}`);
    }
  }
}

const join = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`);

function requestAggregate(model: QbxmlModel, type: string): CompiledAggregate {
  const aggregate = model.requests.has(type) ? model.aggregate(type) : undefined;
  if (!aggregate) throw new QbxmlSerializeError('', `${type} is not a request of the generated message set in qbXML ${model.schemaVersion}`);
  return aggregate;
}

/**
 * Serializes a request into the Web Connector engine's request shape (`{ requestId, type, attributes, innerXml }`).
 * `options.requestId` is the `requestID` (a `requestID` property on the object is ignored).
 *
 * @example serializeRequest('CustomerQueryRq', { iterator: 'Start', MaxReturned: 100 }, { requestId: '1', version: '13.0' })
 */
export function serializeRequest<K extends QbxmlRequestType>(type: K, request: QbxmlRequests[K], options: SerializeOptions): SerializedRequest {
  const model = qbxmlModel(options.version);
  const aggregate = requestAggregate(model, type);
  const writer = new Writer(model, options.asciiOnly ?? false);
  if (typeof request !== 'object' || request === null || Array.isArray(request)) throw new QbxmlSerializeError('', `the ${type} request must be an object`);
  const record = request as unknown as Record<string, unknown>;
  const attributes: Record<string, string> = {};
  for (const attribute of aggregate.attributeList) {
    const v = record[attribute.name];
    if (attribute.name === 'requestID' || v === undefined || v === null) continue;
    attributes[attribute.name] = typeof v === 'boolean' ? String(v) : String(v as string | number);
  }
  return { requestId: options.requestId, type, attributes, innerXml: writer.content(aggregate, record, '') };
}

/** Serializes a request as its complete element: `<InvoiceAddRq requestID="1">…</InvoiceAddRq>`. */
export function serializeRequestElement<K extends QbxmlRequestType>(type: K, request: QbxmlRequests[K], options: SerializeOptions): string {
  return requestElement(serializeRequest(type, request, options), options.asciiOnly ?? false);
}

function requestElement(request: Pick<SerializedRequest, 'type' | 'requestId' | 'attributes' | 'innerXml'>, asciiOnly: boolean): string {
  const attributes = Object.entries({ requestID: request.requestId, ...request.attributes })
    .map(([name, value]) => ` ${name}="${escapeQbxmlText(value, asciiOnly)}"`)
    .join('');
  return `<${request.type}${attributes}>${request.innerXml}</${request.type}>`;
}

export interface RequestMessageOptions {
  /** The `<?qbxml version?>` of the message. */
  readonly version: string;
  /** `QBXMLMsgsRq onError`: QuickBooks Desktop accepts `stopOnError` and `continueOnError` (not `rollbackOnError`). */
  readonly onError?: 'stopOnError' | 'continueOnError';
}

/**
 * A complete qbXML request document (XML declaration, `<?qbxml version?>`, `QBXML`, `QBXMLMsgsRq`) holding
 * the given serialized requests in order. The Web Connector engine builds its own envelope; this one is for
 * tests, tools and the simulator.
 */
export function buildRequestMessage(requests: ReadonlyArray<Pick<SerializedRequest, 'type' | 'requestId' | 'attributes' | 'innerXml'>>, options: RequestMessageOptions): string {
  const body = requests.map((r) => requestElement(r, false)).join('');
  const version = escapeQbxmlText(options.version);
  return `<?xml version="1.0" encoding="utf-8"?><?qbxml version="${version}"?><QBXML><QBXMLMsgsRq onError="${options.onError ?? 'stopOnError'}">${body}</QBXMLMsgsRq></QBXML>`;
}
