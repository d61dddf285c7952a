/**
 * Built-in plugin: Autotask vendors → QuickBooks vendors, found or added with the SDK's named-list rule
 * (plugins/sdk/named-list.ts): an element of exactly the vendor's name is linked unless another vendor of ours
 * owns it, else VendorAdd. A vendor mapped to a QuickBooks vendor (mapping kind VENDOR) is never transferred:
 * purchase orders use the mapping. Pure: everything comes from the context.
 */
import {
  afterNamedEntryAnswer, commonHint, compact, definePlugin, externalGuid, fit, fitEntryName, interpretNamedEntry, namedEntryQuery, qbAddress,
  type NamedEntry, type TranslateContext, type Vendor,
} from '../sdk/index.js';

/** The vendor an Autotask vendor becomes, or a problem with its name. */
function vendorEntry(vendor: Vendor, ctx: Pick<TranslateContext, 'connector'>): { entry: NamedEntry } | { problem: string } {
  const fitted = fitEntryName(vendor.name, 'Vendor', ctx.connector, 'a QuickBooks vendor name');
  if (!fitted.ok) return { problem: fitted.message };
  if (!fitted.value) return { problem: 'The vendor has no name to give its QuickBooks vendor.' };
  const guid = externalGuid(ctx.connector, 'VENDOR', vendor.id);
  return {
    entry: {
      list: 'Vendor',
      name: fitted.value,
      owner: { entityType: 'VENDOR', entityId: vendor.id },
      guid,
      // A resource's own vendor (its expense reports' bills) is not an Autotask vendor's to take.
      sharedWith: ['RESOURCE_VENDOR'],
      fields: compact({
        CompanyName: fit(vendor.name.trim(), 41),
        VendorAddress: qbAddress(vendor.address ?? undefined, fit(vendor.name.trim(), 41)),
        Phone: vendor.phone ? fit(vendor.phone, 21) : undefined,
        Fax: vendor.fax ? fit(vendor.fax, 21) : undefined,
        ExternalGUID: guid,
      }),
    },
  };
}

const HINT = 'Fix what QuickBooks reports above (in QuickBooks or in Autotask), then transfer the vendor again.';

export default definePlugin<Vendor>({
  id: 'vendors',
  version: '1.1.0',
  apiVersion: 1,
  handles: { entity: 'VENDOR' },
  emits: ['VendorQueryRq', 'VendorAddRq'],
  translate(vendor, ctx) {
    const made = vendorEntry(vendor, ctx);
    if ('problem' in made) return { kind: 'invalid', problems: [{ field: 'name', message: made.problem }] };
    return { kind: 'requests', requests: [namedEntryQuery(made.entry)] };
  },
  handleResponse(response, ctx) {
    const made = ctx.entity && vendorEntry(ctx.entity, ctx);
    if (!made || 'problem' in made) {
      return { kind: 'failed', statusCode: String(response.statusCode), message: response.statusMessage, hint: 'The host did not pass the vendor to handleResponse: update qbd-bridge.' };
    }
    return afterNamedEntryAnswer(response, ctx, made.entry, commonHint(response.statusCode) ?? HINT);
  },
  reconcile: {
    query(vendor, ctx) {
      const made = vendorEntry(vendor, ctx);
      return namedEntryQuery({ list: 'Vendor', name: 'entry' in made ? made.entry.name : vendor.name });
    },
    interpret(vendor, response, ctx) {
      const made = vendorEntry(vendor, ctx);
      if ('problem' in made) return { absent: true };
      return interpretNamedEntry(made.entry, response, ctx);
    },
  },
});
