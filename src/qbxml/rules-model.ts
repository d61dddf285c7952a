/**
 * The element structure of qbXML (which children an element may have, in which order, which attributes it
 * carries) taken from the generated rules (`generated/rules.ts`) instead of from Intuit's XSDs.
 *
 * Why: the simulator writes its responses in schema order and must run on a bare clone, where the XSDs are
 * not present (they are never copied into the repository). The generated rules already hold every aggregate
 * of the message set — requests, responses and everything they reference — so they answer the same questions
 * as `xsd/schema-model.ts`, which stays as the XSD-reading oracle for tests. The envelopes `QBXML`,
 * `QBXMLMsgsRq` and `QBXMLMsgsRs` are not aggregates of the rules: they are made up here from the message set.
 * Requests of the schema outside the message set appear with no content, their responses with the status
 * attributes only: enough to answer them "not supported by the simulator" (1030).
 */
import { ENVELOPES, OTHER_REQUESTS_130, OTHER_REQUESTS_160 } from './generated/rules.js';
import { qbxmlModelOfSet, type CompiledAggregate, type CompiledParticle } from './validate.js';
import { schemaModelOf, type QbxmlSchemaModel, type SchemaChild, type SchemaElement } from './xsd/schema-model.js';
import type { QbxmlSchemaSet } from './xsd/versions.js';

const cache = new Map<QbxmlSchemaSet, QbxmlSchemaModel>();

/** The status attributes every `…Rs` has (qbxmlops*.xsd, attribute group of each response). */
const STATUS_ATTRIBUTES = ['requestID', 'statusCode', 'statusSeverity', 'statusMessage'];

/** The element structure of a schema set's message set, from the generated rules (built once per set). */
export function rulesSchemaModel(schemaSet: QbxmlSchemaSet): QbxmlSchemaModel {
  let model = cache.get(schemaSet);
  if (!model) {
    model = buildModel(schemaSet);
    cache.set(schemaSet, model);
  }
  return model;
}

function buildModel(schemaSet: QbxmlSchemaSet): QbxmlSchemaModel {
  const rules = qbxmlModelOfSet(schemaSet);
  const elements = new Map<string, SchemaElement>();

  /** An element with a fixed list of children (all may repeat and interleave: the envelopes). */
  const envelope = (name: string, childNames: readonly string[], attributes: readonly string[]): SchemaElement => {
    let children: SchemaChild[] | undefined;
    let byName: Map<string, SchemaChild> | undefined;
    const build = (): Map<string, SchemaChild> => {
      children ??= childNames.map((childName, position) => ({ name: childName, element: aggregateElement(childName)!, position, repeats: true, slot: 0 }));
      byName ??= new Map(children.map((c) => [c.name, c]));
      return byName;
    };
    return {
      name,
      isAggregate: true,
      attributes,
      child: (childName) => build().get(childName),
      get children() {
        build();
        return children!;
      },
    };
  };

  function aggregateElement(name: string): SchemaElement | undefined {
    const known = elements.get(name);
    if (known) return known;
    const aggregate = rules.aggregate(name);
    if (!aggregate) return undefined;
    const element = fromAggregate(aggregate);
    elements.set(name, element);
    return element;
  }

  function fromAggregate(aggregate: CompiledAggregate): SchemaElement {
    let children: SchemaChild[] | undefined;
    let byName: Map<string, SchemaChild> | undefined;
    const build = (): void => {
      if (children) return;
      children = [];
      byName = new Map();
      // Walks the content model in schema order; the alternatives of a repeating choice share one slot.
      const walk = (p: CompiledParticle, slot: number | undefined): void => {
        if (p.kind === 'element') {
          const compiled = aggregate.children.get(p.name)!;
          const element: SchemaElement = compiled.leaf
            ? leafElement(p.name, compiled.textAttributes ? [...compiled.textAttributes.keys()] : [])
            : aggregateElement(p.name)!;
          const child: SchemaChild = { name: p.name, element, position: compiled.position, repeats: compiled.repeats, slot: slot ?? compiled.position };
          children!.push(child);
          if (!byName!.has(p.name)) byName!.set(p.name, child);
          return;
        }
        const first = p.names[0] === undefined ? undefined : aggregate.children.get(p.names[0])?.position;
        const innerSlot = slot ?? (p.kind === 'choice' && p.max > 1 ? first : undefined);
        for (const item of p.items) walk(item, innerSlot);
      };
      if (aggregate.content) walk(aggregate.content, undefined);
    };
    return {
      name: aggregate.name,
      isAggregate: aggregate.content !== undefined,
      attributes: aggregate.attributeList.map((a) => a.name),
      child(childName) {
        build();
        return byName!.get(childName);
      },
      get children() {
        build();
        return children!;
      },
    };
  }

  // Requests outside the message set are known by name only; their responses carry just the status (1030).
  const others = schemaSet === '130' ? OTHER_REQUESTS_130 : OTHER_REQUESTS_160;
  for (const rq of others) elements.set(rq, leafElement(rq, []));
  for (const rq of others) elements.set(rq.replace(/Rq$/, 'Rs'), leafElement(rq.replace(/Rq$/, 'Rs'), STATUS_ATTRIBUTES));
  const requests = [...rules.requests, ...others];
  const responses = requests.map((rq) => rq.replace(/Rq$/, 'Rs'));
  const attributesOf = (name: string): string[] => Object.keys(ENVELOPES[name]?.attributes ?? {});
  const msgsRq = envelope('QBXMLMsgsRq', requests, attributesOf('QBXMLMsgsRq'));
  const msgsRs = envelope('QBXMLMsgsRs', responses, attributesOf('QBXMLMsgsRs'));
  const rootChildren: SchemaChild[] = [msgsRq, msgsRs].map((element) => ({ name: element.name, element, position: 0, repeats: false, slot: 0 }));
  const root: SchemaElement = {
    name: 'QBXML',
    isAggregate: true,
    attributes: [],
    child: (name) => rootChildren.find((c) => c.name === name),
    children: rootChildren,
  };
  const envelopes = new Map([root, msgsRq, msgsRs].map((e) => [e.name, e]));

  return schemaModelOf(schemaSet, (name) => envelopes.get(name) ?? aggregateElement(name));
}

function leafElement(name: string, attributes: readonly string[]): SchemaElement {
  return { name, isAggregate: false, attributes, child: () => undefined, children: [] };
}
