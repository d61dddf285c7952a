/** Small helpers shared by the request handlers. */
import type { ListRecord } from '../../company/types.js';
import type { RequestContext } from '../context.js';
import type { RetAggregate } from '../response-writer.js';
import { child, childTexts, type XmlElement } from '../../../qbxml/xml-tree.js';

/** The `XxxAdd`/`XxxMod` aggregate inside a request (e.g. `CustomerAdd` in `CustomerAddRq`). */
export function requestAggregate(ctx: RequestContext, name: string): XmlElement {
  const aggregate = child(ctx.request, name);
  // The XSD makes the aggregate required, and the message was validated before it got here.
  if (!aggregate) throw new Error(`${ctx.request.name} without ${name} passed schema validation`);
  return aggregate;
}

/** `true`/`false` as qbXML BOOLTYPE text. */
export function boolText(value: boolean): string {
  return value ? 'true' : 'false';
}

/** Private data extensions of a record for the OwnerIDs a query asks for (`OwnerID` elements). */
export function dataExtRets(shape: XmlElement, exts: ListRecord['dataExts']): RetAggregate[] | undefined {
  const owners = childTexts(shape, 'OwnerID');
  if (owners.length === 0 || !exts) return undefined;
  const rets: RetAggregate[] = [];
  for (const [ownerId, values] of Object.entries(exts)) {
    if (!owners.some((o) => o.toUpperCase() === ownerId.toUpperCase())) continue;
    for (const [name, value] of Object.entries(values)) {
      rets.push({ OwnerID: ownerId, DataExtName: name, DataExtType: 'STR255TYPE', DataExtValue: value });
    }
  }
  return rets.length > 0 ? rets : undefined;
}
