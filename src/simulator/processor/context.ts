/**
 * What a request handler gets and returns. A handler reads its `*Rq` element, asks the company file to do
 * the work, and returns `*Ret`s plus a status; it throws `QuickBooksError` to refuse. Writing XML, requestID
 * echo, IncludeRetElement, metaData and onError are the processor's job, not the handler's.
 */
import type { QbxmlSchemaModel } from '../../qbxml/xsd/schema-model.js';
import type { SimulatedCompanyFile } from '../company/company-file.js';
import type { QbxmlStatus } from '../company/status-codes.js';
import type { IteratorRegistry } from './iterators.js';
import type { RetElement } from './response-writer.js';
import type { XmlElement } from '../../qbxml/xml-tree.js';

/** The QuickBooks product the simulator claims to be (HostQuery). */
export interface HostDescription {
  readonly productName: string;
  readonly majorVersion: number;
  readonly minorVersion: number;
  readonly country: string;
  /** Supported qbXML versions, oldest first (`1.0` … `13.0`). */
  readonly supportedVersions: readonly string[];
  readonly companyFilePath: string;
}

/** Everything a handler may use for one request. */
export interface RequestContext {
  readonly company: SimulatedCompanyFile;
  /** The `*Rq` element. */
  readonly request: XmlElement;
  /** Element structure of the schema set of this message (to know which fields a `*Ret` has). */
  readonly model: QbxmlSchemaModel;
  /** Iterators of this QuickBooks session (they live as long as the simulator instance). */
  readonly iterators: IteratorRegistry;
  readonly host: HostDescription;
}

/** A handler's answer. */
export interface HandlerResult {
  /** Default: 0 Status OK. */
  readonly status?: QbxmlStatus;
  readonly rets?: readonly RetElement[];
  readonly iteratorRemainingCount?: number;
  readonly iteratorId?: string;
}

/** Runs one kind of request. */
export type RequestHandler = (ctx: RequestContext) => HandlerResult;
