/**
 * The qbXML request processor, QBXMLRP2's ProcessRequest as far as an integration can tell:
 *
 * 1. The message must be well-formed, carry `<?qbxml version="X.Y"?>` (a version this QuickBooks
 *    supports) and validate against the schema of that version (the rules generated from Intuit's XSDs, so a
 *    bare clone needs no spec files; tests may pass a validator cross-checked against the XSDs themselves,
 *    `src/qbxml/xsd/oracle.ts`); otherwise the whole message fails with
 *    HRESULT 0x80040400 and no response. The one exception is a value longer than its field allows:
 *    QuickBooks processes the message and answers that request with status 3070.
 * 2. Requests run in order. With `stopOnError` the first request answered with an Error status ends the
 *    message (later requests get no response); with `continueOnError` every request runs.
 * 3. Each `*Rs` echoes `requestID`, carries QuickBooks' status attributes and the `*Ret`s in XSD order.
 */
import { rulesSchemaModel } from '../../qbxml/rules-model.js';
import { rulesDocumentValidator, type QbxmlDocumentValidator } from '../../qbxml/validate-document.js';
import type { XsdProblem } from '../../qbxml/xsd/validator.js';
import type { QbxmlSchemaModel } from '../../qbxml/xsd/schema-model.js';
import { parseQbxmlVersion, schemaSetFor, type ParsedQbxmlVersion, type QbxmlSchemaSet } from '../../qbxml/xsd/versions.js';
import type { SimulatedCompanyFile } from '../company/company-file.js';
import { QB_STATUS, QuickBooksError, type QbxmlStatus } from '../company/status-codes.js';
import type { QbxmlProcessResult } from '../quickbooks-host.js';
import type { HandlerResult, HostDescription, RequestContext, RequestHandler } from './context.js';
import { REQUEST_HANDLERS } from './handlers/index.js';
import { IteratorRegistry } from './iterators.js';
import { ResponseWriter, RetShapeError, type RetAggregate, type RetElement, type RsElement } from './response-writer.js';
import { childTexts, parseXmlDocument, XmlSyntaxError, type XmlElement } from '../../qbxml/xml-tree.js';

/** QBXMLRP2's answer when QuickBooks cannot parse (or validate) the request message. */
export const PARSE_ERROR = {
  kind: 'error',
  hresult: '0x80040400',
  message: 'QuickBooks found an error when parsing the provided XML text stream.',
} as const satisfies QbxmlProcessResult;

/** Options of {@link QbxmlProcessor}. */
export interface QbxmlProcessorOptions {
  readonly company: SimulatedCompanyFile;
  readonly host: HostDescription;
  /** Highest qbXML version accepted; a message for a newer version fails like an unknown schema. */
  readonly maxQbxmlVersion: ParsedQbxmlVersion;
  /** Validates each message; defaults to the generated rules. */
  readonly validator?: QbxmlDocumentValidator;
  /** Dispatch table override (tests); defaults to every implemented request. */
  readonly handlers?: Readonly<Record<string, RequestHandler>>;
}

/** Why a message was rejected as a whole (for diagnostics; QuickBooks only reports the HRESULT). */
export interface RejectedMessage {
  readonly reason: 'not-well-formed' | 'no-version' | 'unsupported-version' | 'invalid' | 'rollback-not-supported';
  readonly problems: readonly XsdProblem[];
}

function compareVersions(a: ParsedQbxmlVersion, b: ParsedQbxmlVersion): number {
  return a.major - b.major || a.minor - b.minor;
}

/** Runs qbXML request messages against one company file; one instance is one QuickBooks session. */
export class QbxmlProcessor {
  /** Open iterators of this session. */
  readonly iterators = new IteratorRegistry();
  /** Why the last message was rejected with 0x80040400 (undefined when it was processed). */
  lastRejection: RejectedMessage | undefined;
  private readonly validator: QbxmlDocumentValidator;
  private readonly handlers: Readonly<Record<string, RequestHandler>>;

