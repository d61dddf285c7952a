/**
 * The company-file lock: before a session sends anything, it reads the service's own stamp from the open
 * company file (a private data extension under the product OwnerID, see registration/qwc.ts for why QBWC's
 * own FileID extension cannot serve). Then:
 *   stamp = connector's FileID          → the right file (a new path is accepted and recorded);
 *   stamp = another FileID              → the wrong file: send nothing, alert, end the session;
 *   no stamp, connector not yet bound   → first contact: bind the connector's Company and stamp the file;
 *   no stamp, connector already bound   → the wrong file (the bound one carries a stamp).
 */
import { PRODUCT_OWNER_ID } from '../modules/registration/qwc.js';
import type { OutboundRequest, SentRequest } from './work/work-source.js';
import type { QbxmlResponseItem } from './qbxml-message.js';
import { escapeQbxmlText } from '../qbxml/serialize.js';

/** DataExtName of the stamp (qbXML allows 31 characters). */
export const STAMP_NAME = 'QbdBridgeConnectorFileID';

export const IDENTITY_SOURCE = 'company-identity';

/** Reads the stamp: a CompanyQuery for our OwnerID's data extensions only. */
export function identityCheckRequest(): OutboundRequest {
  return {
    requestId: 'identity:check',
    type: 'CompanyQueryRq',
    innerXml: `<IncludeRetElement>CompanyName</IncludeRetElement><IncludeRetElement>DataExtRet</IncludeRetElement><OwnerID>${PRODUCT_OWNER_ID}</OwnerID>`,
  };
}

/** Defines the stamp's data extension (idempotent in effect: "already defined" is fine) and sets it on the company. */
export function stampRequests(fileId: string): OutboundRequest[] {
  const owner = `<OwnerID>${PRODUCT_OWNER_ID}</OwnerID><DataExtName>${STAMP_NAME}</DataExtName>`;
  return [
    {
      requestId: 'identity:define',
      type: 'DataExtDefAddRq',
      innerXml: `<DataExtDefAdd>${owner}<DataExtType>STR255TYPE</DataExtType><AssignToObject>Company</AssignToObject></DataExtDefAdd>`,
    },
    {
      requestId: 'identity:stamp',
      type: 'DataExtAddRq',
      innerXml: `<DataExtAdd>${owner}<OtherDataExtType>Company</OtherDataExtType><DataExtValue>${escapeQbxmlText(fileId)}</DataExtValue></DataExtAdd>`,
    },
  ];
}

export type IdentityVerdict =
  | { readonly kind: 'match' }
  | { readonly kind: 'unstamped' }
  | { readonly kind: 'other'; readonly foundFileId: string }
  | { readonly kind: 'unreadable'; readonly reason: string };

/** What the CompanyQuery answer says about the open file. */
export function readStamp(response: QbxmlResponseItem, expectedFileId: string): IdentityVerdict {
  if (response.statusSeverity === 'Error') {
    return { kind: 'unreadable', reason: `QuickBooks answered the company query with status ${response.statusCode}: ${response.statusMessage}` };
  }
  const company = [response.body.CompanyRet].flat()[0] as Record<string, unknown> | undefined;
  const exts = [company?.DataExtRet ?? []].flat() as Array<Record<string, unknown>>;
  const stamp = exts.find(
    (e) => String(e.OwnerID ?? '').toUpperCase() === PRODUCT_OWNER_ID && String(e.DataExtName ?? '') === STAMP_NAME,
  );
  if (!stamp) return { kind: 'unstamped' };
  const found = String(stamp.DataExtValue ?? '');
  return found.toUpperCase() === expectedFileId.toUpperCase() ? { kind: 'match' } : { kind: 'other', foundFileId: found };
}

/** The stamping requests succeeded? ("already defined" counts as success for the definition.) */
export function stampFailure(request: SentRequest, response: QbxmlResponseItem): string | null {
  if (response.statusSeverity !== 'Error') return null;
  // 3100: a data extension with this name is already defined for our OwnerID — exactly what we wanted.
  if (request.requestId === 'identity:define' && response.statusCode === 3100) return null;
  return `QuickBooks refused to record this file's identity (${request.type}, status ${response.statusCode}: ${response.statusMessage})`;
}
