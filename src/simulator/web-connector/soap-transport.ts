/**
 * The Web Connector's side of the SOAP conversation: hand-built SOAP 1.1 envelopes POSTed with `fetch`.
 *
 * Why not node-soap's client: QBWC is a .NET `SoapHttpClientProtocol`, and the point of the emulator is to
 * put QBWC's exact bytes on the wire so the service is tested against what it will really receive. node-soap
 * writes `tns:`-prefixed children, drops or expands empty values its own way and adds its own envelope
 * attributes; a QBWC capture (docs/qbwc-qbxml.md §7) looks like
 * `<receiveResponseXML xmlns="http://developer.intuit.com/"><ticket>…</ticket><response>…</response><hresult /><message /></receiveResponseXML>`
 * with a default namespace and self-closing empty elements. Building that string is a few lines; parsing the
 * answer needs only a namespace-prefix-tolerant XML parser. The tests still talk to an independent SOAP stack
 * (a node-soap server built from a WSDL), so both directions are checked against someone else's reading of
 * the contract.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const QBWC_NAMESPACE = 'http://developer.intuit.com/';

/** The callbacks QBWC calls on the web service. */
export type QbwcOperation =
  | 'serverVersion'
  | 'clientVersion'
  | 'authenticate'
  | 'sendRequestXML'
  | 'receiveResponseXML'
  | 'connectionError'
  | 'getLastError'
  | 'closeConnection';

/** One parameter as QBWC serialises it: strings (empty ⇒ `<name />`) and ints. */
export type SoapParam = readonly [name: string, value: string | number];

/** What the .NET client used by QBWC sends as User-Agent [G: the framework default for SOAP clients]. */
export const QBWC_USER_AGENT = 'Mozilla/4.0 (compatible; MSIE 6.0; MS Web Services Client Protocol 4.0.30319.42000)';

export type SoapFailureKind = 'timeout' | 'network' | 'http-status' | 'soap-fault' | 'content-type' | 'malformed' | 'aborted';

/** A SOAP call that did not produce a usable answer; `message` reads like the .NET exception QBWC logs. */
export class SoapCallError extends Error {
  constructor(
    readonly operation: QbwcOperation,
    readonly kind: SoapFailureKind,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'SoapCallError';
  }
}

/** XML text escaping as .NET's XmlWriter does for element content: only `&`, `<` and `>`. */
export function escapeXmlText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The request envelope, byte-for-byte in the shape of a QBWC capture. */
export function buildEnvelope(operation: QbwcOperation, params: readonly SoapParam[]): string {
  const children = params
    .map(([name, value]) => {
      const textValue = String(value);
      return textValue === '' ? `<${name} />` : `<${name}>${escapeXmlText(textValue)}</${name}>`;
    })
    .join('');
  const body =
    params.length === 0
      ? `<${operation} xmlns="${QBWC_NAMESPACE}" />`
      : `<${operation} xmlns="${QBWC_NAMESPACE}">${children}</${operation}>`;
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">' +
    `<soap:Body>${body}</soap:Body></soap:Envelope>`
  );
}

const RESPONSE_PARSER_OPTIONS = {
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  // The qbXML inside the result string must reach the caller unchanged, whitespace included.
  trimValues: false,
  // Decodes numeric character references (`&#xA;`) as well as the five XML entities.
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (_name: string, jpath: unknown) => String(jpath).endsWith('.authenticateResult.string'),
} as const;
const responseParser = new XMLParser(RESPONSE_PARSER_OPTIONS);
const rawTextParser = new XMLParser({ ...RESPONSE_PARSER_OPTIONS, processEntities: false });

/**
 * Anything that makes decoding more than replacing the five predefined entities: another reference
 * (numeric, HTML), a DOCTYPE (its entities) or CDATA (not decoded at all).
 */
const OTHER_REFERENCE = /&(?!(?:lt|gt|amp|quot|apos);)/;
const DOCTYPE_OR_CDATA = /<!(?:DOCTYPE|\[CDATA\[)/i;
const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * The response document as `responseParser` reads it. An answer carries a whole qbXML message as escaped text
 * (thousands of `&lt;`), which the parser's general entity decoder takes most of a call's CPU for; when
 * the five predefined entities are all there is, the text is read raw and they are replaced in one pass.
 */
function parseResponseDocument(body: string): Record<string, unknown> {
  if (OTHER_REFERENCE.test(body) || DOCTYPE_OR_CDATA.test(body)) return responseParser.parse(body) as Record<string, unknown>;
  return decodePredefinedEntities(rawTextParser.parse(body)) as Record<string, unknown>;
}

function decodePredefinedEntities(node: unknown): unknown {
  if (typeof node === 'string') return node.includes('&') ? node.replace(/&(lt|gt|amp|quot|apos);/g, (_, name: string) => PREDEFINED_ENTITIES[name]!) : node;
  if (Array.isArray(node)) return node.map(decodePredefinedEntities);
  if (typeof node === 'object' && node !== null) return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, decodePredefinedEntities(value)]));
  return node;
}

/** The text content of a parsed element (`<x />` ⇒ ''). */
function textOf(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (typeof node === 'object' && '#text' in node) return String((node as Record<string, unknown>)['#text']);
  return '';
}

