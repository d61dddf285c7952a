/**
 * Built-in plugin: a resource's own QuickBooks vendor (RESOURCE_VENDOR, the entity is the resource), the one
 * the bills of its expense reports go to (parity-transfers.md §5.1). An expense report of an unmapped resource
 * waits for it, as an invoice waits for its customer; its ListID, stored with this transfer, is then the
 * bill's VendorRef, so later reports of the resource reuse it (after a restart too).
 *
 * Found or added with the SDK's named-list rule (plugins/sdk/named-list.ts), numbered: a synced vendor named
 * like the resource ("First Last", "Last, First") is linked when no other resource or Autotask vendor owns it,
 * else "v-Lastname, Firstname" (Autotask's form; ", Firstname" dropped without a first name, 41 characters
 * under the long-name policy). When that name belongs to another resource's vendor, or QuickBooks has it in
 * another list (3100), the resource gets "v-Lastname, Firstname (2)", and so on: two resources of one name
 * never share a vendor. The Add carries the resource's ExternalGUID, so a lost answer is found by reconcile
 * and never added twice. Pure: everything comes from the context.
 */
import {
  afterNamedEntryAnswer, commonHint, compact, definePlugin, externalGuid, fit, fitEntryName, interpretNamedEntry, namedEntryLookup, namedEntryQuery,
  type NamedEntry, type Resource, type TranslateContext,
} from '../sdk/index.js';

/** Autotask's form for a vendor it creates: "v-Lastname, Firstname". */
export function vendorName(resource: Pick<Resource, 'firstName' | 'lastName'>): string {
  const first = resource.firstName.trim();
  const last = resource.lastName.trim();
  return first ? `v-${last}, ${first}` : `v-${last}`;
}

/** The vendor a resource gets, or a problem with its name. */
function vendorEntry(resource: Resource, ctx: Pick<TranslateContext, 'connector' | 'nameTakenBy'>): { entry: NamedEntry } | { problem: string } {
  const first = resource.firstName.trim();
  const last = resource.lastName.trim();
  if (!first && !last) return { problem: 'The resource has no name to give its QuickBooks vendor: name it in Autotask, or map it to its vendor (RESOURCE_VENDOR).' };
  const fitted = fitEntryName(vendorName(resource), 'Vendor', ctx.connector, 'a QuickBooks vendor name');
  if (!fitted.ok) return { problem: fitted.message };
  // Vendors of the synced list named like the resource, as QuickBooks spells them.
  const existing = [`${first} ${last}`.trim(), first ? `${last}, ${first}` : last].flatMap((name) => {
    const holder = ctx.nameTakenBy(name);
    return holder?.list === 'VENDOR' ? [holder.name] : [];
  });
  const guid = externalGuid(ctx.connector, 'RESOURCE_VENDOR', resource.id);
  return {
    entry: {
      list: 'Vendor',
      name: fitted.value,
      owner: { entityType: 'RESOURCE_VENDOR', entityId: resource.id },
      guid,
      numbered: true,
      existing,
      // An Autotask vendor's QuickBooks vendor is for purchase orders, not a resource's expenses.
      sharedWith: ['VENDOR'],
      fields: compact({
        FirstName: first ? fit(first, 25) : undefined,
        LastName: last ? fit(last, 25) : undefined,
        NameOnCheck: fit(`${first} ${last}`.trim(), 41),
        ExternalGUID: guid,
      }),
    },
  };
}

const HINT = "Fix what QuickBooks reports above (in QuickBooks or in Autotask), or map the resource to its vendor (RESOURCE_VENDOR), then retry.";

export default definePlugin<Resource>({
  id: 'resource-vendors',
  version: '1.0.0',
  apiVersion: 1,
  handles: { entity: 'RESOURCE_VENDOR' },
  emits: ['VendorQueryRq', 'VendorAddRq'],
  translate(resource, ctx) {
    if (ctx.mappedTarget?.('RESOURCE_VENDOR', String(resource.autotaskId))) {
      return { kind: 'skip', reason: 'The resource is mapped to its QuickBooks vendor (RESOURCE_VENDOR): its expense reports use the mapping.' };
    }
    const made = vendorEntry(resource, ctx);
    if ('problem' in made) return { kind: 'invalid', problems: [{ field: 'resource', message: made.problem }] };
    return { kind: 'requests', requests: [namedEntryQuery(made.entry)] };
  },
  handleResponse(response, ctx) {
    const made = ctx.entity && ctx.lookups && vendorEntry(ctx.entity, ctx.lookups);
    if (!made || 'problem' in made) {
      return { kind: 'failed', statusCode: String(response.statusCode), message: response.statusMessage, hint: 'The host did not pass the resource to handleResponse: update qbd-bridge.' };
    }
    return afterNamedEntryAnswer(response, ctx, made.entry, commonHint(response.statusCode) ?? HINT);
  },
  reconcile: {
    query(resource, ctx) {
      const made = vendorEntry(resource, ctx);
      return 'entry' in made ? namedEntryLookup(made.entry) : namedEntryQuery({ list: 'Vendor', name: vendorName(resource) });
    },
    interpret(resource, response, ctx) {
      const made = vendorEntry(resource, ctx);
      if ('problem' in made) return { absent: true };
      return interpretNamedEntry(made.entry, response, ctx);
    },
  },
});
