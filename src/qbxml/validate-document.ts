/**
 * Validation of whole qbXML documents (text) against the generated rules: what the simulator checks before
 * it runs a message, as QuickBooks checks it against Intuit's XSD (0x80040400 for anything the schema rejects,
 * status 3070 for a value that is only too long).
 *
 * Why not libxml2 with the XSDs: the XSDs are not in the repository, and the simulator must run on a bare
 * clone. The rules are generated from the same XSDs (element order, occurrences, choices, unknown elements,
 * attributes, value formats, enumerations, lengths, integer ranges), so this answers the same way for the
 * message set; `xsd/validator.ts` (libxml2 + the XSDs) stays as the tests' independent oracle when the spec
 * folder is there. Problems use the oracle's shape and libxml2's wording so callers need not care which ran.
 *
 * Requests of the schema outside the message set (e.g. `SalesRepQueryRq`) are known by name only
 * (`OTHER_REQUESTS_*`): they pass unchecked, so the simulator can answer them with "not supported" (1030) as
 * it does with the XSDs; a name the schema does not have is rejected.
 */
import { ENVELOPES, OTHER_REQUESTS_130, OTHER_REQUESTS_160 } from './generated/rules.js';
import {
  compileAttributes,
  qbxmlModelOfSet,
  textIssues,
  type CompiledAggregate,
  type CompiledAttribute,
  type CompiledChild,
  type CompiledLeaf,
  type CompiledParticle,
  type QbxmlModel,
} from './validate.js';
import { parseXmlDocument, XmlSyntaxError, type XmlDocumentTree, type XmlElement } from './xml-tree.js';
import type { XsdProblem, XsdValidateOptions, XsdValidationResult } from './xsd/validator.js';
import { parseQbxmlVersion, schemaSetFor, type QbxmlSchemaSet } from './xsd/versions.js';

/** Validates whole qbXML documents; the generated rules ({@link rulesDocumentValidator}) or libxml2 with the XSDs. */
export interface QbxmlDocumentValidator {
  validate(xml: string, options?: QbxmlDocumentValidateOptions): XsdValidationResult;
}

export interface QbxmlDocumentValidateOptions extends XsdValidateOptions {
  /** `xml` as the caller already parsed it ({@link parseXmlDocument}): the rules check it instead of parsing again. */
  readonly tree?: XmlDocumentTree;
}

/** The validator from the generated rules: no files, nothing to load. */
export const rulesDocumentValidator: QbxmlDocumentValidator = { validate: validateQbxmlDocument };

const OTHER_REQUESTS: Record<QbxmlSchemaSet, ReadonlySet<string>> = { '130': new Set(OTHER_REQUESTS_130), '160': new Set(OTHER_REQUESTS_160) };
const ENVELOPE_ATTRIBUTES = (name: string): ReadonlyMap<string, CompiledAttribute> =>
  new Map(compileAttributes(ENVELOPES[name]?.attributes).map((a) => [a.name, a]));
const MSGS_RQ_ATTRIBUTES = ENVELOPE_ATTRIBUTES('QBXMLMsgsRq');
const MSGS_RS_ATTRIBUTES = ENVELOPE_ATTRIBUTES('QBXMLMsgsRs');

/** Validates one document against the rules of its `<?qbxml version?>` (or `options.schemaSet`, for responses). */
export function validateQbxmlDocument(xml: string, options: QbxmlDocumentValidateOptions = {}): XsdValidationResult {
  let tree = options.tree;
  try {
    tree ??= parseXmlDocument(xml);
  } catch (error) {
    if (!(error instanceof XmlSyntaxError)) throw error;
    return { valid: false, schemaSet: options.schemaSet, problems: [{ kind: 'not-well-formed', line: 0, column: 0, message: error.message }] };
  }
  if (!tree.root) return { valid: false, schemaSet: options.schemaSet, problems: [{ kind: 'not-well-formed', line: 0, column: 0, message: 'The document has no root element.' }] };
  const versionText = tree.instructions.find((i) => i.target === 'qbxml')?.attributes['version'];
  const parsed = versionText === undefined ? undefined : parseQbxmlVersion(versionText);
  const schemaSet = options.schemaSet ?? (parsed && schemaSetFor(parsed));
  if (!schemaSet) {
    return {
      valid: false,
      schemaSet: undefined,
      problems: [{ kind: 'no-version', line: 0, column: 0, message: 'The document has no usable <?qbxml version="X.Y"?> processing instruction.' }],
    };
  }
  const checker = new DocumentChecker(qbxmlModelOfSet(schemaSet), OTHER_REQUESTS[schemaSet]);
  checker.document(tree.root);
  return { valid: checker.problems.length === 0, schemaSet, problems: checker.problems };
}

class DocumentChecker {
  readonly problems: XsdProblem[] = [];

  constructor(
    private readonly model: QbxmlModel,
    private readonly otherRequests: ReadonlySet<string>,
  ) {}

