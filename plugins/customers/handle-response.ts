/**
 * QuickBooks' answers about customers, by the request they answer:
 *  - CustomerQuery by name: found and owned by no other organization of this file → linked; owned by
 *    another → failed (two organizations must not share a customer); no match (status 1, or 500 when
 *    several names were asked) → follow-up CustomerAdd (with the parents of a job as prerequisites),
 *    under SUFFIX named "<name> (C)" at once when the synced lists show a vendor, employee or other name
 *    holding the name.
 *  - CustomerAdd: added → linked; 3100 (the name is a vendor's, employee's or other name's) → under the
 *    SUFFIX policy a follow-up CustomerAdd named "<name> (C)", under FAIL a failure saying what to do.
 *  - CustomerMod: modified → linked; 3200 (stale EditSequence) → once, follow-up CustomerQuery by ListID.
 *  - CustomerQuery by ListID: → follow-up CustomerMod with the fresh EditSequence.
 */
import {
  allRets,
  commonHint,
  failure,
  isError,
  textOf,
  type Organization,
  type QbxmlResponse,
  type QuickBooksIds,
  type ResponseContext,
  type ResponseOutcome,
} from '../sdk/index.js';
import { COLLISION_SUFFIX, NAME_MAX, addRequests, customerName, isSameCustomerName, modRequest, nameToAdd, queryByListId, withSuffix, type CustomerName } from './customer-request.js';

/** How deep a chain of follow-ups may go for one organization (query → add → add with suffix). */
const MAX_FOLLOW_UPS = 3;

export function handleResponse(response: QbxmlResponse, ctx: ResponseContext<Organization>): ResponseOutcome {
  switch (ctx.request.type) {
    case 'CustomerQueryRq':
      return 'ListID' in ctx.request.body ? afterListIdQuery(response, ctx) : afterNameQuery(response, ctx);
    case 'CustomerAddRq':
      return afterAdd(response, ctx);
    case 'CustomerModRq':
      return afterMod(response, ctx);
    default:
      return failure(response, `The customers plugin does not send ${ctx.request.type}: report this to qbd-bridge's developers.`);
  }
}

function idsOf(ret: Record<string, unknown>): QuickBooksIds {
  return { listId: textOf(ret, 'ListID') ?? null, fullName: textOf(ret, 'FullName') ?? null, editSequence: textOf(ret, 'EditSequence') ?? null };
}

function hintFor(response: QbxmlResponse): string {
  return commonHint(response.statusCode) ?? 'Fix what QuickBooks reports above (in QuickBooks or in Autotask), then transfer the organization again.';
}

/** The answer carried no customer although QuickBooks did not refuse: nothing to link. */
function noCustomer(response: QbxmlResponse, ctx: ResponseContext<Organization>): ResponseOutcome {
  return failure(response, `QuickBooks answered ${ctx.request.type} without a customer: transfer the organization again; if it persists, report it.`);
}

/** What handleResponse needs from the host to build follow-ups. */
function entityOf(ctx: ResponseContext<Organization>): { organization: Organization; name: CustomerName } | undefined {
  const name = ctx.entity && customerName(ctx.entity, ctx.connector);
  return ctx.entity && ctx.lookups && name ? { organization: ctx.entity, name } : undefined;
}

const HOST_TOO_OLD = 'The host did not pass the organization and lookups to handleResponse (ResponseContext.entity / lookups): update qbd-bridge.';

function afterNameQuery(response: QbxmlResponse, ctx: ResponseContext<Organization>): ResponseOutcome {
  if (isError(response)) return failure(response, hintFor(response));
  const subject = entityOf(ctx);
  const rets = allRets(response, 'CustomerRet');
  if (rets.length > 0) {
    // Prefer the exact name over the suffixed one when both exist.
    const asked = ((ctx.request.body['FullName'] as string[] | undefined) ?? []).map((n) => n.toLowerCase());
    const rank = (ret: Record<string, unknown>) => {
      const i = asked.indexOf((textOf(ret, 'FullName') ?? '').toLowerCase());
      return i < 0 ? asked.length : i;
    };
    const best = [...rets].sort((a, b) => rank(a) - rank(b))[0]!;
    const listId = textOf(best, 'ListID');
    if (!listId) return noCustomer(response, ctx);
    const owner = ctx.lookups?.customerOwner(listId);
    if (owner && owner !== ctx.entity?.id) {
      return failure(
        response,
        `The QuickBooks customer "${textOf(best, 'FullName') ?? ''}" already belongs to another organization in this company file, so it is not linked to this one ` +
          '(its invoices would go to the wrong customer): give the organizations distinct names in Autotask, then transfer again.',
      );
    }
    return { kind: 'succeeded', ids: idsOf(best), note: `Linked to the existing QuickBooks customer "${textOf(best, 'FullName') ?? ''}".` };
  }
  if (!subject) return failure(response, HOST_TOO_OLD);
  if (ctx.followUps >= MAX_FOLLOW_UPS) return failure(response, 'Gave up adding the customer after several attempts in this session: transfer the organization again.');
  const shortened = subject.name.shortened.length > 0 ? ` (shortened to QuickBooks' ${NAME_MAX} characters from "${subject.name.shortened.join('", "')}")` : '';
  const adding = nameToAdd(subject.name, ctx.lookups!);
  const taken = adding === subject.name ? '' : ` and a vendor, employee or other name holds that name: adding it as "${adding.fullName}"`;
  return {
    kind: 'followUp',
    requests: addRequests(subject.organization, adding, ctx.lookups!),
    note: `No QuickBooks customer is named "${subject.name.fullName}"${shortened}${taken || ': adding it'}.`,
  };
}