export interface SoapExchange {
  readonly requestBody: string;
  readonly responseBody: string;
  readonly httpStatus: number;
}

export interface SoapCallOptions {
  readonly url: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/**
 * POSTs one call and returns the parsed `<opResult>` element (string, `string[]` for ArrayOfString), plus
 * the raw exchange. Throws `SoapCallError` for anything QBWC would treat as a failed call.
 */
export async function callSoap(
  operation: QbwcOperation,
  params: readonly SoapParam[],
  options: SoapCallOptions,
): Promise<{ result: unknown; exchange: SoapExchange }> {
  const requestBody = buildEnvelope(operation, params);
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  let response: Response;
  let responseBody: string;
  try {
    response = await fetch(options.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'text/xml; charset=utf-8',
        SOAPAction: `"${QBWC_NAMESPACE}${operation}"`,
        'User-Agent': QBWC_USER_AGENT,
      },
      body: requestBody,
      signal,
      redirect: 'manual',
    });
    responseBody = await response.text();
  } catch (error) {
    if (options.signal?.aborted) {
      throw new SoapCallError(operation, 'aborted', 'The request was aborted: The request was canceled.');
    }
    if (timeout.aborted) {
      // .NET's WebException text for a client-side timeout.
      throw new SoapCallError(operation, 'timeout', `The operation has timed out (no answer within ${options.timeoutMs} ms).`);
    }
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    throw new SoapCallError(
      operation,
      'network',
      `Unable to connect to the remote server (${error instanceof Error ? error.message : String(error)}${cause}).`,
    );
  }

  const exchange: SoapExchange = { requestBody, responseBody, httpStatus: response.status };
  const contentType = response.headers.get('content-type') ?? '';
  const isXml = /^text\/xml\b/i.test(contentType);

  if (response.status !== 200) {
    // .NET surfaces a SOAP Fault carried by an HTTP 500 as a SoapException with the fault string.
    const fault = isXml ? tryFaultString(responseBody) : undefined;
    if (fault !== undefined) {
      throw new SoapCallError(operation, 'soap-fault', `SOAP fault from the web service: ${fault}`, response.status);
    }
    throw new SoapCallError(
      operation,
      'http-status',
      `The request failed with HTTP status ${response.status}: ${response.statusText || 'error'}.`,
      response.status,
    );
  }
  if (!isXml) {
    throw new SoapCallError(
      operation,
      'content-type',
      `Client found response content type of '${contentType}', but expected 'text/xml'.` +
        (responseBody === '' ? ' The request failed with an empty response.' : ''),
      response.status,
    );
  }
  if (responseBody.trim() === '') {
    throw new SoapCallError(operation, 'malformed', 'The request failed with an empty response.', response.status);
  }
  if (XMLValidator.validate(responseBody) !== true) {
    throw new SoapCallError(operation, 'malformed', 'Response is not well-formed XML.', response.status);
  }
  const doc = parseResponseDocument(responseBody);
  const body = (doc['Envelope'] as Record<string, unknown> | undefined)?.['Body'] as Record<string, unknown> | undefined;
  if (body === undefined || typeof body !== 'object') {
    throw new SoapCallError(operation, 'malformed', 'The response is not a SOAP 1.1 envelope (no soap:Body).', response.status);
  }
  if (body['Fault'] !== undefined) {
    throw new SoapCallError(operation, 'soap-fault', `SOAP fault from the web service: ${faultText(body['Fault'])}`, response.status);
  }
  const wrapper = body[`${operation}Response`];
  if (wrapper === undefined) {
    const found = Object.keys(body).filter((k) => k !== '#text');
    throw new SoapCallError(
      operation,
      'malformed',
      `Expected <${operation}Response> in the SOAP body but found ${found.map((k) => `<${k}>`).join(', ') || 'nothing'}.`,
      response.status,
    );
  }
  const resultNode = typeof wrapper === 'object' && wrapper !== null ? (wrapper as Record<string, unknown>)[`${operation}Result`] : undefined;
  if (operation === 'authenticate') {
    const strings = (resultNode as Record<string, unknown> | undefined)?.['string'];
    return { result: Array.isArray(strings) ? strings.map(textOf) : [], exchange };
  }
  // A missing result element deserialises to null in .NET; the callers treat it as an empty string.
  return { result: resultNode === undefined ? undefined : textOf(resultNode), exchange };
}

/** SOAP 1.1 `faultstring`, or a SOAP 1.2-style `Reason/Text` (node-soap writes the latter even in 1.1 envelopes). */
function faultText(fault: unknown): string {
  const f = (fault ?? {}) as Record<string, unknown>;
  if (f['faultstring'] !== undefined) return textOf(f['faultstring']);
  const reason = f['Reason'] as Record<string, unknown> | undefined;
  return textOf(reason?.['Text']);
}

function tryFaultString(body: string): string | undefined {
  try {
    if (XMLValidator.validate(body) !== true) return undefined;
    const doc = parseResponseDocument(body);
    const fault = ((doc['Envelope'] as Record<string, unknown> | undefined)?.['Body'] as Record<string, unknown> | undefined)?.['Fault'];
    return fault === undefined ? undefined : faultText(fault);
  } catch {
    return undefined;
  }
}