  constructor(private readonly options: QbxmlProcessorOptions) {
    this.validator = options.validator ?? rulesDocumentValidator;
    this.handlers = options.handlers ?? REQUEST_HANDLERS;
  }

  /** The element structure of a schema set (from the generated rules, built once per process). */
  model(set: QbxmlSchemaSet): QbxmlSchemaModel {
    return rulesSchemaModel(set);
  }

  /** The schema set QuickBooks answers with when a message does not say (HCP response): the newest supported. */
  get defaultSchemaSet(): QbxmlSchemaSet {
    return schemaSetFor(this.options.maxQbxmlVersion) ?? '160';
  }

  /** Runs one request message, as QBXMLRP2's ProcessRequest does. */
  process(requestXml: string): QbxmlProcessResult {
    this.lastRejection = undefined;
    const reject = (reason: RejectedMessage['reason'], problems: readonly XsdProblem[] = []): QbxmlProcessResult => {
      this.lastRejection = { reason, problems };
      return PARSE_ERROR;
    };
    let tree;
    try {
      tree = parseXmlDocument(requestXml);
    } catch (error) {
      if (!(error instanceof XmlSyntaxError)) throw error;
      return reject('not-well-formed', [{ kind: 'not-well-formed', line: 0, column: 0, message: error.message }]);
    }
    const pi = tree.instructions.find((i) => i.target === 'qbxml');
    const versionText = pi?.attributes['version'];
    const version = versionText === undefined ? undefined : parseQbxmlVersion(versionText);
    if (!version) return reject('no-version');
    const schemaSet = schemaSetFor(version);
    // A product without the requested spec version has no schema to validate it with: QuickBooks reports the
    // same parse error [G: no capture of the exact HRESULT for this case].
    if (!schemaSet || compareVersions(version, this.options.maxQbxmlVersion) > 0) return reject('unsupported-version');

    const validation = this.validator.validate(requestXml, { schemaSet, tree });
    const fatal = validation.problems.filter((p) => !p.tooLong);
    if (fatal.length > 0) return reject(fatal[0]!.kind === 'not-well-formed' ? 'not-well-formed' : 'invalid', validation.problems);

    const messages = tree.root?.children.find((c) => c.name === 'QBXMLMsgsRq');
    if (!messages) return reject('invalid');
    const onError = messages.attributes['onError'];
    // QuickBooks Desktop does not implement rollbackOnError and fails the message (docs/qbwc-qbxml.md §6.1).
    if (onError === 'rollbackOnError') return reject('rollback-not-supported');

    const tooLong = this.tooLongByRequest(messages, validation.problems);
    const writer = new ResponseWriter(this.model(schemaSet));
    const includeNone = messages.attributes['responseData'] === 'includeNone';
    const chunks: string[][] = [];
    for (const [index, request] of messages.children.entries()) {
      const problem = tooLong.get(index);
      const result: HandlerResult = problem?.tooLong
        ? { status: QB_STATUS.stringTooLong(problem.tooLong.value, problem.tooLong.element) }
        : this.run(request, schemaSet);
      chunks.push(this.writeRs(writer, request, result, includeNone));
      if ((result.status ?? QB_STATUS.ok()).severity === 'Error' && onError === 'stopOnError') break;
    }
    const msgsAttributes: Record<string, string> = {};
    if (messages.attributes['newMessageSetID'] !== undefined) msgsAttributes['newMessageSetID'] = messages.attributes['newMessageSetID'];
    return { kind: 'response', responseXml: writer.assemble(chunks, msgsAttributes) };
  }

  /**
   * The HostQuery + CompanyQuery (with the owner's data extensions) + PreferencesQuery response QBWC
   * sends as `strHCPResponse`, with requestIDs 0, 1 and 2 as real QBWC logs show.
   */
  hostCompanyPreferences(ownerId: string): string {
    const element = (name: string, requestID: string, children: XmlElement[] = []): XmlElement => ({ name, attributes: { requestID }, text: '', children });
    const owner: XmlElement = { name: 'OwnerID', attributes: {}, text: ownerId, children: [] };
    const requests = [element('HostQueryRq', '0'), element('CompanyQueryRq', '1', [owner]), element('PreferencesQueryRq', '2')];
    const writer = new ResponseWriter(this.model(this.defaultSchemaSet));
    return writer.assemble(requests.map((request) => this.writeRs(writer, request, this.run(request, this.defaultSchemaSet), false)));
  }