function afterAdd(response: QbxmlResponse, ctx: ResponseContext<Organization>): ResponseOutcome {
  const add = ctx.request.body['CustomerAdd'] as Record<string, unknown>;
  const name = String(add['Name'] ?? '');
  const parent = textOf(add, 'ParentRef.FullName');
  const fullName = parent ? `${parent}:${name}` : name;
  if (isError(response)) {
    if (response.statusCode !== 3100) {
      if (response.statusCode === 3140 && parent) {
        return failure(response, `The parent customer "${parent}" of this job could not be used (it may be a vendor, employee or other name of that name): rename it in QuickBooks or Autotask, then transfer again.`);
      }
      return failure(response, hintFor(response));
    }
    if (name.endsWith(COLLISION_SUFFIX)) {
      return failure(response, `Both "${fullName.slice(0, -COLLISION_SUFFIX.length)}" and "${fullName}" are already used in QuickBooks by other names: rename one of them, then transfer again.`);
    }
    if (ctx.connector.customerNameCollision === 'FAIL' || ctx.followUps >= MAX_FOLLOW_UPS) {
      return failure(
        response,
        `The name "${fullName}" is already used in QuickBooks by a vendor, employee or other name (QuickBooks shares one name list between them): ` +
          `rename one of them in QuickBooks or Autotask, or set the connector's customer name collision policy to SUFFIX to add such customers as "${withSuffix(name)}".`,
      );
    }
    const suffixed = withSuffix(name);
    return {
      kind: 'followUp',
      requests: [{ type: 'CustomerAddRq', role: 'main', body: { CustomerAdd: { ...add, Name: suffixed } } }],
      note: `The name "${fullName}" is used by a vendor, employee or other name in QuickBooks: adding the customer as "${parent ? `${parent}:` : ''}${suffixed}".`,
    };
  }
  const ret = allRets(response, 'CustomerRet')[0];
  if (!ret || !textOf(ret, 'ListID')) return noCustomer(response, ctx);
  return { kind: 'succeeded', ids: idsOf(ret), note: `Added the QuickBooks customer "${textOf(ret, 'FullName') ?? fullName}".` };
}

function afterMod(response: QbxmlResponse, ctx: ResponseContext<Organization>): ResponseOutcome {
  const listId = textOf(ctx.request.body['CustomerMod'] as Record<string, unknown>, 'ListID') ?? '';
  if (isError(response)) {
    switch (response.statusCode) {
      case 3200:
        // Someone changed the customer in QuickBooks since we last saw it: read it again and retry, once.
        if (ctx.followUps === 0) {
          return { kind: 'followUp', requests: [queryByListId(listId)], note: 'The customer changed in QuickBooks since it was last read: reading it again to retry the update.' };
        }
        return failure(response, 'The customer keeps changing in QuickBooks while we update it: transfer the organization again later.');
      case 3120:
        return failure(response, linkGoneHint(listId));
      case 3100:
        return failure(response, 'The organization was renamed in Autotask to a name QuickBooks already uses for another customer, vendor, employee or other name: rename one of them, then transfer again.');
      default:
        return failure(response, hintFor(response));
    }
  }
  const ret = allRets(response, 'CustomerRet')[0];
  if (!ret || !textOf(ret, 'ListID')) return noCustomer(response, ctx);
  return { kind: 'succeeded', ids: idsOf(ret), note: `Updated the QuickBooks customer "${textOf(ret, 'FullName') ?? ''}".` };
}

function afterListIdQuery(response: QbxmlResponse, ctx: ResponseContext<Organization>): ResponseOutcome {
  const listId = ((ctx.request.body['ListID'] as string[] | undefined) ?? [])[0] ?? '';
  if (isError(response) && response.statusCode !== 3120) return failure(response, hintFor(response));
  const ret = allRets(response, 'CustomerRet')[0];
  const editSequence = ret && textOf(ret, 'EditSequence');
  if (!ret || !editSequence) return failure(response, linkGoneHint(listId));
  const subject = entityOf(ctx);
  if (!subject) return failure(response, HOST_TOO_OLD);
  if (ctx.followUps >= MAX_FOLLOW_UPS) return failure(response, 'Gave up updating the customer after several attempts in this session: transfer the organization again.');
  const fullName = textOf(ret, 'FullName');
  return {
    kind: 'followUp',
    requests: [modRequest(subject.organization, subject.name, ctx.lookups!, { listId: textOf(ret, 'ListID') ?? listId, editSequence, fullName })],
    note: fullName && !isSameCustomerName(fullName, subject.name)
      ? `Updating the QuickBooks customer "${fullName}" and renaming it "${subject.name.fullName}".`
      : `Updating the QuickBooks customer "${fullName ?? subject.name.fullName}".`,
  };
}

function linkGoneHint(listId: string): string {
  return `The QuickBooks customer this organization is linked to (ListID ${listId}) no longer exists (deleted or merged in QuickBooks): remove the organization's link for this connector and transfer it again to match it by name or add it.`;
}
