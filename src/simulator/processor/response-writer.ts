/**
 * Writes qbXML response documents the way QuickBooks does (`<?xml version="1.0" ?>`, `<QBXML><QBXMLMsgsRs>`,
 * two-space indentation), with every aggregate's children in the order the XSD's sequence demands. Handlers
 * build `*Ret`s as plain objects; the order comes from the schema model, not from the handlers.
 */
import type { QbxmlSchemaModel, SchemaElement } from '../../qbxml/xsd/schema-model.js';
import type { QbxmlStatus } from '../company/status-codes.js';

/** A value in a `*Ret`: text, a nested aggregate, or several elements of the same name. Undefined is omitted. */
export type RetValue = string | RetAggregate | ReadonlyArray<string | RetAggregate>;
/** An aggregate: child element name → value. Key order does not matter; the XSD decides. */
export interface RetAggregate {
  readonly [element: string]: RetValue | undefined;
}

/** One `*Ret` element of a response. */
export interface RetElement {
  readonly name: string;
  readonly value: RetAggregate;
}

/** One `*Rs` element: status attributes, optional iterator/count attributes and its `*Ret`s. */
export interface RsElement {
  readonly name: string;
  readonly requestId?: string;
  readonly status: QbxmlStatus;
  readonly retCount?: number;
  readonly iteratorRemainingCount?: number;
  readonly iteratorId?: string;
  readonly rets: readonly RetElement[];
}

const NEEDS_ESCAPING = /[&<>]/;

/** Escapes text content. */
export function escapeText(value: string): string {
  // Most values (ids, amounts, dates, names) have nothing to escape: one scan instead of three replaces.
  if (!NEEDS_ESCAPING.test(value)) return value;
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes an attribute value (double-quoted). */
export function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;');
}

const INDENTS: string[] = [];
/** Two spaces per level, made once per depth. */
function indentOf(depth: number): string {
  return (INDENTS[depth] ??= '  '.repeat(depth));
}

/** Thrown when a handler builds a `*Ret` the schema does not allow: a simulator bug, never a user error. */
export class RetShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetShapeError';
  }
}

/** Writes response documents against one schema set's element order. */
export class ResponseWriter {
  constructor(private readonly model: QbxmlSchemaModel) {}

  /** A whole response document for a list of `*Rs`. */
  document(responses: readonly RsElement[], msgsAttributes: Readonly<Record<string, string>> = {}): string {
    return this.assemble(responses.map((rs) => this.rs(rs)), msgsAttributes);
  }

  /** The lines of one `*Rs` (throws {@link RetShapeError} when a `*Ret` does not fit the schema). */
  rs(rs: RsElement): string[] {
    const lines: string[] = [];
    this.writeRs(rs, lines);
    return lines;
  }

  /** A response document from `*Rs` written with {@link rs}. */
  assemble(rsLines: ReadonlyArray<readonly string[]>, msgsAttributes: Readonly<Record<string, string>> = {}): string {
    const attrs = Object.entries(msgsAttributes)
      .map(([k, v]) => ` ${k}="${escapeAttribute(v)}"`)
      .join('');
    const lines = ['<?xml version="1.0" ?>', '<QBXML>', `  <QBXMLMsgsRs${attrs}>`];
    for (const rs of rsLines) for (const line of rs) lines.push(line);
    lines.push('  </QBXMLMsgsRs>', '</QBXML>', '');
    return lines.join('\n');
  }

  /** The declaration of a `*Rs` (to check and order its `*Ret`s). */
  private rsDeclaration(name: string): SchemaElement {
    const decl = this.model.resolve(['QBXML', 'QBXMLMsgsRs', name]);
    if (!decl) throw new RetShapeError(`qbXML ${this.model.schemaSet} has no response element ${name}`);
    return decl;
  }

  private writeRs(rs: RsElement, lines: string[]): void {
    const decl = this.rsDeclaration(rs.name);
    const attributes: Array<[string, string | number | undefined]> = [
      ['requestID', rs.requestId],
      ['statusCode', rs.status.code],
      ['statusSeverity', rs.status.severity],
      ['statusMessage', rs.status.message],
      ['retCount', rs.retCount],
      ['iteratorRemainingCount', rs.iteratorRemainingCount],
      ['iteratorID', rs.iteratorId],
    ];
    const attrText = attributes
      .filter(([name, value]) => value !== undefined && decl.attributes.includes(name))
      .map(([name, value]) => ` ${name}="${escapeAttribute(String(value))}"`)
      .join('');
    if (rs.rets.length === 0) {
      lines.push(`    <${rs.name}${attrText} />`);
      return;
    }
    lines.push(`    <${rs.name}${attrText}>`);
    for (const ret of rs.rets) {
      const child = decl.child(ret.name);
      if (!child) throw new RetShapeError(`${rs.name} cannot contain ${ret.name}`);
      this.writeElement(child.element, ret.value, 3, lines);
    }
    lines.push(`    </${rs.name}>`);
  }

  private writeElement(decl: SchemaElement, value: string | RetAggregate, depth: number, lines: string[]): void {
    const indent = indentOf(depth);
    if (typeof value === 'string') {
      if (decl.isAggregate) throw new RetShapeError(`${decl.name} is an aggregate, got text "${value}"`);
      lines.push(`${indent}<${decl.name}>${escapeText(value)}</${decl.name}>`);
      return;
    }
    if (!decl.isAggregate) throw new RetShapeError(`${decl.name} holds text, got an aggregate`);
    const entries: Array<{ slot: number; order: number; decl: SchemaElement; value: string | RetAggregate }> = [];
    let order = 0;
    for (const [name, childValue] of Object.entries(value)) {
      if (childValue === undefined) continue;
      const child = decl.child(name);
      if (!child) throw new RetShapeError(`${decl.name} has no child element ${name}`);
      const values = Array.isArray(childValue) ? childValue : [childValue as string | RetAggregate];
      if (values.length > 1 && !child.repeats) throw new RetShapeError(`${decl.name}/${name} does not repeat`);
      for (const v of values) entries.push({ slot: child.slot, order: order++, decl: child.element, value: v });
    }
    entries.sort((a, b) => a.slot - b.slot || a.order - b.order);
    lines.push(`${indent}<${decl.name}>`);
    for (const entry of entries) this.writeElement(entry.decl, entry.value, depth + 1, lines);
    lines.push(`${indent}</${decl.name}>`);
  }
}
