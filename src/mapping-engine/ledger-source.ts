/**
 * The transfer ledger as a Web Connector work source: it drains a connector's queue through the plugins.
 *
 *   QUEUED item           → plugin.translate → validate → prerequisites + main request → SENT
 *                           (invalid data / unmapped items → FAILED with the list; waitFor → stays QUEUED,
 *                            its dependency is queued and goes first)
 *   NEEDS_RECONCILE item  → plugin.reconcile.query → SENT (a lookup, not an attempt)
 *   answer to a lookup    → found: SUCCEEDED with QuickBooks' ids; absent: QUEUED (sent fresh, this session)
 *   answer to a main      → plugin.handleResponse: SUCCEEDED (ids stored, customer links kept) / FAILED with
 *                           hint / follow-up requests in this session
 *   no answer             → NEEDS_RECONCILE: never re-sent before it has been looked up
 *
 * One failing item never blocks the others: each is decided on its own.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type * as Sdk from '../../plugins/sdk/index.js';
import type { Connector } from '../modules/connector/connector.entity.js';
import { OrganizationQbLink, Organization } from '../modules/autotask/organization.entity.js';
import { TransferItem } from '../modules/transfer/transfer-item.entity.js';
import { TransferEntityType, TransferState } from '../modules/transfer/transfer-state.js';
import {
  enqueue, enqueueAll, markConfirmedAbsent, markFailed, markLookupSent, markNeedsReconcile, markSent, markSucceeded, WEB_CONNECTOR_ACTOR,
} from '../modules/transfer/transfer-ledger.js';
import type { QbxmlResponseItem } from '../qbwc/qbxml-message.js';
import type { Budget, OutboundRequest, SentRequest, WorkContext, WorkSource } from '../qbwc/work/work-source.js';
import type { PluginRegistry } from './registry.js';
import { loadTranslationContext, type LoadedContext } from './translation-context.js';
import { plannedToOutbound, toSdkResponse } from './qbxml-adapter.js';

export const LEDGER_SOURCE = 'transfer-ledger';

/** Dependencies go first: customers before invoices before payments; work on transferred invoices last. */
const ORDER: readonly TransferEntityType[] = [
  TransferEntityType.ORGANIZATION,
  TransferEntityType.INVOICE,
  TransferEntityType.PAYMENT,
  TransferEntityType.CREDIT_APPLICATION,
  TransferEntityType.INVOICE_VOID,
];

/** What the engine remembers with each sent request (stored as JSON in the session). */
interface RequestMeta {
  readonly itemId: string;
  readonly plugin: string;
  readonly kind: 'lookup' | 'main' | 'prerequisite';
  /** The planned request, for handleResponse's context. */
  readonly planned: Sdk.PlannedRequest;
  readonly followUps: number;
}

export class LedgerSource implements WorkSource {
  readonly id = LEDGER_SOURCE;

  constructor(private readonly plugins: PluginRegistry) {}

  async pendingCount(ctx: { em: EntityManager; connector: Connector }): Promise<number> {
    return ctx.em.count(TransferItem, { connector: ctx.connector, state: { $in: [TransferState.QUEUED, TransferState.NEEDS_RECONCILE] } });
  }

  async nextRequests(ctx: WorkContext, budget: Budget): Promise<OutboundRequest[]> {
    const { em, connector } = ctx;
    // Dependencies first, fetched type by type: a window over all types in id order could fill up with
    // invoices waiting for a customer that is queued after them and never reached.
    const limit = Math.max(budget.count * 4, 50);
    const candidates: TransferItem[] = [];
    for (const entityType of ORDER) {
      if (candidates.length >= limit) break;
      candidates.push(...(await em.find(
        TransferItem,
        { connector, entityType, state: { $in: [TransferState.QUEUED, TransferState.NEEDS_RECONCILE] } },
        { orderBy: { id: 'asc' }, limit: limit - candidates.length },
      )));
    }
    if (candidates.length === 0) return [];
    const tctx = await loadTranslationContext(em, connector, ctx.qbxmlVersion, candidates);
    const out: OutboundRequest[] = [];
    for (const item of candidates) {
      if (out.length >= budget.count) break;
      const requests = await this.prepare(ctx, tctx, item, budget.count - out.length);
      out.push(...requests);
    }
    return out;
  }

