/**
 * Reads one of Intuit's qbXML schema sets (`qbxmlops{130,160}.xsd` and the three files it includes) into a
 * small intermediate model for the code generator: element declarations with their leaf type and facets, or
 * their content model (sequences and choices with min/max occurrences), and their attributes.
 *
 * Scope: the XSD constructs Intuit's qbXML schemas use — global and local elements (`ref`, `type`, inline
 * `simpleType`/`complexType`), named complexTypes, named groups, nested sequence/choice, `simpleContent`
 * extensions, restrictions of the `qbxmltypes` base types with `maxLength`, `enumeration`,
 * `minInclusive`/`maxInclusive`. No complexContent, no wildcards, no attribute groups (none are used).
 * Groups are inlined: the model keeps no trace of group names, only of the particles they contribute.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { schemaSetFiles, type QbxmlSchemaSet } from '../xsd/versions.js';

/** The simple types of `qbxmltypes*.xsd` that qbXML leaf elements are built on. */
export const BASE_TYPES = [
  'IDTYPE',
  'STRTYPE',
  'BOOLTYPE',
  'DATETYPE',
  'DATETIMETYPE',
  'TIMEINTERVALTYPE',
  'AMTTYPE',
  'PRICETYPE',
  'QUANTYPE',
  'PERCENTTYPE',
  'ENUMTYPE',
  'INTTYPE',
  'GUIDTYPE',
  'UUIDTYPE',
  'MACROTYPE',
  'FLOATTYPE',
] as const;
export type BaseType = (typeof BASE_TYPES)[number];

/** A text value's type: a base type narrowed by facets. */
export interface XsdLeafType {
  readonly base: BaseType;
  readonly maxLength?: number;
  readonly enumeration?: readonly string[];
  readonly minInclusive?: number;
  readonly maxInclusive?: number;
}

export interface XsdAttribute {
  readonly name: string;
  readonly type: XsdLeafType;
  readonly required: boolean;
}

/** Occurrence bounds; `max` is `Infinity` for `unbounded`. */
export interface Occurs {
  readonly min: number;
  readonly max: number;
}

export type XsdParticle =
  | ({ readonly kind: 'element'; readonly element: XsdElement } & Occurs)
  | ({ readonly kind: 'sequence' | 'choice'; readonly items: readonly XsdParticle[] } & Occurs);

/** An element declaration (global, or local to a content model). */
export interface XsdElement {
  readonly name: string;
  /** True for top-level `<xsd:element name=…>` declarations. */
  readonly global: boolean;
  /** Set for elements with text content (possibly with attributes: `simpleContent`). */
  readonly leaf?: XsdLeafType;
  /** The content model of an aggregate; undefined for leaves and for attribute-only (empty) elements. */
  readonly content?: XsdParticle;
  readonly attributes: readonly XsdAttribute[];
}

/** One schema set, read. */
export interface XsdSchema {
  readonly schemaSet: QbxmlSchemaSet;
  /** A global element declaration by name (`QBXMLMsgsRq`, `InvoiceAdd`, `CustomerRet`, …). */
  element(name: string): XsdElement | undefined;
}

type XsdNode = Record<string, unknown>;

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
function childNodes(node: XsdNode): XsdNode[] {
  const tag = tagOf(node);
  return tag ? ((node[tag] as XsdNode[] | undefined) ?? []).filter((c) => tagOf(c) !== '#text') : [];
}
function localTag(node: XsdNode): string {
  const tag = tagOf(node) ?? '';
  const colon = tag.indexOf(':');
  return colon < 0 ? tag : tag.slice(colon + 1);
}
function occursOf(node: XsdNode): Occurs {
  const a = attrsOf(node);
  const min = a['minOccurs'] === undefined ? 1 : Number(a['minOccurs']);
  const max = a['maxOccurs'] === undefined ? 1 : a['maxOccurs'] === 'unbounded' ? Infinity : Number(a['maxOccurs']);
  return { min, max };
}
function isBaseType(name: string): name is BaseType {
  return (BASE_TYPES as readonly string[]).includes(name);
}

