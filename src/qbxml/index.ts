/**
 * Typed qbXML for the message set the product uses: types and rules generated from Intuit's XSDs
 * (`generated/`, `npm run qbxml:generate`), and the hand-written runtime that serializes requests in schema
 * order, validates them with field paths, and parses responses into the types. See README.md.
 */
export type * from './generated/types.js';
export { validateRequest, qbxmlModel, QbxmlIssueCode, type QbxmlIssue, type QbxmlModel } from './validate.js';
export {
  serializeRequest,
  serializeRequestElement,
  buildRequestMessage,
  escapeQbxmlText,
  QbxmlSerializeError,
  type SerializeOptions,
  type SerializedRequest,
  type RequestMessageOptions,
} from './serialize.js';
export {
  parseResponse,
  parseResponseItems,
  responseTypeOf,
  QbxmlParseError,
  type ParseOptions,
  type ParsedResponseItem,
  type QbxmlResponseSet,
  type UntypedQbxmlResponse,
} from './parse.js';