  /** The requests for one ledger item (possibly none: failed before sending, waiting, or no room). */
  private async prepare(ctx: WorkContext, tctx: LoadedContext, item: TransferItem, room: number): Promise<OutboundRequest[]> {
    const entity = tctx.get(item);
    if (entity === undefined) {
      if (item.state === TransferState.QUEUED) {
        markFailed(item, { statusCode: null, message: `The ${item.entityType.toLowerCase()} no longer exists.`, hint: 'Cancel this transfer.' });
      }
      return [];
    }
    const plugin = this.plugins.pluginFor(item.entityType, entity);
    if (!plugin) {
      if (item.state === TransferState.QUEUED) {
        markFailed(item, { statusCode: null, message: `No installed plugin translates this ${item.entityType.toLowerCase()}.`, hint: 'Install a plugin for it (PLUGINS) and retry.' });
      }
      return [];
    }
    const requestId = (suffix: string) => `${item.id}:${suffix}`;
    if (item.state === TransferState.NEEDS_RECONCILE || item.reconcileBeforeSend) {
      const planned = plugin.reconcile.query(entity as never, tctx);
      const out = plannedToOutbound(planned, requestId('L'), ctx.qbxmlVersion, { itemId: item.id, plugin: plugin.id, kind: 'lookup', planned, followUps: 0 });
      if (!out.ok) return this.invalidOutput(item, plugin, out.problems);
      markLookupSent(item, { requestId: out.request.requestId, ticket: ctx.session.ticket });
      return [out.request];
    }
    const result = plugin.translate(entity as never, tctx);
    switch (result.kind) {
      case 'skip':
        markFailed(item, { statusCode: 'SKIPPED', message: result.reason, hint: 'Nothing was sent to QuickBooks.' });
        return [];
      case 'invalid':
        markFailed(item, {
          statusCode: 'DATA_PROBLEMS',
          message: result.problems.map((p) => `${p.field}: ${p.message}`).join('; '),
          hint: 'Fix these (for example map the billing items for this connector), then retry.',
        });
        return [];
      case 'waitFor':
        return this.waitFor(ctx, item, result);
      case 'requests': {
        if (result.requests.length > room) return []; // waits for the next message of this session
        const outs: OutboundRequest[] = [];
        let prerequisite = 0;
        for (const planned of result.requests) {
          const kind = planned.role === 'main' ? 'main' : 'prerequisite';
          const out = plannedToOutbound(planned, requestId(kind === 'main' ? 'M' : `P${++prerequisite}`), ctx.qbxmlVersion, {
            itemId: item.id, plugin: plugin.id, kind, planned, followUps: 0,
          });
          if (!out.ok) return this.invalidOutput(item, plugin, out.problems);
          outs.push(out.request);
        }
        const main = outs.find((o) => (o.meta as RequestMeta).kind === 'main');
        if (!main) return this.invalidOutput(item, plugin, ['translate returned no main request']);
        markSent(item, { requestId: main.requestId, ticket: ctx.session.ticket });
        return outs;
      }
    }
  }

  /** An entity waits for another one: make sure that one is queued for this connector; if it failed, so does this. */
  private async waitFor(ctx: WorkContext, item: TransferItem, wait: Extract<Sdk.TranslateResult, { kind: 'waitFor' }>): Promise<OutboundRequest[]> {
    const dependency = await enqueue(ctx.em, {
      connector: ctx.connector,
      entityType: wait.entityType as TransferEntityType,
      entityId: wait.entityId,
      actor: WEB_CONNECTOR_ACTOR,
    });
    if (dependency.state === TransferState.FAILED || dependency.state === TransferState.CANCELLED) {
      markFailed(item, {
        statusCode: 'DEPENDENCY_FAILED',
        message: `${wait.reason}, but that transfer is ${dependency.state.toLowerCase()}: ${dependency.qbStatusMessage ?? ''}`.trim(),
        hint: 'Fix and retry the transfer it depends on, then retry this one.',
      });
    }
    return [];
  }

  private invalidOutput(item: TransferItem, plugin: Sdk.ItemTypePlugin<never>, problems: readonly string[]): OutboundRequest[] {
    if (item.state === TransferState.QUEUED || item.state === TransferState.SENT) {
      markFailed(item, {
        statusCode: 'PLUGIN_OUTPUT_INVALID',
        message: `Plugin ${plugin.id} ${plugin.version} produced qbXML that does not match Intuit's schema: ${problems.join('; ')}`,
        hint: 'Nothing was sent. Report this to the plugin\'s author.',
      });
    }
    return [];
  }