/** Reads the four files of a schema set from `specDir`. */
export function readXsdSchema(specDir: string, schemaSet: QbxmlSchemaSet): XsdSchema {
  const globalElements = new Map<string, XsdNode>();
  const complexTypes = new Map<string, XsdNode>();
  const groups = new Map<string, XsdNode>();
  const simpleTypes = new Map<string, XsdNode>();

  for (const file of schemaSetFiles(schemaSet)) {
    const doc = parser.parse(readFileSync(path.resolve(specDir, file), 'utf8')) as XsdNode[];
    const schema = doc.find((n) => localTag(n) === 'schema');
    for (const top of schema ? childNodes(schema) : []) {
      const name = attrsOf(top)['name'];
      if (!name) continue;
      const table = { element: globalElements, complexType: complexTypes, group: groups, simpleType: simpleTypes }[localTag(top)];
      table?.set(name, top);
    }
  }
  const fail = (message: string): never => {
    throw new Error(`qbXML schema ${schemaSet}: ${message}`);
  };

  /** The leaf type of a `type="…"` reference or an inline `<xsd:simpleType>`. */
  function leafOfTypeName(typeName: string): XsdLeafType {
    if (!isBaseType(typeName)) fail(`unsupported simple type "${typeName}"`);
    // IDTYPE carries its own maxLength facet in qbxmltypes.xsd.
    return typeName === 'IDTYPE' ? { base: 'IDTYPE', maxLength: 36 } : { base: typeName as BaseType };
  }
  function leafOfSimpleType(simpleType: XsdNode): XsdLeafType {
    const restriction = childNodes(simpleType).find((c) => localTag(c) === 'restriction');
    if (!restriction) return fail('a simpleType without restriction is not supported');
    const base = leafOfTypeName(attrsOf(restriction)['base'] ?? '');
    let maxLength = base.maxLength;
    const enumeration: string[] = [];
    let minInclusive: number | undefined;
    let maxInclusive: number | undefined;
    for (const facet of childNodes(restriction)) {
      const value = attrsOf(facet)['value'] ?? '';
      switch (localTag(facet)) {
        case 'maxLength':
          maxLength = Number(value);
          break;
        case 'enumeration':
          enumeration.push(value);
          break;
        case 'minInclusive':
          minInclusive = Number(value);
          break;
        case 'maxInclusive':
          maxInclusive = Number(value);
          break;
        default:
          fail(`unsupported facet ${localTag(facet)}`);
      }
    }
    return {
      base: base.base,
      ...(maxLength !== undefined ? { maxLength } : {}),
      ...(enumeration.length > 0 ? { enumeration } : {}),
      ...(minInclusive !== undefined ? { minInclusive } : {}),
      ...(maxInclusive !== undefined ? { maxInclusive } : {}),
    };
  }

  function attributeOf(node: XsdNode): XsdAttribute {
    const a = attrsOf(node);
    const name = a['name'] ?? fail('attribute without a name');
    const inline = childNodes(node).find((c) => localTag(c) === 'simpleType');
    const type = inline ? leafOfSimpleType(inline) : leafOfTypeName(a['type'] ?? 'STRTYPE');
    return { name, type, required: a['use'] === 'required' };
  }

  function particleOf(node: XsdNode): XsdParticle | undefined {
    const occurs = occursOf(node);
    switch (localTag(node)) {
      case 'element':
        return { kind: 'element', element: declOf(node), ...occurs };
      case 'group': {
        const ref = attrsOf(node)['ref'] ?? '';
        const group = groups.get(ref) ?? fail(`group "${ref}" is not declared`);
        const items = childNodes(group).map(particleOf).filter((p): p is XsdParticle => p !== undefined);
        return { kind: 'sequence', items, ...occurs };
      }
      case 'sequence':
      case 'choice':
        return {
          kind: localTag(node) as 'sequence' | 'choice',
          items: childNodes(node).map(particleOf).filter((p): p is XsdParticle => p !== undefined),
          ...occurs,
        };
      case 'annotation':
        return undefined;
      default:
        return fail(`unsupported content particle <${localTag(node)}>`);
    }
  }

  const declCache = new Map<XsdNode, XsdElement>();

  /** The declaration an `<xsd:element>` node stands for, following `ref` to the global declaration. */
  function declOf(node: XsdNode): XsdElement {
    const ref = attrsOf(node)['ref'];
    const target = ref ? (globalElements.get(ref) ?? fail(`element ref "${ref}" has no global declaration`)) : node;
    let decl = declCache.get(target);
    if (!decl) {
      decl = makeElement(target, attrsOf(target)['name'] ?? '', globalElements.get(attrsOf(target)['name'] ?? '') === target);
      declCache.set(target, decl);
    }
    return decl;
  }

  function complexOf(complexType: XsdNode, name: string, global: boolean): XsdElement {
    const attributes: XsdAttribute[] = [];
    const particles: XsdParticle[] = [];
    let leaf: XsdLeafType | undefined;
    for (const child of childNodes(complexType)) {
      const tag = localTag(child);
      if (tag === 'attribute') attributes.push(attributeOf(child));
      else if (tag === 'simpleContent') {
        for (const extension of childNodes(child)) {
          if (localTag(extension) !== 'extension') fail(`${name}: only simpleContent extensions are supported`);
          leaf = leafOfTypeName(attrsOf(extension)['base'] ?? '');
          for (const a of childNodes(extension)) if (localTag(a) === 'attribute') attributes.push(attributeOf(a));
        }
      } else {
        const particle = particleOf(child);
        if (particle) particles.push(particle);
      }
    }
    if (particles.length > 1) fail(`${name}: a complexType with several top-level particles`);
    return { name, global, attributes, ...(leaf ? { leaf } : {}), ...(particles[0] ? { content: particles[0] } : {}) };
  }

  function makeElement(node: XsdNode, name: string, global: boolean): XsdElement {
    const typeName = attrsOf(node)['type'];
    const inlineComplex = childNodes(node).find((c) => localTag(c) === 'complexType');
    if (inlineComplex) return complexOf(inlineComplex, name, global);
    const inlineSimple = childNodes(node).find((c) => localTag(c) === 'simpleType');
    if (inlineSimple) return { name, global, attributes: [], leaf: leafOfSimpleType(inlineSimple) };
    if (typeName === undefined) return fail(`element "${name}" has no type`);
    const named = complexTypes.get(typeName);
    if (named) return complexOf(named, name, global);
    const simple = simpleTypes.get(typeName);
    if (simple && !isBaseType(typeName)) return { name, global, attributes: [], leaf: leafOfSimpleType(simple) };
    return { name, global, attributes: [], leaf: leafOfTypeName(typeName) };
  }

  return {
    schemaSet,
    element(name) {
      const node = globalElements.get(name);
      return node ? declOf(node) : undefined;
    },
  };
}
