/**
 * The element structure of Intuit's qbXML schema, read from the XSDs at run time: for any element, which
 * child elements it may have and in which order, and which attributes it carries.
 *
 * Why: every qbXML aggregate is an `xsd:sequence`, and QuickBooks (and our validator) rejects children out
 * of order. Deriving the order from the schema instead of hand-ordering ~100 `*Ret` fields keeps the
 * simulator's responses valid by construction, for both schema sets.
 *
 * Scope: the constructs Intuit's qbXML XSDs use (element/ref, named and anonymous complexTypes, named
 * groups, nested sequence/choice, simpleContent extensions, attributes). No complexContent, no wildcards.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { schemaSetFiles, type QbxmlSchemaSet } from './versions.js';

/** A child element an aggregate may contain, with its own declaration (to recurse into). */
export interface SchemaChild {
  readonly name: string;
  readonly element: SchemaElement;
  /** Position in the parent's content model; children must be written in increasing position. */
  readonly position: number;
  /** Whether the element may repeat at this position (`maxOccurs` > 1 on it or an enclosing group). */
  readonly repeats: boolean;
  /**
   * Sort key for writing: equal for the alternatives of one repeating choice (e.g. `InvoiceLineRet` and
   * `InvoiceLineGroupRet`), which may interleave and so keep the order they are given in; else `position`.
   */
  readonly slot: number;
}

/** One element declaration (global or local) of the schema. */
export interface SchemaElement {
  readonly name: string;
  /** True for elements with element children (aggregates); false for text-only elements. */
  readonly isAggregate: boolean;
  /** Attribute names in declaration order (e.g. `requestID`, `statusCode`, ... on a `*Rs`). */
  readonly attributes: readonly string[];
  /** Child elements by name. */
  child(name: string): SchemaChild | undefined;
  /** All possible child elements in content-model order. */
  readonly children: readonly SchemaChild[];
}

/** The element structure of one schema set. */
export interface QbxmlSchemaModel {
  readonly schemaSet: QbxmlSchemaSet;
  /** A global element (`QBXML`, `CustomerRet`, ...). */
  element(name: string): SchemaElement | undefined;
  /** The declaration reached by a path of child names from a global element, e.g. `['QBXML','QBXMLMsgsRs','CustomerQueryRs']`. */
  resolve(pathNames: readonly string[]): SchemaElement | undefined;
}

type XsdNode = Record<string, unknown>;

/** A content-model particle before name resolution. */
type Particle =
  | { readonly kind: 'element'; readonly node: XsdNode; readonly repeats: boolean }
  | { readonly kind: 'group'; readonly ref: string; readonly repeats: boolean }
  | { readonly kind: 'sequence' | 'choice'; readonly items: readonly Particle[]; readonly repeats: boolean };

interface ComplexDef {
  readonly particle: Particle | undefined;
  readonly attributes: readonly string[];
  readonly simpleContent: boolean;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  commentPropName: false as unknown as string,
});

function tagOf(node: XsdNode): string | undefined {
  return Object.keys(node).find((k) => k !== ':@');
}
function attrsOf(node: XsdNode): Record<string, string> {
  return (node[':@'] as Record<string, string> | undefined) ?? {};
}
function childrenOfNode(node: XsdNode): XsdNode[] {
  const tag = tagOf(node);
  return tag ? ((node[tag] as XsdNode[]) ?? []) : [];
}
function localTag(node: XsdNode): string {
  const tag = tagOf(node) ?? '';
  const colon = tag.indexOf(':');
  return colon < 0 ? tag : tag.slice(colon + 1);
}
function repeatsOf(node: XsdNode): boolean {
  const max = attrsOf(node)['maxOccurs'];
  return max !== undefined && max !== '1';
}
/**
 * `maxOccurs="0"` prohibits a particle: Intuit uses it to switch off elements the templates still list
 * (ValueAdjustment's `NewValue | ValueDifference` in 13.0 and 16.0). xmllint rejects them, the generator
 * leaves them out (codegen/closure.ts), and so does this model: they are nobody's children.
 */
function isProhibited(node: XsdNode): boolean {
  return attrsOf(node)['maxOccurs'] === '0';
}

const cache = new Map<string, QbxmlSchemaModel>();

/** Loads (once per spec folder and schema set) the element structure of `qbxmlops{130,160}.xsd` and its includes. */
export function loadQbxmlSchemaModel(specDir: string, schemaSet: QbxmlSchemaSet): QbxmlSchemaModel {
  const key = `${path.resolve(specDir)}|${schemaSet}`;
  let model = cache.get(key);
  if (!model) {
    model = buildModel(specDir, schemaSet);
    cache.set(key, model);
  }
  return model;
}

