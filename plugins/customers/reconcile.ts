/**
 * Exactly once for customers: when an answer was lost, look the customer up by the ListID it is linked to,
 * else by the name it would have been added under (and its suffixed variant under the SUFFIX policy).
 * QuickBooks cannot filter by ExternalGUID: a customer carrying ours is certainly ours; one found by name
 * only when no other organization of this file owns it.
 */
import { allRets, isError, sameGuid, textOf, type Organization, type QbxmlResponse, type QuickBooksIds, type Reconciler, type TranslateContext } from '../sdk/index.js';
import { customerGuid, customerName, isSameCustomerName, lookupNames, queryByListId, queryByName } from './customer-request.js';

export const reconcile: Reconciler<Organization> = {
  query(organization, ctx) {
    const link = ctx.customerOf(organization.id);
    if (link?.listId) return queryByListId(link.listId);
    const name = customerName(organization, ctx.connector);
    return queryByName(name ? lookupNames(name, ctx) : [organization.name]);
  },

  interpret(organization: Organization, response: QbxmlResponse, ctx: TranslateContext) {
    if (isError(response)) {
      throw new Error(`cannot tell whether the customer exists: QuickBooks answered the lookup with ${response.statusCode} (${response.statusMessage})`);
    }
    const link = ctx.customerOf(organization.id);
    const name = customerName(organization, ctx.connector);
    const guid = customerGuid(organization, ctx);
    const owner = (r: Record<string, unknown>) => ctx.customerOwner(textOf(r, 'ListID') ?? '');
    const rets = allRets(response, 'CustomerRet').filter((r) => sameGuid(textOf(r, 'ExternalGUID'), guid) || !owner(r) || owner(r) === organization.id);
    const match =
      rets.find((r) => link?.listId && textOf(r, 'ListID') === link.listId) ??
      rets.find((r) => sameGuid(textOf(r, 'ExternalGUID'), guid)) ??
      rets.find((r) => name && (textOf(r, 'FullName') ?? '').toLowerCase() === name.fullName.toLowerCase()) ??
      rets.find((r) => name && isSameCustomerName(textOf(r, 'FullName') ?? '', name));
    if (!match || !textOf(match, 'ListID')) return { absent: true };
    const found: QuickBooksIds = { listId: textOf(match, 'ListID')!, fullName: textOf(match, 'FullName') ?? null, editSequence: textOf(match, 'EditSequence') ?? null };
    return { found };
  },
};
