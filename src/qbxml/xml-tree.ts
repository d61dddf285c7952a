/**
 * A small ordered element tree for reading qbXML requests. fast-xml-parser's `preserveOrder` output keeps
 * element order (which matters: requests in a message set, invoice lines) but is awkward to walk; this
 * turns it into `{ name, attributes, text, children }` with lookup helpers.
 */
import { XMLParser } from 'fast-xml-parser';

/** One element of a parsed document. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Concatenated text content directly inside the element (trimmed). */
  readonly text: string;
  readonly children: readonly XmlElement[];
}

/** A processing instruction (`<?qbxml version="13.0"?>`) with its pseudo-attributes. */
export interface XmlInstruction {
  readonly target: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** A parsed document: its top-level processing instructions and its root element. */
export interface XmlDocumentTree {
  readonly instructions: readonly XmlInstruction[];
  readonly root: XmlElement | undefined;
}

const ATTR_PREFIX = '@_';
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: ATTR_PREFIX,
  // Values stay text: "00012" is a RefNumber, not the number 12.
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: false,
  ignorePiTags: false,
  processEntities: true,
  htmlEntities: true,
  // No callback here reads the element path: without this the parser builds its string for every node.
  jPath: false,
});

type RawNode = Record<string, unknown>;

const NO_ATTRIBUTES: Readonly<Record<string, string>> = Object.freeze({});

function attributesOf(raw: RawNode): Record<string, string> {
  const attrs = raw[':@'] as Record<string, unknown> | undefined;
  if (!attrs) return NO_ATTRIBUTES;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) if (k.startsWith(ATTR_PREFIX)) out[k.slice(ATTR_PREFIX.length)] = String(v);
  return out;
}

/** A node's one key besides its attributes (`:@`): the tag name, `#text`, `?target` or `!…`. */
function keyOf(node: RawNode): string | undefined {
  for (const key in node) if (key !== ':@') return key;
  return undefined;
}

function toElement(name: string, raw: RawNode): XmlElement {
  const content = (raw[name] as RawNode[] | undefined) ?? [];
  const children: XmlElement[] = [];
  let text = '';
  for (const node of content) {
    const key = keyOf(node);
    if (key === undefined) continue;
    if (key === '#text') text += String(node[key]);
    else if (!key.startsWith('?') && !key.startsWith('!')) children.push(toElement(key, node));
  }
  return { name, attributes: attributesOf(raw), text: text.trim(), children };
}

/** Thrown when the text is not well-formed XML. */
export class XmlSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlSyntaxError';
  }
}

/** Parses a document; throws {@link XmlSyntaxError} when it is not well-formed. */
export function parseXmlDocument(xml: string): XmlDocumentTree {
  let raw: RawNode[];
  try {
    raw = parser.parse(xml, true) as RawNode[];
  } catch (error) {
    throw new XmlSyntaxError(error instanceof Error ? error.message : String(error));
  }
  if (raw === undefined || typeof raw !== 'object' || !Array.isArray(raw)) {
    throw new XmlSyntaxError(typeof raw === 'object' ? 'not a document' : String(raw));
  }
  const instructions: XmlInstruction[] = [];
  let root: XmlElement | undefined;
  for (const node of raw) {
    const key = keyOf(node);
    if (key === undefined || key === '#text') continue;
    if (key.startsWith('?')) instructions.push({ target: key.slice(1), attributes: attributesOf(node) });
    else if (!root) root = toElement(key, node);
  }
  return { instructions, root };
}

/** The first child element named `name`. */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

/** All child elements named `name`, in document order. */
export function childrenNamed(element: XmlElement | undefined, name: string): XmlElement[] {
  return element ? element.children.filter((c) => c.name === name) : [];
}

/** Text of the first child named `name` (undefined when absent). */
export function childText(element: XmlElement | undefined, name: string): string | undefined {
  return child(element, name)?.text;
}

/** Texts of all children named `name`. */
export function childTexts(element: XmlElement | undefined, name: string): string[] {
  return childrenNamed(element, name).map((c) => c.text);
}

/** qbXML BOOLTYPE: `true`/`1` are true, `false`/`0` false; undefined when absent or empty. */
export function childBoolean(element: XmlElement | undefined, name: string): boolean | undefined {
  const text = childText(element, name);
  if (text === undefined || text === '') return undefined;
  return text === 'true' || text === '1';
}
