/**
 * qbXML message envelopes at the Web Connector boundary: the request message we send, and the response
 * message QuickBooks posts back, read into one item per `…Rs` with its status attributes.
 * Parsing refuses any DOCTYPE: QuickBooks never sends one, and entity declarations are how XML bombs work.
 */
import { readXmlObjects, XmlReadError } from '../qbxml/read-objects.js';
import { escapeQbxmlText } from '../qbxml/serialize.js';

/** One `…Rs` element of a response message. */
export interface QbxmlResponseItem {
  /** Element name, e.g. `CustomerQueryRs`. */
  readonly type: string;
  readonly requestId: string | undefined;
  readonly statusCode: number;
  readonly statusSeverity: 'Info' | 'Warn' | 'Error' | string;
  readonly statusMessage: string;
  readonly iteratorId: string | undefined;
  readonly iteratorRemainingCount: number | undefined;
  /** The element's children (`CustomerRet`, ...) as parsed objects; repeated elements are arrays. */
  readonly body: Record<string, unknown>;
}

export class QbxmlMessageError extends Error {
  override readonly name = 'QbxmlMessageError';
}

/**
 * The request message: all requests in one message set that goes on after an error (continueOnError).
 * Takes the part of a work source's `SentRequest` it writes, by shape: this file is also compiled into the
 * plugin SDK package (plugins/sdk), which must not pull in the work sources' entity types.
 */
export function buildRequestMessage(
  version: string,
  requests: ReadonlyArray<{ readonly requestId: string; readonly type: string; readonly attributes?: Readonly<Record<string, string>>; readonly innerXml: string }>,
): string {
  const body = requests
    .map((r) => {
      const attributes = Object.entries({ requestID: r.requestId, ...r.attributes })
        .map(([k, v]) => ` ${k}="${escapeQbxmlText(v)}"`)
        .join('');
      return `<${r.type}${attributes}>${r.innerXml}</${r.type}>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="utf-8"?><?qbxml version="${version}"?><QBXML><QBXMLMsgsRq onError="continueOnError">${body}</QBXMLMsgsRq></QBXML>`;
}

/** Reads a response message; throws QbxmlMessageError when it is not one. */
export function parseResponseMessage(xml: string): QbxmlResponseItem[] {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new QbxmlMessageError('the response declares a DOCTYPE or entities, which QuickBooks never does');
  let doc: { QBXML?: { QBXMLMsgsRs?: Record<string, unknown> } };
  try {
    // Checked and read in one pass (@rgrove/parse-xml, read-objects.ts).
    doc = readXmlObjects(xml) as typeof doc;
  } catch (error) {
    if (error instanceof XmlReadError) throw new QbxmlMessageError(`the response is not well-formed XML (${error.message})`);
    throw error;
  }
  const msgs = doc.QBXML?.QBXMLMsgsRs;
  if (!msgs || typeof msgs !== 'object') throw new QbxmlMessageError('the response has no QBXML/QBXMLMsgsRs element');
  const items: QbxmlResponseItem[] = [];
  for (const [type, value] of Object.entries(msgs)) {
    if (!type.endsWith('Rs')) continue;
    for (const element of Array.isArray(value) ? value : [value]) {
      const rs = (element ?? {}) as Record<string, unknown>;
      const { requestID, statusCode, statusSeverity, statusMessage, iteratorID, iteratorRemainingCount, retCount: _retCount, ...body } = rs;
      if (statusCode === undefined) throw new QbxmlMessageError(`${type} has no statusCode`);
      items.push({
        type,
        requestId: requestID as string | undefined,
        statusCode: Number(statusCode),
        statusSeverity: String(statusSeverity ?? ''),
        statusMessage: String(statusMessage ?? ''),
        iteratorId: iteratorID as string | undefined,
        iteratorRemainingCount: iteratorRemainingCount === undefined ? undefined : Number(iteratorRemainingCount),
        body,
      });
    }
  }
  return items;
}
