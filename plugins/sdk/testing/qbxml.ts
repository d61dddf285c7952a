/**
 * qbXML for plugin tests, through the host's own code: planned requests are checked with `validateRequest`
 * and written with `serializeRequest` (what src/mapping-engine/qbxml-adapter.ts does before sending), the
 * message is checked against Intuit's XSD, and sample responses are read both the way the Web Connector
 * path reads them (src/qbwc/qbxml-message.ts: text values, lists only where repeated) and the way the typed
 * parser does (src/qbxml: lists wherever the schema lets an element repeat, booleans and numbers typed).
 * Plugins never import this; only their tests do.
 */
import { parseResponseItems, serializeRequestElement, validateRequest, type QbxmlRequestType } from '../../../src/qbxml/index.js';
import { qbxmlModel } from '../../../src/qbxml/validate.js';
import { hasQbxmlSchemas, oracleCheckedValidator, type QbxmlSchemaSet } from '../../../src/qbxml/xsd/index.js';
import { parseResponseMessage } from '../../../src/qbwc/qbxml-message.js';
import type { PlannedRequest, QbxmlResponse } from '../index.js';

/** Whether the host knows a request type for this qbXML version (it is in the generated message set). */
export function isKnownRequestType(type: string, version: string): boolean {
  return qbxmlModel(version).requests.has(type);
}

/** The schema set (`130` / `160`) of a qbXML version. */
export function schemaSetOf(version: string): QbxmlSchemaSet {
  return qbxmlModel(version).schemaSet;
}

/** Every problem the host's request validation finds in planned requests, as `#<n> <Type>: <path>: <message>`. */
export function requestProblems(requests: readonly PlannedRequest[], version: string): string[] {
  const problems: string[] = [];
  requests.forEach((request, index) => {
    const where = `#${index + 1} ${request.type}`;
    if (!isKnownRequestType(request.type, version)) {
      problems.push(`${where}: not a qbXML ${version} request the host knows`);
      return;
    }
    for (const issue of validateRequest(request.type as QbxmlRequestType, request.body as never, version)) {
      problems.push(`${where}: ${issue.path || '(request)'}: ${issue.message}`);
    }
  });
  return problems;
}

/**
 * The request message the requests would travel in, pretty-printed for golden files: one element per line,
 * requestIDs 1…n, a comment naming each request's role. Validate with {@link requestProblems} first.
 */
export function requestMessage(requests: readonly PlannedRequest[], version: string): string {
  const elements = requests.map(
    (request, index) =>
      `<!-- ${request.role} -->${serializeRequestElement(request.type as QbxmlRequestType, request.body as never, { requestId: String(index + 1), version })}`,
  );
  const xml = `<?xml version="1.0" encoding="utf-8"?><?qbxml version="${version}"?><QBXML><QBXMLMsgsRq onError="continueOnError">${elements.join('')}</QBXMLMsgsRq></QBXML>`;
  return prettyXml(xml);
}

/**
 * Problems QuickBooks' schema finds in a qbXML document (`schemaSet` for responses, which carry no version):
 * the host's generated rules, cross-checked against Intuit's XSDs when `specDir` holds them (a partner's
 * repository usually does not; the rules are generated from the same XSDs).
 */
export function xsdProblems(xml: string, specDir: string | undefined, schemaSet?: QbxmlSchemaSet): string[] {
  const result = oracleCheckedValidator(hasQbxmlSchemas(specDir) ? specDir : undefined).validate(xml, schemaSet ? { schemaSet } : {});
  return result.problems.map((p) => (p.line ? `line ${p.line}: ${p.message}` : p.message));
}

/** A response's `…Rs` elements as plugins get them, in both shapes the host can produce. */
export interface ParsedSampleResponses {
  /** As the Web Connector path gives them (text values, lists only where an element occurs more than once). */
  readonly wire: QbxmlResponse[];
  /** As the typed parser gives them (lists wherever the schema lets an element repeat; typed booleans and numbers). */
  readonly typed: QbxmlResponse[];
}

const RS_ATTRIBUTES = new Set(['requestID', 'statusCode', 'statusSeverity', 'statusMessage', 'retCount', 'iteratorRemainingCount', 'iteratorID']);

/** Reads a sample response document. */
export function parseSampleResponses(xml: string, version: string): ParsedSampleResponses {
  const wire = parseResponseMessage(xml).map(
    (item): QbxmlResponse => ({ type: item.type, statusCode: item.statusCode, statusSeverity: item.statusSeverity, statusMessage: item.statusMessage, body: item.body }),
  );
  const typed = parseResponseItems(xml, { version }).map((item): QbxmlResponse => {
    const record = item.response as unknown as Record<string, unknown>;
    const body = Object.fromEntries(Object.entries(record).filter(([k]) => !RS_ATTRIBUTES.has(k)));
    return {
      type: item.type,
      statusCode: Number(record['statusCode']),
      statusSeverity: String(record['statusSeverity'] ?? ''),
      // The Web Connector path trims attribute values (QuickBooks' messages often end in spaces); so do we here.
      statusMessage: String(record['statusMessage'] ?? '').trim(),
      body,
    };
  });
  return { wire, typed };
}

/**
 * Pretty-prints qbXML (element-only content, text only in leaf elements, as qbXML is): one element per line,
 * two-space indentation, leaves on one line.
 */
export function prettyXml(xml: string): string {
  const tokens = xml.match(/<!--[\s\S]*?-->|<[^>]+>|[^<]+/g) ?? [];
  const lines: string[] = [];
  let depth = 0;
  const pad = () => '  '.repeat(depth);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!token.startsWith('<')) {
      if (token.trim()) lines.push(pad() + token.trim());
      continue;
    }
    if (token.startsWith('<?')) lines.push(token);
    else if (token.startsWith('<!--')) lines.push(pad() + token);
    else if (token.startsWith('</')) {
      depth--;
      lines.push(pad() + token);
    } else if (token.endsWith('/>')) lines.push(pad() + token);
    else {
      const next = tokens[i + 1];
      const after = tokens[i + 2];
      if (next !== undefined && !next.startsWith('<') && after?.startsWith('</')) {
        lines.push(pad() + token + next + after);
        i += 2;
      } else if (next?.startsWith('</')) {
        lines.push(pad() + token + next);
        i += 1;
      } else {
        lines.push(pad() + token);
        depth++;
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
