/**
 * Organization → QuickBooks customer. Matching order: the customer this organization is linked to (its
 * stored ListID), then a customer of exactly its name, else a new customer:
 *  - linked, EditSequence known  → CustomerMod (our fields; the name too if it changed in Autotask)
 *  - linked, EditSequence unknown → CustomerQuery by ListID, then CustomerMod (handleResponse)
 *  - not linked                   → CustomerQuery by full name; no match → CustomerAdd (handleResponse);
 *                                    a match another organization already owns is never linked
 * A name longer than QuickBooks allows fails or is shortened uniquely (the connector's long-name policy). A
 * name a synced vendor, employee or other name already holds fails here under the FAIL collision policy (and
 * for a job's parent under both); under SUFFIX the customer is added suffixed straight away. The sales rep
 * (account manager) and customer type (classification) go as SalesRepRef / CustomerTypeRef; one the synced
 * list lacks fails before sending.
 * Pure: everything comes from the context.
 */
import type { Organization, TranslateContext, TranslateResult } from '../sdk/index.js';
import { customerReferences, fittedCustomerName, lookupNames, modRequest, nameClash, queryByListId, queryByName } from './customer-request.js';

export function translate(organization: Organization, ctx: TranslateContext): TranslateResult {
  const { name, problem } = fittedCustomerName(organization, ctx.connector);
  if (problem) return { kind: 'invalid', problems: [{ field: 'name', message: problem }] };
  if (!name) {
    return { kind: 'invalid', problems: [{ field: 'name', message: 'The organization has no name to give its QuickBooks customer.' }] };
  }
  // A sales rep or customer type QuickBooks lacks would fail with 3140 (or is unmapped under FAIL): say so now.
  const { problems } = customerReferences(organization, ctx);
  if (problems.length) return { kind: 'invalid', problems };
  const link = ctx.customerOf(organization.id);
  if (link?.listId) {
    const request = link.editSequence
      ? modRequest(organization, name, ctx, { listId: link.listId, editSequence: link.editSequence, fullName: link.fullName })
      : queryByListId(link.listId);
    return { kind: 'requests', requests: [request] };
  }
  // A name a vendor, employee or other name holds fails with 3100: say so now rather than after sending.
  const clash = nameClash(name, ctx);
  if (clash) return { kind: 'invalid', problems: [{ field: 'name', message: clash }] };
  return { kind: 'requests', requests: [queryByName(lookupNames(name, ctx))] };
}