  async handleResponse(ctx: WorkContext, request: SentRequest, response: QbxmlResponseItem): Promise<OutboundRequest[]> {
    const meta = request.meta as RequestMeta;
    if (meta.kind === 'prerequisite') {
      if (response.statusSeverity === 'Error' && response.statusCode !== 3100) {
        ctx.logger.warn({ requestId: request.requestId, status: response.statusCode, message: response.statusMessage }, 'a prerequisite request failed');
      }
      return [];
    }
    const item = await ctx.em.findOne(TransferItem, { id: meta.itemId });
    if (!item || item.state !== TransferState.SENT) return [];
    const plugin = this.plugins.byId(meta.plugin);
    if (!plugin) {
      markNeedsReconcile(item, { reason: `the plugin ${meta.plugin} that sent it is no longer installed` });
      return [];
    }
    const tctx = await loadTranslationContext(ctx.em, ctx.connector, ctx.qbxmlVersion, [item]);
    const entity = tctx.get(item);
    const sdkResponse = toSdkResponse(response);
    if (meta.kind === 'lookup') {
      // An error answer to a lookup proves nothing: stay unresolved rather than risk a duplicate.
      if (response.statusSeverity === 'Error') {
        markNeedsReconcile(item, { reason: `the lookup failed: ${response.statusCode} ${response.statusMessage}` });
        return [];
      }
      const verdict = plugin.reconcile.interpret(entity as never, sdkResponse, tctx);
      if ('found' in verdict) await this.succeed(ctx.em, item, verdict.found, { statusCode: '0', message: 'found in QuickBooks: it had been recorded' }, plugin, entity);
      else markConfirmedAbsent(item);
      return [];
    }
    const outcome = plugin.handleResponse(sdkResponse, { connector: tctx.connector, request: meta.planned, followUps: meta.followUps, entity: entity as never, lookups: tctx });
    switch (outcome.kind) {
      case 'succeeded':
        await this.succeed(ctx.em, item, outcome.ids, {
          statusCode: String(response.statusCode),
          message: outcome.note ?? response.statusMessage,
        }, plugin, entity);
        return [];
      case 'failed':
        markFailed(item, { statusCode: outcome.statusCode, message: outcome.message, hint: outcome.hint });
        return [];
      case 'followUp': {
        const outs: OutboundRequest[] = [];
        let n = 0;
        for (const planned of outcome.requests) {
          const kind = planned.role === 'main' ? 'main' : 'prerequisite';
          const out = plannedToOutbound(planned, `${item.id}:F${meta.followUps + 1}${++n}`, ctx.qbxmlVersion, {
            itemId: item.id, plugin: plugin.id, kind, planned, followUps: meta.followUps + 1,
          });
          if (!out.ok) return this.invalidOutput(item, plugin, out.problems);
          outs.push(out.request);
        }
        const main = outs.find((o) => (o.meta as RequestMeta).kind === 'main');
        if (main) item.requestId = main.requestId;
        return outs;
      }
    }
  }

  /**
   * SUCCEEDED with QuickBooks' ids; an organization's customer is remembered for this connector; what the
   * plugin says follows (`queuesAfter`, e.g. applying a credit memo) is queued for the same connector.
   */
  private async succeed(
    em: EntityManager, item: TransferItem, ids: Sdk.QuickBooksIds, status: { statusCode: string; message: string },
    plugin: Sdk.ItemTypePlugin<never>, entity: unknown,
  ): Promise<void> {
    markSucceeded(item, { ...ids, ...status });
    const next = entity === undefined ? [] : (plugin.queuesAfter?.(entity as never, ids) ?? []);
    if (next.length) {
      await enqueueAll(em, next.map((ref) => ({ connector: item.connector, entityType: ref.entityType as TransferEntityType, entityId: ref.entityId, actor: WEB_CONNECTOR_ACTOR })));
    }
    if (item.entityType === TransferEntityType.ORGANIZATION && ids.listId) {
      const organization = em.getReference(Organization, item.entityId);
      let link = await em.findOne(OrganizationQbLink, { organization, connector: item.connector });
      if (!link) em.persist((link = new OrganizationQbLink(organization, item.connector, ids.listId, ids.fullName ?? '')));
      link.listId = ids.listId;
      if (ids.fullName) link.fullName = ids.fullName;
      link.editSequence = ids.editSequence ?? link.editSequence;
    }
  }

  async handleUnknownOutcome(ctx: Omit<WorkContext, 'qbxmlVersion'>, requests: readonly SentRequest[], reason: string): Promise<void> {
    const itemIds = [...new Set(requests.map((r) => (r.meta as RequestMeta).itemId))];
    for (const item of await ctx.em.find(TransferItem, { id: { $in: itemIds } })) {
      if (item.state === TransferState.SENT) markNeedsReconcile(item, { reason });
    }
  }
}