  private report(path: string, message: string, tooLong?: XsdProblem['tooLong']): void {
    this.problems.push({ kind: 'invalid', line: 0, column: 0, message, path, ...(tooLong ? { tooLong } : {}) });
  }

  document(root: XmlElement): void {
    if (root.name !== 'QBXML') return this.report(`/${root.name}`, `Element '${root.name}': No matching global declaration available for the validation root.`);
    this.attributes(root, new Map(), '/QBXML');
    if (root.children.length > 1) return this.report(`/QBXML/${root.children[1]!.name}`, `Element '${root.children[1]!.name}': This element is not expected.`);
    const messages = root.children[0];
    if (!messages) return;
    const path = `/QBXML/${messages.name}`;
    const isRequest = messages.name === 'QBXMLMsgsRq';
    if (!isRequest && messages.name !== 'QBXMLMsgsRs') {
      return this.report(path, `Element '${messages.name}': This element is not expected. Expected is one of ( QBXMLMsgsRq, QBXMLMsgsRs ).`);
    }
    this.attributes(messages, isRequest ? MSGS_RQ_ATTRIBUTES : MSGS_RS_ATTRIBUTES, path);
    const steps = xpathSteps(messages.children);
    for (const [index, message] of messages.children.entries()) {
      const messagePath = `${path}/${steps[index]}`;
      const rqName = isRequest ? message.name : message.name.replace(/Rs$/, 'Rq');
      const aggregate = this.model.requests.has(rqName) ? this.model.aggregate(message.name) : undefined;
      if (aggregate) this.aggregate(message, aggregate, messagePath);
      else if (!this.otherRequests.has(rqName) || (!isRequest && !message.name.endsWith('Rs'))) {
        this.report(messagePath, `Element '${message.name}': This element is not expected.`);
      }
    }
  }

  private attributes(element: XmlElement, declared: ReadonlyMap<string, CompiledAttribute>, path: string): void {
    for (const [name, value] of Object.entries(element.attributes)) {
      if (name === 'xmlns' || name.startsWith('xmlns:') || name.startsWith('xsi:')) continue;
      const attribute = declared.get(name);
      if (!attribute) this.report(path, `Element '${element.name}', attribute '${name}': The attribute '${name}' is not allowed.`);
      else this.text(attribute.leaf, value, path, `Element '${element.name}', attribute '${name}'`, name);
    }
    for (const attribute of declared.values()) {
      if (attribute.required && element.attributes[attribute.name] === undefined) {
        this.report(path, `Element '${element.name}': The attribute '${attribute.name}' is required but missing.`);
      }
    }
  }

  private aggregate(element: XmlElement, aggregate: CompiledAggregate, path: string): void {
    this.attributes(element, aggregate.attributes, path);
    if (element.text !== '') {
      this.report(path, `Element '${element.name}': Character content other than whitespace is not allowed because the content type is 'element-only'.`);
    }
    const names = element.children.map((c) => c.name);
    const mismatch = matchContentCached(aggregate.content, names);
    // Problems in document order, as libxml2 reports them: the children before a misplaced one come first.
    const steps = xpathSteps(element.children);
    for (const [index, child] of element.children.slice(0, mismatch ? mismatch.at : undefined).entries()) {
      this.child(child, aggregate.children.get(child.name)!, `${path}/${steps[index]}`);
    }
    if (mismatch) {
      const expected = mismatch.expected.length > 0 ? ` Expected is ${mismatch.expected.length > 1 ? 'one of ' : ''}( ${mismatch.expected.join(', ')} ).` : '';
      if (mismatch.at < names.length) this.report(`${path}/${steps[mismatch.at]}`, `Element '${names[mismatch.at]}': This element is not expected.${expected}`);
      else this.report(path, `Element '${element.name}': Missing child element(s).${expected}`);
    }
  }

  private child(child: XmlElement, rule: CompiledChild, path: string): void {
    if (!rule.leaf) {
      const inner = this.model.aggregate(child.name);
      if (inner) this.aggregate(child, inner, path);
      return;
    }
    this.attributes(child, rule.textAttributes ?? new Map(), path);
    if (child.children.length > 0) {
      this.report(`${path}/${child.children[0]!.name}`, `Element '${child.name}': Element content is not allowed, because the content type is a simple type definition.`);
      return;
    }
    this.text(rule.leaf, child.text, path, `Element '${child.name}'`, child.name);
  }