function buildModel(specDir: string, schemaSet: QbxmlSchemaSet): QbxmlSchemaModel {
  const globalElements = new Map<string, XsdNode>();
  const complexTypes = new Map<string, XsdNode>();
  const groups = new Map<string, XsdNode>();

  for (const file of schemaSetFiles(schemaSet)) {
    const doc = parser.parse(readFileSync(path.resolve(specDir, file), 'utf8')) as XsdNode[];
    const schema = doc.find((n) => localTag(n) === 'schema');
    for (const top of schema ? childrenOfNode(schema) : []) {
      const name = attrsOf(top)['name'];
      if (!name) continue;
      switch (localTag(top)) {
        case 'element':
          globalElements.set(name, top);
          break;
        case 'complexType':
          complexTypes.set(name, top);
          break;
        case 'group':
          groups.set(name, top);
          break;
      }
    }
  }

  function particleOf(node: XsdNode): Particle | undefined {
    if (isProhibited(node)) return undefined;
    switch (localTag(node)) {
      case 'element':
        return { kind: 'element', node, repeats: repeatsOf(node) };
      case 'group':
        return { kind: 'group', ref: attrsOf(node)['ref'] ?? '', repeats: repeatsOf(node) };
      case 'sequence':
      case 'choice':
        return {
          kind: localTag(node) as 'sequence' | 'choice',
          items: childrenOfNode(node).map(particleOf).filter((p): p is Particle => p !== undefined),
          repeats: repeatsOf(node),
        };
      default:
        return undefined;
    }
  }

  function complexDefOf(complexType: XsdNode): ComplexDef {
    let particle: Particle | undefined;
    const attributes: string[] = [];
    let simpleContent = false;
    for (const child of childrenOfNode(complexType)) {
      const tag = localTag(child);
      if (tag === 'attribute') attributes.push(attrsOf(child)['name'] ?? attrsOf(child)['ref'] ?? '');
      else if (tag === 'simpleContent') {
        simpleContent = true;
        for (const ext of childrenOfNode(child)) {
          for (const a of childrenOfNode(ext)) if (localTag(a) === 'attribute') attributes.push(attrsOf(a)['name'] ?? '');
        }
      } else particle ??= particleOf(child);
    }
    return { particle, attributes, simpleContent };
  }

  const declCache = new Map<XsdNode, SchemaElement>();

  /** The declaration an `<xsd:element>` node stands for (following `ref` to the global element). */
  function declOf(node: XsdNode): SchemaElement {
    const ref = attrsOf(node)['ref'];
    const target = ref ? globalElements.get(ref) : node;
    if (!target) throw new Error(`qbXML schema ${schemaSet}: element ref "${ref}" has no global declaration`);
    let decl = declCache.get(target);
    if (!decl) {
      decl = makeElement(target);
      declCache.set(target, decl);
    }
    return decl;
  }

  function makeElement(node: XsdNode): SchemaElement {
    const name = attrsOf(node)['name'] ?? '';
    const typeName = attrsOf(node)['type'];
    const inline = childrenOfNode(node).find((c) => localTag(c) === 'complexType');
    const typeNode = inline ?? (typeName ? complexTypes.get(typeName) : undefined);
    const def = typeNode ? complexDefOf(typeNode) : undefined;
    let children: SchemaChild[] | undefined;
    let byName: Map<string, SchemaChild> | undefined;
    const flatten = (): void => {
      if (children) return;
      children = [];
      byName = new Map();
      const walk = (p: Particle, repeats: boolean, slot?: number): void => {
        if (p.kind === 'element') {
          const decl = declOf(p.node);
          const position = children!.length;
          const child = { name: decl.name, element: decl, position, repeats: repeats || p.repeats, slot: slot ?? position };
          children!.push(child);
          // The first position wins: a name offered twice (in alternative branches) keeps its earliest slot.
          if (!byName!.has(child.name)) byName!.set(child.name, child);
        } else if (p.kind === 'group') {
          const group = groups.get(p.ref);
          if (!group) throw new Error(`qbXML schema ${schemaSet}: group "${p.ref}" is not declared`);
          for (const c of childrenOfNode(group)) {
            const inner = particleOf(c);
            if (inner) walk(inner, repeats || p.repeats, slot);
          }
        } else {
          // A repeating choice lets its alternatives interleave: they share one slot (kept in given order).
          const innerSlot = slot ?? (p.kind === 'choice' && p.repeats ? children!.length : undefined);
          for (const item of p.items) walk(item, repeats || p.repeats, innerSlot);
        }
      };
      if (def?.particle) walk(def.particle, false);
    };
    return {
      name,
      isAggregate: def !== undefined && !def.simpleContent && def.particle !== undefined,
      attributes: def?.attributes ?? [],
      child(childName) {
        flatten();
        return byName!.get(childName);
      },
      get children() {
        flatten();
        return children!;
      },
    };
  }

  return schemaModelOf(schemaSet, (name) => {
    const node = globalElements.get(name);
    return node ? declOf(node) : undefined;
  });
}

/** A schema model from its global elements: `resolve` follows child names from one of them. */
export function schemaModelOf(schemaSet: QbxmlSchemaSet, element: (name: string) => SchemaElement | undefined): QbxmlSchemaModel {
  return {
    schemaSet,
    element,
    resolve(pathNames) {
      let current = pathNames[0] === undefined ? undefined : element(pathNames[0]);
      for (const name of pathNames.slice(1)) current = current?.child(name)?.element;
      return current;
    },
  };
}
