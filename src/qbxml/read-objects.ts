/**
 * A one-pass reader of QuickBooks' answers into plain objects, checking well-formedness as it goes. It reads
 * what fast-xml-parser read them into before (options `ignoreAttributes: false, attributeNamePrefix: '',
 * parseTagValue: false, trimValues: true, processEntities: true`, declaration and processing instructions
 * ignored), with none of its generality: a receiveResponseXML of 50 invoices with their lines was validated by
 * one pass of XMLValidator and parsed by another, about a fifth of the Web Connector drain's CPU (issue #17).
 *
 * The shape: an element with neither attributes nor children is its text ("" when empty); otherwise an object of
 * its attributes and children, with its text as `#text` when it has any; a name repeated among siblings is an
 * array. Text is trimmed per run (text around child elements is joined), attribute values are trimmed (QuickBooks
 * ends some statusMessages with a space), the five XML entities are decoded,
 * character references are left as written, comments and processing instructions are skipped, CDATA is text.
 * DOCTYPE and entity declarations are refused, not read.
 */

export class XmlReadError extends Error {
  override readonly name = 'XmlReadError';
}

type Value = string | Record<string, unknown>;

interface Open {
  readonly name: string;
  /** Its children, then (as fast-xml-parser ordered them) its text and attributes. */
  object: Record<string, unknown> | undefined;
  attributes: Record<string, string> | undefined;
  text: string;
}

const NAME = /[A-Za-z_:][\w.:-]*/y;
const ATTRIBUTE = /\s+([A-Za-z_:][\w.:-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;
const TAG_END = /\s*(\/?)>/y;
const ENTITY = /&(lt|gt|amp|quot|apos);/g;
/** An ampersand that does not start a reference (`&name;`, `&#123;`, `&#x1F;`). */
const BARE_AMPERSAND = /&(?![A-Za-z_][\w.-]*;|#\d+;|#x[0-9A-Fa-f]+;)/;
/** Names that would reach into the objects' prototype (refused, as fast-xml-parser refused them). */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);
const DECODED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Reads a document into `{ [root element]: value }`; throws XmlReadError when it is not well-formed. */
export function readXmlObjects(xml: string): Record<string, unknown> {
  const stack: Open[] = [];
  let root: Record<string, unknown> | undefined;
  let i = 0;
  const fail = (message: string, at: number): never => {
    throw new XmlReadError(`${message}, line ${lineOf(xml, at)}`);
  };
  const text = (raw: string, at: number, decode: boolean) => {
    const trimmed = raw.trim();
    if (trimmed === '') return;
    const open = stack[stack.length - 1];
    if (!open) fail('text outside the document element', at);
    open!.text += decode ? decoded(trimmed, at, fail) : trimmed;
  };
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt === -1 ? xml.length : lt;
    if (textEnd > i) text(xml.slice(i, textEnd), i, true);
    if (lt === -1) break;
    const next = xml.charCodeAt(lt + 1);
    if (next === 0x2f /* / */) {
      const end = xml.indexOf('>', lt);
      if (end === -1) fail('unclosed end tag', lt);
      const name = xml.slice(lt + 2, end).trimEnd();
      const open = stack.pop();
      if (!open || open.name !== name) fail(open ? `</${name}> closes <${open.name}>` : `</${name}> closes nothing`, lt);
      const value = valueOf(open!);
      const parent = stack[stack.length - 1];
      if (parent) addChild(parent, name, value);
      else root = { [name]: value };
      i = end + 1;
    } else if (next === 0x21 /* ! */) {
      if (xml.startsWith('<!--', lt)) {
        const end = xml.indexOf('-->', lt + 4);
        if (end === -1) fail('unclosed comment', lt);
        i = end + 3;
      } else if (xml.startsWith('<![CDATA[', lt)) {
        const end = xml.indexOf(']]>', lt + 9);
        if (end === -1) fail('unclosed CDATA section', lt);
        text(xml.slice(lt + 9, end), lt, false);
        i = end + 3;
      } else {
        fail('declarations (DOCTYPE, ENTITY) are not accepted', lt);
      }
    } else if (next === 0x3f /* ? */) {
      const end = xml.indexOf('?>', lt + 2);
      if (end === -1) fail('unclosed processing instruction', lt);
      i = end + 2;
    } else {
      NAME.lastIndex = lt + 1;
      const name = NAME.exec(xml)?.[0];
      if (!name || RESERVED.has(name)) fail(name ? `<${name}> is a reserved name` : 'a tag without a valid name', lt);
      if (stack.length === 0 && root) fail('a second document element', lt);
      const open: Open = { name: name!, object: undefined, attributes: undefined, text: '' };
      let at = lt + 1 + name!.length;
      for (;;) {
        ATTRIBUTE.lastIndex = at;
        const attribute = ATTRIBUTE.exec(xml);
        if (!attribute) break;
        open.attributes ??= {};
        if (RESERVED.has(attribute[1]!) || Object.hasOwn(open.attributes, attribute[1]!)) fail(`attribute ${attribute[1]} given twice or reserved`, at);
        open.attributes[attribute[1]!] = decoded((attribute[2] ?? attribute[3]!).trim(), at, fail);
        at = ATTRIBUTE.lastIndex;
      }
      TAG_END.lastIndex = at;
      const end = TAG_END.exec(xml);
      if (!end) fail(`<${name}> is not a well-formed tag`, lt);
      i = TAG_END.lastIndex;
      if (end![1]) {
        // <name/>: opened and closed at once.
        const value = valueOf(open);
        const parent = stack[stack.length - 1];
        if (parent) addChild(parent, name!, value);
        else root = { [name!]: value };
      } else {
        stack.push(open);
      }
    }
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1]!.name}> is never closed`, xml.length);
  if (!root) fail('no document element', xml.length);
  return root!;
}

function valueOf(open: Open): Value {
  if (!open.object && !open.attributes) return open.text;
  const object = open.object ?? {};
  if (open.text !== '') object['#text'] = open.text;
  for (const name in open.attributes) if (!Object.hasOwn(object, name)) object[name] = open.attributes[name];
  return object;
}

function addChild(parent: Open, name: string, value: Value): void {
  const object = (parent.object ??= {});
  const existing = Object.hasOwn(object, name) ? object[name] : undefined;
  if (existing === undefined) object[name] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else object[name] = [existing, value];
}

function decoded(raw: string, at: number, fail: (message: string, at: number) => never): string {
  if (!raw.includes('&')) return raw;
  if (BARE_AMPERSAND.test(raw)) fail('an & that starts no entity or character reference', at);
  return raw.replace(ENTITY, (_, name: string) => DECODED[name]!);
}

function lineOf(xml: string, at: number): number {
  let line = 1;
  for (let i = xml.indexOf('\n'); i !== -1 && i < at; i = xml.indexOf('\n', i + 1)) line++;
  return line;
}
