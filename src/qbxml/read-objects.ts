/**
 * QuickBooks' answers read into plain objects: @rgrove/parse-xml (a strict XML 1.0 parser, no dependencies)
 * checks and parses them in one pass, and its tree becomes the objects the session engine reads — the shape
 * fast-xml-parser gave with `ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false,
 * trimValues: true, processEntities: true`, whose validator and parser, one pass each, were about a fifth of
 * the Web Connector drain's CPU (issue #17).
 *
 * The shape: an element with neither attributes nor children is its text ("" when empty); otherwise an object of
 * its children, then its text as `#text` when it has any, then its attributes; a name repeated among siblings is
 * an array. Text is trimmed per run (text around child elements is joined), attribute values are trimmed
 * (QuickBooks ends some statusMessages with a space); entity and character references are decoded (fast-xml-parser
 * left `&#233;` as written, so a name QuickBooks sent that way never matched); comments and processing
 * instructions are dropped, CDATA is text. Entity declarations cannot be used
 * (the parser knows none but XML's five), so no document can expand.
 */
import { parseXml, XmlCdata, XmlElement, XmlError, XmlText } from '@rgrove/parse-xml';

export class XmlReadError extends Error {
  override readonly name = 'XmlReadError';
}

/** Names that would reach into the objects' prototype. */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/** Reads a document into `{ [root element]: value }`; throws XmlReadError when it is not well-formed. */
export function readXmlObjects(xml: string): Record<string, unknown> {
  let root: XmlElement | null;
  try {
    root = parseXml(xml).root;
  } catch (error) {
    if (error instanceof XmlError) throw new XmlReadError(error.message.split('\n')[0]!);
    throw error;
  }
  if (!root) throw new XmlReadError('no document element');
  return { [checkedName(root.name)]: valueOf(root) };
}

function valueOf(element: XmlElement): unknown {
  let children: Record<string, unknown> | undefined;
  let text = '';
  for (const child of element.children) {
    if (child instanceof XmlElement) {
      const name = checkedName(child.name);
      const value = valueOf(child);
      children ??= {};
      const seen = children[name];
      if (seen === undefined) children[name] = value;
      else if (Array.isArray(seen)) seen.push(value);
      else children[name] = [seen, value];
    } else if (child instanceof XmlText || child instanceof XmlCdata) {
      text += child.text.trim();
    }
  }
  const attributes = Object.keys(element.attributes);
  if (!children && attributes.length === 0) return text;
  const value: Record<string, unknown> = children ?? {};
  if (text !== '') value['#text'] = text;
  for (const name of attributes) value[checkedName(name)] = element.attributes[name]!.trim();
  return value;
}

function checkedName(name: string): string {
  if (RESERVED.has(name)) throw new XmlReadError(`the reserved name ${name}`);
  return name;
}
