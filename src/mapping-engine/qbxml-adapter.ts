/**
 * Between plugins and the wire: a plugin's planned request is validated against the qbXML rules generated
 * from Intuit's XSD (every problem, with its field path) and written in schema order; QuickBooks' answers
 * reach plugins in the SDK's shape. Output that does not validate is never sent.
 */
import type * as Sdk from '../../plugins/sdk/index.js';
import { serializeRequest } from '../qbxml/serialize.js';
import { qbxmlModel, validateRequest } from '../qbxml/validate.js';
import type { QbxmlRequestType } from '../qbxml/generated/types.js';
import type { QbxmlResponseItem } from '../qbwc/qbxml-message.js';
import type { OutboundRequest } from '../qbwc/work/work-source.js';

export type AdaptedRequest = { readonly ok: true; readonly request: OutboundRequest } | { readonly ok: false; readonly problems: readonly string[] };

/** Validates and serializes one planned request; `meta` travels with it to the response. */
export function plannedToOutbound(planned: Sdk.PlannedRequest, requestId: string, version: string, meta: unknown): AdaptedRequest {
  let model;
  try {
    model = qbxmlModel(version);
  } catch (error) {
    return { ok: false, problems: [(error as Error).message] };
  }
  const type = planned.type as QbxmlRequestType;
  if (!model.requests.has(type)) return { ok: false, problems: [`${planned.type} is not a qbXML ${version} request this service knows`] };
  const issues = validateRequest(type, planned.body as never, version);
  if (issues.length > 0) return { ok: false, problems: issues.map((i) => `${i.path}: ${i.message}`) };
  const serialized = serializeRequest(type, planned.body as never, { requestId, version });
  return {
    ok: true,
    request: { requestId, type: planned.type, attributes: serialized.attributes, innerXml: serialized.innerXml, meta },
  };
}

/** A parsed `…Rs` as plugins see it. */
export function toSdkResponse(item: QbxmlResponseItem): Sdk.QbxmlResponse {
  return {
    type: item.type,
    statusCode: item.statusCode,
    statusSeverity: item.statusSeverity,
    statusMessage: item.statusMessage,
    body: item.body,
  };
}