  /** A text value: the checks of `validate.ts` plus BOOLTYPE and INTTYPE, which are text in a document. */
  private text(leaf: CompiledLeaf, value: string, path: string, where: string, name: string): void {
    const invalid = (): void => this.report(path, `${where}: '${value}' is not a valid value of the atomic type '${leaf.base}'.`);
    if (leaf.base === 'BOOLTYPE') {
      if (!['true', 'false', '1', '0', ''].includes(value)) invalid();
      return;
    }
    if (leaf.base === 'INTTYPE') {
      if (!/^[+-]?\d+$/.test(value)) return invalid();
      const number = Number(value);
      if ((leaf.min !== undefined && number < leaf.min) || (leaf.max !== undefined && number > leaf.max)) {
        this.report(path, `${where}: [facet 'minInclusive/maxInclusive'] The value '${value}' is outside ${leaf.min ?? '-∞'}..${leaf.max ?? '∞'}.`);
      }
      return;
    }
    for (const issue of textIssues(leaf, value)) {
      if (issue.code === 'TOO_LONG') {
        this.report(path, `${where}: [facet 'maxLength'] The value ${issue.message}.`, { element: name, value, maxLength: leaf.maxLength! });
      } else if (issue.code === 'NOT_IN_ENUM') {
        this.report(path, `${where}: [facet 'enumeration'] The value '${value}' is not an element of the set {${leaf.enumList!.map((v) => `'${v}'`).join(', ')}}.`);
      } else {
        invalid();
      }
    }
  }
}

/** XPath steps of sibling elements as libxml2 writes them: `Name`, or `InvoiceLineAdd[2]` when the name repeats. */
function xpathSteps(siblings: readonly XmlElement[]): string[] {
  const counts = new Map<string, number>();
  for (const sibling of siblings) counts.set(sibling.name, (counts.get(sibling.name) ?? 0) + 1);
  const seen = new Map<string, number>();
  return siblings.map((sibling) => {
    const ordinal = (seen.get(sibling.name) ?? 0) + 1;
    seen.set(sibling.name, ordinal);
    return counts.get(sibling.name)! > 1 ? `${sibling.name}[${ordinal}]` : sibling.name;
  });
}

/** Where a list of child names stops fitting a content model, and which names would have fitted there. */
interface Mismatch {
  readonly at: number;
  readonly expected: readonly string[];
}

/**
 * {@link matchContent}, remembered per content model and list of child names: a sync sends the same shapes
 * over and over (every 10-line InvoiceAdd has the same children). Bounded, since the lists a model meets
 * are not (any number of lines): a full memo starts over.
 */
function matchContentCached(content: CompiledParticle | undefined, names: readonly string[]): Mismatch | undefined {
  if (!content) return matchContent(content, names);
  let memo = MATCHES.get(content);
  if (!memo) MATCHES.set(content, (memo = new Map()));
  const key = names.join(' ');
  if (memo.has(key)) return memo.get(key);
  if (memo.size >= MATCHES_PER_MODEL) memo.clear();
  const mismatch = matchContent(content, names);
  memo.set(key, mismatch);
  return mismatch;
}

const MATCHES = new WeakMap<CompiledParticle, Map<string, Mismatch | undefined>>();
const MATCHES_PER_MODEL = 256;

/**
 * Matches child names against a content model (sequences, choices, occurrences) as a set of reachable
 * positions, so no backtracking order can miss a valid reading; undefined when the names fit. Position sets
 * are small arrays in insertion order (a Set per step was most of a message's validation time).
 */
function matchContent(content: CompiledParticle | undefined, names: readonly string[]): Mismatch | undefined {
  if (!content) return names.length === 0 ? undefined : { at: 0, expected: [] };
  // Only the names tried at the furthest position reached matter, and a position is only tried once reached.
  let furthest = 0;
  let triedAtFurthest: string[] = [];

  const once = (p: CompiledParticle, start: number): readonly number[] => {
    if (p.kind === 'element') {
      if (names[start] === p.name) {
        if (start + 1 > furthest) {
          furthest = start + 1;
          triedAtFurthest = [];
        }
        return [start + 1];
      }
      if (start === furthest && !triedAtFurthest.includes(p.name)) triedAtFurthest.push(p.name);
      return NO_POSITIONS;
    }
    if (p.kind === 'choice') {
      const ends: number[] = [];
      for (const item of p.items) addAll(ends, repeat(item, start));
      return ends;
    }
    let positions: readonly number[] = [start];
    for (const item of p.items) {
      const next: number[] = [];
      for (const position of positions) addAll(next, repeat(item, position));
      positions = next;
      if (positions.length === 0) break;
    }
    return positions;
  };

  const repeat = (p: CompiledParticle, start: number): readonly number[] => {
    if (p.kind === 'element' && p.min === 1 && p.max === 1) return once(p, start);
    const ends: number[] = p.min === 0 ? [start] : [];
    const seen = [start];
    let frontier: readonly number[] = [start];
    for (let count = 1; count <= p.max && frontier.length > 0; count++) {
      const next: number[] = [];
      for (const position of frontier) addAll(next, once(p, position));
      if (count >= p.min) addAll(ends, next);
      // Past the minimum, a position already reached adds nothing new (and an emptiable group would loop).
      frontier = count >= p.min ? next.filter((end) => !seen.includes(end)) : next;
      addAll(seen, next);
    }
    return ends;
  };

  if (repeat(content, 0).includes(names.length)) return undefined;
  return { at: furthest, expected: triedAtFurthest };
}

const NO_POSITIONS: readonly number[] = [];

/** Adds the positions `to` does not have yet, keeping first-reached order. */
function addAll(to: number[], positions: readonly number[]): void {
  for (const position of positions) if (!to.includes(position)) to.push(position);
}