  private run(request: XmlElement, schemaSet: QbxmlSchemaSet): HandlerResult {
    const handler = this.handlers[request.name];
    if (!handler) return { status: QB_STATUS.unsupportedRequest(request.name) };
    const ctx: RequestContext = {
      company: this.options.company,
      request,
      model: this.model(schemaSet),
      iterators: this.iterators,
      host: this.options.host,
    };
    try {
      return handler(ctx);
    } catch (error) {
      if (error instanceof QuickBooksError) return { status: error.status };
      return { status: QB_STATUS.internalError(error instanceof Error ? error.message : String(error)) };
    }
  }

  /** The `*Rs` for a request; a `*Ret` the schema rejects (a simulator bug) becomes status 1000. */
  private writeRs(writer: ResponseWriter, request: XmlElement, result: HandlerResult, includeNone: boolean): string[] {
    const metaData = request.attributes['metaData'];
    const allRets = result.rets ?? [];
    const rets = includeNone || metaData === 'MetaDataOnly' ? [] : includeOnly(allRets, childTexts(request, 'IncludeRetElement'));
    const status: QbxmlStatus = result.status ?? QB_STATUS.ok();
    const rs: RsElement = {
      name: request.name.replace(/Rq$/, 'Rs'),
      ...(request.attributes['requestID'] !== undefined ? { requestId: request.attributes['requestID'] } : {}),
      status,
      ...(metaData === 'MetaDataOnly' || metaData === 'MetaDataAndResponseData' ? { retCount: allRets.length } : {}),
      ...(result.iteratorRemainingCount !== undefined ? { iteratorRemainingCount: result.iteratorRemainingCount } : {}),
      ...(result.iteratorId !== undefined ? { iteratorId: result.iteratorId } : {}),
      rets,
    };
    try {
      return writer.rs(rs);
    } catch (error) {
      if (!(error instanceof RetShapeError)) throw error;
      return writer.rs({ ...rs, status: QB_STATUS.internalError(error.message), rets: [] });
    }
  }

  /** Request index (position in QBXMLMsgsRq) → its first too-long value. */
  private tooLongByRequest(messages: XmlElement, problems: readonly XsdProblem[]): Map<number, XsdProblem> {
    const byRequest = new Map<number, XsdProblem>();
    for (const problem of problems) {
      const index = problem.path ? requestIndexOf(messages, problem.path) : undefined;
      if (index !== undefined && !byRequest.has(index)) byRequest.set(index, problem);
    }
    return byRequest;
  }
}

/**
 * Which request of the message set an XPath from libxml2 points into:
 * `/QBXML/QBXMLMsgsRq/CustomerAddRq[2]/...` is the second CustomerAddRq among its siblings.
 */
function requestIndexOf(messages: XmlElement, xpath: string): number | undefined {
  const step = xpath.split('/')[3];
  if (!step) return undefined;
  const bracket = step.indexOf('[');
  const name = bracket < 0 ? step : step.slice(0, bracket);
  const ordinal = bracket < 0 ? 1 : Number(step.slice(bracket + 1, -1));
  let seen = 0;
  for (let i = 0; i < messages.children.length; i++) {
    if (messages.children[i]!.name === name && ++seen === ordinal) return i;
  }
  return undefined;
}

/** Keeps only the top-level `*Ret` elements IncludeRetElement names (all when none is named). */
function includeOnly(rets: readonly RetElement[], include: readonly string[]): readonly RetElement[] {
  if (include.length === 0) return rets;
  const wanted = new Set(include);
  return rets.map((ret) => ({
    name: ret.name,
    value: Object.fromEntries(Object.entries(ret.value).filter(([key]) => wanted.has(key))) as RetAggregate,
  }));
}

