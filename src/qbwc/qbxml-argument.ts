/**
 * A Web Connector call's qbXML argument, lifted out of its envelope before the envelope is parsed.
 *
 * receiveResponseXML carries QuickBooks' whole answer (often hundreds of KB) as the escaped text of one element,
 * sendRequestXML's first call its host, company and preferences answer. Left in the envelope, that text was read
 * three times a call — by the well-formedness check, by the `soap` package's sax parser (character by character,
 * entity by entity), then by our qbXML reader — about a sixth of the drain's CPU (issue #17). Here the element is
 * found with a few anchored patterns, its text is decoded and checked in one pass, and the envelope goes on
 * with the element emptied (its line breaks kept, so line numbers in later errors stay true): the checks and the
 * `soap` package then read a few hundred bytes.
 *
 * Only plain text in the shape QBWC writes is lifted: the operation's arguments before it are simple elements,
 * and nothing before it is a comment, CDATA, DOCTYPE or processing instruction (a `<` there could be other
 * than markup). Since only text without `<` is removed, every tag stays for the envelope's checks to judge.
 * Anything else stays in the envelope and is read the slow way, with the same outcome.
 */
import type { QbwcOperationName } from './wsdl.js';
import { scanCallHead, XML_NAME } from './soap-body.js';

/** The argument of each operation that carries qbXML. */
const QBXML_ARGUMENTS: Partial<Record<QbwcOperationName, string>> = { sendRequestXML: 'strHCPResponse', receiveResponseXML: 'response' };

export interface LiftedArgument {
  readonly name: string;
  /** The text as the `soap` package gives an argument: references decoded, trimmed. */
  readonly text: string;
}

export type EnvelopeRead =
  | { readonly ok: true; readonly envelope: string; readonly lifted?: LiftedArgument }
  | { readonly ok: false; readonly reason: string; readonly line: number };

const ATTRIBUTES = `(?:\\s+${XML_NAME}(?::${XML_NAME})?\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*\\s*`;
/**
 * An argument's start tag (sticky, at the end of the previous sibling); 1: its qualified name, 2: local name,
 * 3: its attributes, 4: "/" when empty.
 */
const START_TAG = new RegExp(`\\s*<((?:${XML_NAME}:)?(${XML_NAME}))(${ATTRIBUTES})(/?)>`, 'y');
/** Markup whose content is not tags: before the lifted text, a `<` inside it would not be markup. */
const OPAQUE_MARKUP = /<[!?]/;
const XML_DECLARATION = /^\s*<\?xml\b[^<>]*\?>/;
const PREDEFINED: ReadonlyArray<readonly [name: string, character: string]> = [['lt;', '<'], ['gt;', '>'], ['amp;', '&'], ['quot;', '"'], ['apos;', "'"]];
/** A character reference at an `&` (sticky); 1: hexadecimal, 2: decimal. */
const CHARACTER_REFERENCE = /&#(?:x([0-9A-Fa-f]+)|([0-9]+));/y;

/** `xml` with the operation's qbXML argument lifted out when it is plain text, or why its text is not well-formed. */
export function liftQbxmlArgument(xml: string): EnvelopeRead {
  const { operation, operationEnd } = scanCallHead(xml);
  const name = operation === undefined ? undefined : QBXML_ARGUMENTS[operation as QbwcOperationName];
  if (name === undefined || operationEnd === undefined || xml[operationEnd - 2] === '/') return { ok: true, envelope: xml };
  let at = operationEnd;
  for (;;) {
    START_TAG.lastIndex = at;
    const tag = START_TAG.exec(xml);
    if (!tag) return { ok: true, envelope: xml };
    at = START_TAG.lastIndex;
    if (tag[4] === '/') continue;
    const textEnd = xml.indexOf('<', at);
    if (textEnd === -1 || !endTagAt(xml, textEnd, tag[1]!)) return { ok: true, envelope: xml };
    // With attributes the `soap` package reads the argument as an object, not as text: left to it.
    if (tag[2] === name) return tag[3]!.trim() === '' ? lift(xml, name, at, textEnd) : { ok: true, envelope: xml };
    at = xml.indexOf('>', textEnd) + 1;
  }
}

function endTagAt(xml: string, at: number, qualifiedName: string): boolean {
  return xml.startsWith(`</${qualifiedName}`, at) && /^\s*>/.test(xml.slice(at + 2 + qualifiedName.length, at + 2 + qualifiedName.length + 64));
}

function lift(xml: string, name: string, start: number, end: number): EnvelopeRead {
  if (OPAQUE_MARKUP.test(xml.slice(0, start).replace(XML_DECLARATION, ''))) return { ok: true, envelope: xml };
  const raw = xml.slice(start, end);
  const text = decoded(raw);
  if (typeof text === 'number') {
    const reference = /^&[^\s&;<]{0,32};?/.exec(raw.slice(text))![0];
    return { ok: false, reason: `"${reference}" in ${name} is not a reference XML knows`, line: lineAt(xml, start + text) };
  }
  return { ok: true, envelope: xml.slice(0, start) + lineBreaks(raw) + xml.slice(end), lifted: { name, text: text.trim() } };
}

/**
 * The text with its references decoded, or the offset of the first `&` that starts none XML knows. A loop of
 * indexOf and slices: a regular expression with a replacer function, one call per reference, cost as much as
 * the sax parser it replaces (tens of thousands of `&lt;`/`&gt;` in an answer).
 */
function decoded(raw: string): string | number {
  let text = '';
  let copied = 0;
  for (let at = raw.indexOf('&'); at !== -1; at = raw.indexOf('&', copied)) {
    text += raw.slice(copied, at);
    const named = PREDEFINED.find(([name]) => raw.startsWith(name, at + 1));
    if (named) {
      text += named[1];
      copied = at + 1 + named[0].length;
      continue;
    }
    CHARACTER_REFERENCE.lastIndex = at;
    const numeric = CHARACTER_REFERENCE.exec(raw);
    const character = numeric && xmlCharacter(numeric[1] !== undefined ? parseInt(numeric[1], 16) : parseInt(numeric[2]!, 10));
    if (!character) return at;
    text += character;
    copied = CHARACTER_REFERENCE.lastIndex;
  }
  return text + raw.slice(copied);
}

/** The character of a code point, or undefined when XML has no such character. */
function xmlCharacter(code: number): string | undefined {
  const isXmlChar =
    code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
  return isXmlChar ? String.fromCodePoint(code) : undefined;
}

function lineBreakCount(text: string, end = text.length): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < end; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/** The line breaks of the text, and nothing else. */
function lineBreaks(text: string): string {
  return '\n'.repeat(lineBreakCount(text));
}

function lineAt(xml: string, offset: number): number {
  return lineBreakCount(xml, offset) + 1;
}
