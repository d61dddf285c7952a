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
 * Keyed prerequisites (PlannedRequest.key, e.g. an item an invoice needs) go at most once per connector: a key
 * QuickBooks created or answered "already exists" (3100) for is recorded (prerequisite.entity.ts) and dropped
 * from later translations, and a key already planned in this message is not planned twice. An item whose
 * requests cannot fit one message (QBWC_MAX_REQUESTS_PER_MESSAGE / QBWC_MAX_MESSAGE_BYTES) sends its keyed
 * prerequisites ahead, a message's worth at a time, and stays QUEUED until the rest fits; when what is left
 * cannot be split (unkeyed requests) it FAILS with the limit named — never QUEUED for ever.
 *
 * One failing item never blocks the others: each is decided on its own.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type * as Sdk from '../../plugins/sdk/index.js';
import type { Connector } from '../modules/connector/connector.entity.js';
import { writeCustomerLinks, type CustomerLinkUpdate } from '../modules/autotask/customer-links.js';
import { TransferItem } from '../modules/transfer/transfer-item.entity.js';
import { raiseConnectorAlerts } from '../modules/transfer/transfer-alert.js';
import { TransferEntityType, TransferState } from '../modules/transfer/transfer-state.js';
import {
  enqueueAll, insertQueued, markConfirmedAbsent, markFailed, markLookupSent, markNeedsReconcile, markSent, markSucceeded, snapshotOf, WEB_CONNECTOR_ACTOR,
  writeSteps, type LedgerSnapshot,
} from '../modules/transfer/transfer-ledger.js';
import type { QbxmlResponseItem } from '../qbwc/qbxml-message.js';
import type { Budget, HandledResponse, OutboundRequest, SentRequest, WorkContext, WorkSource } from '../qbwc/work/work-source.js';
import type { QbwcConfig } from '../app/config.js';
import { newId } from '../shared/ids.js';
import { executeBound } from '../db/rows.js';
import type { PluginRegistry } from './registry.js';
import { ConnectorLookups, fileItems, loadTranslationContext, type LoadedContext } from './translation-context.js';
import { plannedToOutbound, toSdkResponse } from './qbxml-adapter.js';

export const LEDGER_SOURCE = 'transfer-ledger';

/** Dependencies go first: customers before invoices before payments; work on transferred invoices last. */
const ORDER: readonly TransferEntityType[] = [
  TransferEntityType.ORGANIZATION,
  TransferEntityType.INVOICE,
  TransferEntityType.PAYMENT,
  TransferEntityType.CREDIT_APPLICATION,
  TransferEntityType.INVOICE_VOID,
  // Timesheet day-rows need their customers, like invoices; nothing depends on them.
  TransferEntityType.TIME_ACTIVITY,
  // Purchasing: a purchase order's vendor goes first; receipts after the purchase order (and its changes) they link to.
  TransferEntityType.VENDOR,
  TransferEntityType.PURCHASE_ORDER,
  // Expense reports: billable lines need their customers, the bill its resource's own vendor.
  TransferEntityType.RESOURCE_VENDOR,
  TransferEntityType.EXPENSE_REPORT,
  TransferEntityType.ITEM_RECEIPT,
  // Inventory: nothing depends on an adjustment, and one refused (multi-user file) blocks nothing else.
  TransferEntityType.INVENTORY_ADJUSTMENT,
];

/** The ledger kinds that find list elements by name and must not take one another entity owns (vendors). */
const OWNED_LISTS: readonly TransferEntityType[] = [TransferEntityType.VENDOR, TransferEntityType.RESOURCE_VENDOR];

/** What the engine remembers with each sent request (stored as JSON in the session). */
interface RequestMeta {
  readonly itemId: string;
  readonly plugin: string;
  readonly kind: 'lookup' | 'main' | 'prerequisite';
  /** The planned request, for handleResponse's context. */
  readonly planned: Sdk.PlannedRequest;
  readonly followUps: number;
  /** A keyed prerequisite's key (recorded as done when QuickBooks created it or says it exists). */
  readonly key?: string;
}

/** What the session engine counts per request besides its qbXML (the message envelope it allows for). */
const REQUEST_OVERHEAD_BYTES = 200;
const ALREADY_EXISTS = 3100;

/** The message limits an item's requests must fit. */
export type MessageLimits = Pick<QbwcConfig, 'maxRequestsPerMessage' | 'maxMessageBytes'>;

/** A dependency's ledger row as an item waiting for it goes by. */
interface Dependency {
  readonly id: string;
  readonly state: TransferState;
  readonly qbStatusMessage: string | null;
}

type Wait = Extract<Sdk.TranslateResult, { kind: 'waitFor' }>;

/**
 * Per nextRequests call: prerequisites done in the file, keys already planned into this message, the
 * dependencies items wait for, by `<type>:<id>` (ten invoices of one customer look it up once, not ten times),
 * the round's items waiting for one not known yet (settleWaits looks them all up at once), and which item each
 * waiting item waits for (written at the end of the call: TransferItem.waitsFor).
 */
interface PrerequisiteState {
  readonly done: ReadonlySet<string>;
  readonly planned: Set<string>;
  readonly dependencies: Map<string, Dependency>;
  readonly waiting: Array<{ readonly item: TransferItem; readonly wait: Wait }>;
  readonly waits: Map<string, string>;
}

/** One answered message's ledger items (read as rows, with what they were: see ItemSteps) and translation context. */
interface AnsweredMessage {
  readonly steps: ItemSteps;
  context?: LoadedContext;
  /**
   * List elements its answers gave to entities that must not share them (OWNED_LISTS), `<type>:<ListID>` → entity
   * id: a later answer of the same message sees them owned although the ledger is not written yet (two resources
   * of one name, looked up together, never both link to one vendor).
   */
  readonly claims: Map<string, string>;
  /** The customers its organizations' answers named, by organization id: written at once when the message is done. */
  readonly customerLinks: Map<string, CustomerLinkUpdate>;
}

/**
 * Ledger items of one call, read outside the identity map, each with its snapshot as read: the ledger's
 * transitions change them in memory and `writeSteps` writes them all at once at the end of the call (a flush
 * would write them one row at a time, and walk every one of them at every query of the call).
 */
class ItemSteps {
  private readonly items = new Map<string, readonly [TransferItem, LedgerSnapshot]>();

  constructor(private readonly ctx: Pick<WorkContext, 'em' | 'connector'>) {}

  get connectorId(): string {
    return this.ctx.connector.id;
  }

  /** The items with these ids (this connector's; with `state`, only those in it), the ones this call already holds as they are in memory. */
  async byIds(ids: readonly string[], state?: TransferState): Promise<TransferItem[]> {
    return this.select(
      `select t.* from transfer_item t where t.connector_id = ? and t.id = any(?)${state ? ' and t.state = ?' : ''} order by t.id`,
      [this.connectorId, [...ids], ...(state ? [state] : [])],
    );
  }

  /**
   * The items of a statement of this call's own (`select t.*` of transfer_item, column-keyed, in its order), the
   * ones this call already holds as they are in memory. Hydrated by a fork's entity factory (the call's own would
   * refresh in place an item the call also has managed: one whose outcome it just settled), not merged into any
   * unit of work: registering each in an identity map (its snapshot, its references) cost more than the rest of
   * reading it, and they are written by `write`, never by a flush.
   */
  async select(sql: string, params: readonly unknown[]): Promise<TransferItem[]> {
    await this.flushManaged();
    const rows = await executeBound<{ id: string }>(this.ctx.em, sql, params);
    const fork = this.ctx.em.getContext(false).fork({ keepTransactionContext: true });
    const meta = fork.getMetadata().get(TransferItem.name);
    const factory = fork.getEntityFactory();
    const driver = fork.getDriver();
    return rows.map((row) => this.items.get(row.id)?.[0]
      ?? this.hold(factory.create(TransferItem, driver.mapResult(row, meta) as object, { merge: false, refresh: true, convertCustomTypes: true })));
  }

  /**
   * What the call changed through managed entities first (items whose outcome became unknown, just settled), as
   * flush mode AUTO would before a query: the reads run in a fork, which would not flush them itself.
   */
  private async flushManaged(): Promise<void> {
    await this.ctx.em.flush();
  }

  private hold(row: TransferItem): TransferItem {
    // The call's own connector entity, not the reference of the fork the row was read in: new rows that name it
    // (queued follow-on work, customer links, alerts) are persisted by the call's EntityManager.
    row.connector = this.ctx.connector;
    this.items.set(row.id, [row, snapshotOf(row)]);
    return row;
  }

  async get(id: string): Promise<TransferItem | undefined> {
    return this.items.get(id)?.[0] ?? (await this.byIds([id]))[0];
  }

  /** Writes what changed (and forgets the items: a later call reads them again). */
  async write(): Promise<void> {
    const items = [...this.items.values()];
    this.items.clear();
    await writeSteps(this.ctx.em, items);
  }
}

export class LedgerSource implements WorkSource {
  readonly id = LEDGER_SOURCE;
  /** The items and translation context of one answered message (prepareResponses .. finishResponses). */
  private readonly answeredMessage = new WeakMap<WorkContext, AnsweredMessage>();

  constructor(
    private readonly plugins: PluginRegistry,
    private readonly limits: MessageLimits,
  ) {}

  async pendingCount(ctx: { em: EntityManager; connector: Connector }): Promise<number> {
    return ctx.em.count(TransferItem, { connector: ctx.connector, state: { $in: [TransferState.QUEUED, TransferState.NEEDS_RECONCILE] } });
  }

  /** One row by the partial index transfer_item_pending, however long the queue (asked after every answer). */
  async hasPending(ctx: { em: EntityManager; connector: Connector }): Promise<boolean> {
    // The answers just handled may have queued items again (found after a lost answer but changed meanwhile,
    // confirmed absent): written first, so this statement sees them and the session goes on to send them.
    await ctx.em.flush();
    const rows = await executeBound(ctx.em, `select 1 from transfer_item where connector_id = ? and state in ('QUEUED', 'NEEDS_RECONCILE') limit 1`, [ctx.connector.id]);
    return rows.length > 0;
  }

  async nextRequests(ctx: WorkContext, budget: Budget): Promise<OutboundRequest[]> {
    const { em, connector } = ctx;
    // Dependencies first, fetched type by type: a window over all types in id order could fill up with
    // invoices waiting for a customer that is queued after them and never reached. Candidates are loaded (and
    // translated) a message's room at a time, not the whole window at once: most of them usually go, and a
    // window's translation context loaded for a message that takes a quarter of it was most of a message's cost;
    // rounds after candidates that mostly waited read more (roundSize).
    // At most `window` candidates are looked at, so items that send nothing (waiting, failing) cannot make one
    // message read the whole queue. Eight messages' worth: an item that waits is looked at once (then skipped
    // until its dependency is done: waits_for), and invoices of new customers are how their customers are found —
    // at four, a message found 20 customers of 10 invoices each and went out a third empty (bench: 85 → 76
    // messages for 3 000 invoices).
    const window = Math.max(budget.count * 8, 50);
    const cursors = new Map<TransferEntityType, string>();
    const exhausted = new Set<TransferEntityType>();
    const lookups = new ConnectorLookups();
    const { prerequisitesDone } = await fileItems(em, connector.id, lookups);
    const prerequisites: PrerequisiteState = { done: prerequisitesDone, planned: new Set(), dependencies: new Map(), waiting: [], waits: new Map() };
    const steps = new ItemSteps(ctx);
    const out: OutboundRequest[] = [];
    const rounds: RoundsSoFar = { examined: 0, queued: 0, queuedLast: 0 };
    while (out.length < budget.count && rounds.examined < window) {
      const wanted = roundSize(budget.count - out.length, window, out.length, rounds);
      const candidates = await this.candidates(steps, wanted, cursors, exhausted);
      if (candidates.length === 0) break;
      rounds.examined += candidates.length;
      const tctx = await loadTranslationContext(em, connector, ctx.qbxmlVersion, candidates, { lookups });
      for (const item of candidates) {
        if (out.length >= budget.count) break;
        out.push(...(await this.prepare(ctx, tctx, item, budget.count - out.length, prerequisites)));
      }
      // Before the next round's read: it sees the dependencies queued, as it would have seen them one by one.
      // A type that had nothing left is read again when this round queued items of it (the customers the round's
      // invoices wait for): they go in this message, not in the next — a message of waiting items only would
      // otherwise be a NoOp (about 5 s of the Web Connector's pause) before each batch of new customers.
      const queued = await settleWaits(ctx, prerequisites);
      for (const entityType of queued) exhausted.delete(entityType);
      rounds.queuedLast = queued.length;
      rounds.queued += queued.length;
    }
    await steps.write();
    await recordWaits(em, prerequisites.waits);
    return out;
  }

  /**
   * Up to `limit` more pending items in dependency order, each type in id order after the last one read in this
   * call (`cursors`); a type that had fewer than asked is not read again (`exhausted`) unless a round queues new
   * items of it (a customer an invoice waits for: nextRequests).
   *
   * One statement for all types (pendingWindow), not one per type: the loop below then gives each type, in
   * ORDER, what room the types before it left, as reading them one at a time did — a type asked for `room` that
   * returned fewer is exhausted, its cursor is its last row taken, and the types after the room ran out are
   * left as they were.
   */
  private async candidates(steps: ItemSteps, limit: number, cursors: Map<TransferEntityType, string>, exhausted: Set<TransferEntityType>): Promise<TransferItem[]> {
    const types = ORDER.filter((t) => !exhausted.has(t));
    if (types.length === 0 || limit <= 0) return [];
    const window = pendingWindow(steps.connectorId, types, cursors, limit);
    const rows = await steps.select(window.sql, window.params);
    const candidates: TransferItem[] = [];
    for (const entityType of types) {
      const room = limit - candidates.length;
      if (room <= 0) break;
      const ofType = rows.filter((r) => r.entityType === entityType);
      if (ofType.length < room) exhausted.add(entityType);
      if (ofType.length > 0) cursors.set(entityType, ofType[ofType.length - 1]!.id);
      candidates.push(...ofType);
    }
    return candidates;
  }

  /** The requests for one ledger item (possibly none: failed before sending, waiting, or no room). */
  private async prepare(ctx: WorkContext, tctx: LoadedContext, item: TransferItem, room: number, prerequisites: PrerequisiteState): Promise<OutboundRequest[]> {
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
      case 'invalid': {
        // A problem of a known kind (NOT_IN_QUICKBOOKS_LIST, ...) gives the failure its code and hint.
        const coded = result.problems.find((p) => p.code);
        markFailed(item, {
          statusCode: coded?.code ?? 'DATA_PROBLEMS',
          message: result.problems.map((p) => `${p.field}: ${p.message}`).join('; '),
          hint: coded?.hint ?? result.hint ?? 'Fix these (for example map the billing items for this connector), then retry.',
        });
        return [];
      }
      case 'waitFor':
        return waitFor(item, result, prerequisites);
      case 'requests': {
        const needed = result.requests.filter((r) => r.role === 'main' || !r.key || !(prerequisites.done.has(r.key) || prerequisites.planned.has(r.key)));
        const outs: OutboundRequest[] = [];
        let prerequisite = 0;
        for (const planned of needed) {
          const kind = planned.role === 'main' ? 'main' : 'prerequisite';
          const out = plannedToOutbound(planned, requestId(kind === 'main' ? 'M' : `P${++prerequisite}`), ctx.qbxmlVersion, {
            itemId: item.id, plugin: plugin.id, kind, planned, followUps: 0, ...(kind === 'prerequisite' && planned.key ? { key: planned.key } : {}),
          } satisfies RequestMeta);
          if (!out.ok) return this.invalidOutput(item, plugin, out.problems);
          outs.push(out.request);
        }
        const main = outs.find((o) => (o.meta as RequestMeta).kind === 'main');
        if (!main) return this.invalidOutput(item, plugin, ['translate returned no main request']);
        const plan = (requests: OutboundRequest[]) => {
          for (const r of requests) if ((r.meta as RequestMeta).key) prerequisites.planned.add((r.meta as RequestMeta).key!);
          return requests;
        };
        if (this.fitsOneMessage(outs)) {
          if (outs.length > room) return []; // waits for the next message of this session
          markSent(item, { requestId: main.requestId, ticket: ctx.session.ticket });
          return plan(outs);
        }
        const ahead = outs.filter((o) => o !== main);
        if (ahead.some((o) => !(o.meta as RequestMeta).key)) return this.tooLarge(item, outs);
        // Too many for one message: keyed prerequisites go ahead, as many as fit; the item stays QUEUED and is
        // translated again for the next message, when the ones QuickBooks answered are done.
        return plan(this.firstThatFit(ahead, room));
      }
    }
  }

  /** Whether requests fit one message of the session engine (one request always does: it goes alone). */
  private fitsOneMessage(requests: readonly OutboundRequest[]): boolean {
    return requests.length === 1 || (requests.length <= this.limits.maxRequestsPerMessage && bytesOf(requests) <= this.limits.maxMessageBytes);
  }

  /** The leading requests that fit `room` requests and one message's bytes (at least one). */
  private firstThatFit(requests: readonly OutboundRequest[], room: number): OutboundRequest[] {
    const chosen: OutboundRequest[] = [];
    for (const r of requests) {
      if (chosen.length >= Math.min(room, this.limits.maxRequestsPerMessage)) break;
      if (chosen.length > 0 && bytesOf([...chosen, r]) > this.limits.maxMessageBytes) break;
      chosen.push(r);
    }
    return chosen;
  }

  private tooLarge(item: TransferItem, requests: readonly OutboundRequest[]): OutboundRequest[] {
    const { maxRequestsPerMessage, maxMessageBytes } = this.limits;
    markFailed(item, {
      statusCode: 'MESSAGE_LIMIT',
      message:
        `The ${item.entityType.toLowerCase()} needs ${requests.length} qbXML requests (about ${bytesOf(requests)} bytes) in one message, more than ` +
        `QBWC_MAX_REQUESTS_PER_MESSAGE (${maxRequestsPerMessage}) or QBWC_MAX_MESSAGE_BYTES (${maxMessageBytes}) allow, and they cannot be sent in parts.`,
      hint: 'Raise QBWC_MAX_REQUESTS_PER_MESSAGE / QBWC_MAX_MESSAGE_BYTES (QuickBooks handles large messages; the Web Connector may time out on very large ones), then retry.',
    });
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

  /**
   * One message's answers at once: its items in one statement (handleResponse then finds them in the
   * EntityManager's identity map) and one translation context for all of them, instead of both per answer.
   */
  async prepareResponses(ctx: WorkContext, answered: ReadonlyArray<{ readonly request: SentRequest; readonly response: QbxmlResponseItem }>): Promise<void> {
    const mains = answered.filter((a) => (a.request.meta as RequestMeta).kind !== 'prerequisite');
    if (mains.length === 0) return;
    const message = this.answered(ctx);
    const items = await message.steps.byIds([...new Set(mains.map((a) => (a.request.meta as RequestMeta).itemId))], TransferState.SENT);
    if (items.length === 0) return;
    // The list elements answers name whose owners matter: customers (organizations) and vendors found by name.
    const listIdsOf = (type: TransferEntityType) => {
      const ofType = new Set(items.filter((i) => i.entityType === type).map((i) => i.id));
      return mains.filter((a) => ofType.has((a.request.meta as RequestMeta).itemId)).flatMap((a) => listIdsIn(a.response.body));
    };
    const lists = { customerListIds: listIdsOf(TransferEntityType.ORGANIZATION), ownedListIds: OWNED_LISTS.flatMap(listIdsOf) };
    message.context = await loadTranslationContext(ctx.em, ctx.connector, ctx.qbxmlVersion, items, { items: false, ...lists });
  }

  /** The answered message of this call, begun by its first answer. */
  private answered(ctx: WorkContext): AnsweredMessage {
    let message = this.answeredMessage.get(ctx);
    if (!message) this.answeredMessage.set(ctx, (message = { steps: new ItemSteps(ctx), claims: new Map(), customerLinks: new Map() }));
    return message;
  }

  /** After a message's answers: what they did to their items, and the customers they named, written at once. */
  async finishResponses(ctx: WorkContext): Promise<void> {
    const message = this.answeredMessage.get(ctx);
    this.answeredMessage.delete(ctx);
    if (!message) return;
    await writeCustomerLinks(ctx.em, ctx.connector.id, message.customerLinks, WEB_CONNECTOR_ACTOR);
    await message.steps.write();
  }

  async handleResponse(ctx: WorkContext, request: SentRequest, response: QbxmlResponseItem): Promise<HandledResponse> {
    const meta = request.meta as RequestMeta;
    const isError = response.statusSeverity === 'Error';
    const counted = (outcome: HandledResponse['outcome'], followUps: OutboundRequest[] = []): HandledResponse => ({ followUps, outcome });
    if (meta.kind === 'prerequisite') return counted(await this.prerequisiteAnswered(ctx, request, response));
    const message = this.answered(ctx);
    const item = await message.steps.get(meta.itemId);
    if (!item || item.state !== TransferState.SENT) return counted(isError ? 'failed' : 'succeeded');
    const plugin = this.plugins.byId(meta.plugin);
    if (!plugin) {
      markNeedsReconcile(item, { reason: `the plugin ${meta.plugin} that sent it is no longer installed` });
      return counted('failed');
    }
    // Who owns the customers an answer names matters to organizations (a customer found by name).
    const prepared = message.context;
    const customerListIds = item.entityType === TransferEntityType.ORGANIZATION ? listIdsIn(response.body) : [];
    // ...and who owns the vendors one names (a vendor found by name).
    const ownedListIds = OWNED_LISTS.includes(item.entityType) ? listIdsIn(response.body) : [];
    const loaded = prepared?.get(item) !== undefined ? prepared! : await loadTranslationContext(ctx.em, ctx.connector, ctx.qbxmlVersion, [item], { items: false, customerListIds, ownedListIds });
    const tctx = OWNED_LISTS.includes(item.entityType) ? withClaims(message, loaded) : loaded;
    const entity = tctx.get(item);
    const sdkResponse = toSdkResponse(response);
    if (meta.kind === 'lookup') {
      // An error answer to a lookup proves nothing: stay unresolved rather than risk a duplicate.
      if (isError) {
        markNeedsReconcile(item, { reason: `the lookup failed: ${response.statusCode} ${response.statusMessage}` });
        return counted('failed');
      }
      const verdict = plugin.reconcile.interpret(entity as never, sdkResponse, tctx);
      if ('found' in verdict) {
        await this.succeed(ctx.em, message, item, verdict.found, { statusCode: '0', message: 'found in QuickBooks: it had been recorded' }, plugin, entity);
        claim(message, item, verdict.found);
      }
      else markConfirmedAbsent(item);
      return counted('succeeded');
    }
    const outcome = plugin.handleResponse(sdkResponse, { connector: tctx.connector, request: meta.planned, followUps: meta.followUps, entity: entity as never, lookups: tctx });
    switch (outcome.kind) {
      case 'succeeded':
        await this.succeed(ctx.em, message, item, outcome.ids, {
          statusCode: String(response.statusCode),
          message: outcome.note ?? response.statusMessage,
          alerts: outcome.alerts,
        }, plugin, entity);
        claim(message, item, outcome.ids);
        raiseConnectorAlerts(ctx.em, item);
        return counted('succeeded');
      case 'failed':
        markFailed(item, { statusCode: outcome.statusCode, message: outcome.message, hint: outcome.hint });
        return counted('failed');
      case 'followUp': {
        const outs: OutboundRequest[] = [];
        let n = 0;
        for (const planned of outcome.requests) {
          const kind = planned.role === 'main' ? 'main' : 'prerequisite';
          const out = plannedToOutbound(planned, `${item.id}:F${meta.followUps + 1}${++n}`, ctx.qbxmlVersion, {
            itemId: item.id, plugin: plugin.id, kind, planned, followUps: meta.followUps + 1, ...(kind === 'prerequisite' && planned.key ? { key: planned.key } : {}),
          } satisfies RequestMeta);
          if (!out.ok) return counted('failed', this.invalidOutput(item, plugin, out.problems));
          outs.push(out.request);
        }
        const main = outs.find((o) => (o.meta as RequestMeta).kind === 'main');
        if (main) item.requestId = main.requestId;
        // The request did its part: its answer leads on to the follow-ups (counted themselves when answered).
        return counted('succeeded', outs);
      }
    }
  }



  /**
   * A prerequisite's answer: created or "already exists" (3100) is a success, and its key is recorded as done
   * (one statement). Another error fails an item that sent its prerequisites ahead (still QUEUED), which
   * would otherwise send them again and again; a sent item learns it from its main request's answer.
   */
  private async prerequisiteAnswered(ctx: WorkContext, request: SentRequest, response: QbxmlResponseItem): Promise<HandledResponse['outcome']> {
    const meta = request.meta as RequestMeta;
    if (response.statusSeverity !== 'Error' || response.statusCode === ALREADY_EXISTS) {
      if (meta.key) await recordPrerequisite(ctx.em, ctx.connector.id, meta.key, response.statusSeverity === 'Error' ? null : firstListId(response.body));
      return 'succeeded';
    }
    ctx.logger.warn({ requestId: request.requestId, status: response.statusCode, message: response.statusMessage }, 'a prerequisite request failed');
    const item = await this.answered(ctx).steps.get(meta.itemId);
    if (item?.state === TransferState.QUEUED) {
      markFailed(item, {
        statusCode: String(response.statusCode),
        message: `QuickBooks refused ${request.type}, which this ${item.entityType.toLowerCase()} needs first: ${response.statusMessage}`,
        hint: 'Fix what QuickBooks reports (for example the income account of items created automatically), then retry.',
      });
    }
    return 'failed';
  }

  /**
   * SUCCEEDED with QuickBooks' ids; an organization's customer is remembered for this connector (written with the
   * message's other answers: finishResponses); what the plugin says follows (`queuesAfter`, e.g. applying a credit
   * memo) is queued for the same connector.
   */
  private async succeed(
    em: EntityManager, message: AnsweredMessage, item: TransferItem, ids: Sdk.QuickBooksIds, status: { statusCode: string; message: string; alerts?: readonly Sdk.TransferAlert[] },
    plugin: Sdk.ItemTypePlugin<never>, entity: unknown,
  ): Promise<void> {
    markSucceeded(item, { ...ids, ...status });
    const next = entity === undefined ? [] : (plugin.queuesAfter?.(entity as never, ids) ?? []);
    if (next.length) {
      await enqueueAll(em, next.map((ref) => ({ connector: item.connector, entityType: ref.entityType as TransferEntityType, entityId: ref.entityId, actor: WEB_CONNECTOR_ACTOR })));
    }
    if (item.entityType === TransferEntityType.ORGANIZATION && ids.listId) {
      message.customerLinks.set(item.entityId, {
        listId: ids.listId, ...(ids.fullName ? { fullName: ids.fullName } : {}), ...(ids.editSequence ? { editSequence: ids.editSequence } : {}),
      });
    }
  }

  async handleUnknownOutcome(ctx: Omit<WorkContext, 'qbxmlVersion'>, requests: readonly SentRequest[], reason: string): Promise<void> {
    const itemIds = [...new Set(requests.map((r) => (r.meta as RequestMeta).itemId))];
    for (const item of await ctx.em.find(TransferItem, { id: { $in: itemIds } })) {
      if (item.state === TransferState.SENT) markNeedsReconcile(item, { reason });
    }
  }
}

/**
 * Not waiting for an item still on its way (TransferItem.waitsFor): such an item would only wait again. Probed by
 * the dependency's primary key, for the rows that waited at all.
 */
const NOT_WAITING = `(t.waits_for is null or not exists (select 1 from transfer_item d where d.id = t.waits_for and d.state in ('QUEUED', 'SENT', 'NEEDS_RECONCILE')))`;

/**
 * The next pending items of each of `types` (after its cursor, in id order, at most `limit` each) in one
 * statement, cut to the first `limit` in the order of `types`: a branch per type, each read by the partial index
 * transfer_item_pending (test/mapping-engine/ledger-query-plans.test.ts), then sorted by type and id, so the rows come in
 * the order the types are listed and each type's in id order; items waiting for one still on its way are left out.
 */
export function pendingWindow(
  connectorId: string, types: readonly TransferEntityType[], cursors: ReadonlyMap<TransferEntityType, string>, limit: number,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const branches = types.map((entityType) => {
    const after = cursors.get(entityType);
    params.push(connectorId, entityType, ...(after === undefined ? [] : [after]), limit);
    return `(select t.* from transfer_item t where t.connector_id = ? and t.entity_type = ? ` +
      `and t.state in ('QUEUED', 'NEEDS_RECONCILE')${after === undefined ? '' : ' and t.id > ?'} and ${NOT_WAITING} order by t.id limit ?)`;
  });
  params.push([...types], limit);
  return { sql: `select * from (${branches.join(' union all ')}) w order by array_position(?::text[], w.entity_type::text), w.id limit ?`, params };
}

/** What the rounds of one nextRequests call have done so far (roundSize). */
interface RoundsSoFar {
  /** Candidates read. */
  examined: number;
  /** Dependencies queued (each goes in a later round of the call: a request to come). */
  queued: number;
  /** Of them, by the last round. */
  queuedLast: number;
}

/**
 * How many candidates the next round reads. While the call's candidates went (or before the first round): the
 * room left. When they mostly waited (invoices of customers not in the file yet: each new customer is found by
 * the invoices waiting for it, ten of them in the bench), reading only the room meant a round per handful of
 * customers, each round's statements and its whole translation context for a few requests (about five rounds
 * a message). So the round reads what fills the room at the rate the call's candidates gave requests or queued
 * dependencies so far — the dependencies the last round queued first (they come first in ORDER), then as many
 * more as should find the rest — keeping room in the window for the round that sends what they queue.
 */
function roundSize(room: number, window: number, sent: number, rounds: Readonly<RoundsSoFar>): number {
  const { examined, queued, queuedLast } = rounds;
  const left = window - examined;
  const gave = sent + queued;
  if (examined === 0 || gave >= examined) return Math.min(room, left);
  const rate = Math.max(gave, 1) / examined;
  const more = Math.ceil(Math.max(0, room - queuedLast) / rate);
  return Math.max(1, Math.min(left, queuedLast + Math.min(more, Math.floor((left - queuedLast) / (1 + rate)))));
}

/**
 * An entity waits for another one: that one is queued for this connector (settleWaits, for the round's items
 * at once, when it is not known yet in this call); if it failed or was cancelled, so does this one.
 */
function waitFor(item: TransferItem, wait: Wait, prerequisites: PrerequisiteState): OutboundRequest[] {
  const dependency = prerequisites.dependencies.get(dependencyKey(wait));
  if (dependency) settleWait(item, wait, dependency, prerequisites);
  else prerequisites.waiting.push({ item, wait });
  return [];
}

/**
 * The dependencies the round's items wait for that this call did not know yet: their ledger rows read in one
 * statement (the unique index on entity_type, entity_id, connector_id), the missing ones queued in one insert.
 * A failed or cancelled dependency stays so (queueing it again, it would fail again in every message of the
 * session): retrying it is a person's decision. What is found or queued is remembered for the rest of the call.
 * Returns the entity type of each item it queued.
 */
async function settleWaits(ctx: WorkContext, prerequisites: PrerequisiteState): Promise<TransferEntityType[]> {
  const waiting = prerequisites.waiting.splice(0);
  if (waiting.length === 0) return [];
  const wanted = new Map(waiting.map(({ wait }) => [dependencyKey(wait), { entity_type: wait.entityType, entity_id: wait.entityId, connector_id: ctx.connector.id }]));
  const rows = await executeBound<{ id: string; entity_type: string; entity_id: string; state: TransferState; qb_status_message: string | null }>(
    ctx.em,
    // A probe of the unique index per dependency, whatever the statistics say (TRANSFERRED_IDS_SQL).
    `select t.id, t.entity_type, t.entity_id, t.state, t.qb_status_message from jsonb_populate_recordset(null::transfer_item, ?::jsonb) r
     cross join lateral (select t.* from transfer_item t
       where t.entity_type = r.entity_type and t.entity_id = r.entity_id and t.connector_id = r.connector_id offset 0) t`,
    [JSON.stringify([...wanted.values()])],
  );
  for (const row of rows) {
    prerequisites.dependencies.set(`${row.entity_type}:${row.entity_id}`, { id: row.id, state: row.state, qbStatusMessage: row.qb_status_message });
  }
  const missing = [...wanted.entries()].filter(([key]) => !prerequisites.dependencies.has(key)).map(([, row]) => row);
  const queued = await insertQueued(ctx.em, missing.map((row) => ({
    connector: ctx.connector, entityType: row.entity_type as TransferEntityType, entityId: row.entity_id, actor: WEB_CONNECTOR_ACTOR,
  })));
  missing.forEach((row, i) => prerequisites.dependencies.set(`${row.entity_type}:${row.entity_id}`, { id: queued[i]!, state: TransferState.QUEUED, qbStatusMessage: null }));
  for (const { item, wait } of waiting) settleWait(item, wait, prerequisites.dependencies.get(dependencyKey(wait))!, prerequisites);
  return missing.map((row) => row.entity_type as TransferEntityType);
}

/**
 * What the call's waiting items wait for, in one statement, on the rows still queued (one a person cancelled
 * meanwhile keeps what it had); rows that already say so are not written again.
 */
async function recordWaits(em: EntityManager, waits: ReadonlyMap<string, string>): Promise<void> {
  if (waits.size === 0) return;
  const byItem = JSON.stringify(Object.fromEntries(waits));
  await executeBound(em,
    `update transfer_item t set waits_for = (?::jsonb ->> t.id)
     where t.id = any(array(select jsonb_object_keys(?::jsonb))) and t.state = 'QUEUED' and t.waits_for is distinct from (?::jsonb ->> t.id)`,
    [byItem, byItem, byItem]);
}

function dependencyKey(wait: Wait): string {
  return `${wait.entityType}:${wait.entityId}`;
}

/** A waiting item whose dependency is known: it fails if that one did, else it is remembered to wait for it. */
function settleWait(item: TransferItem, wait: Wait, dependency: Dependency, prerequisites: PrerequisiteState): void {
  if (dependency.state !== TransferState.FAILED && dependency.state !== TransferState.CANCELLED) {
    prerequisites.waits.set(item.id, dependency.id);
    return;
  }
  markFailed(item, {
    statusCode: 'DEPENDENCY_FAILED',
    message: `${wait.reason}, but that transfer is ${dependency.state.toLowerCase()}: ${dependency.qbStatusMessage ?? ''}`.trim(),
    hint: 'Fix and retry the transfer it depends on, then retry this one.',
  });
}

/** The approximate size the session engine counts for requests. */
function bytesOf(requests: readonly OutboundRequest[]): number {
  return requests.reduce((sum, r) => sum + r.innerXml.length + REQUEST_OVERHEAD_BYTES, 0);
}

async function recordPrerequisite(em: EntityManager, connectorId: string, key: string, listId: string | null): Promise<void> {
  const now = new Date();
  await executeBound(em,
    `insert into transfer_prerequisite (id, created_at, updated_at, connector_id, key, list_id) values (?, ?, ?, ?, ?, ?)
     on conflict (connector_id, key) do update set list_id = coalesce(excluded.list_id, transfer_prerequisite.list_id), updated_at = excluded.updated_at`,
    [newId('xpre'), now, now, connectorId, key, listId],
  );
}

/** Every ListID in an answer (Rets and the references inside them), for the customer owners lookup. */
function listIdsIn(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) listIdsIn(v, into);
  else if (value && typeof value === 'object') {
    for (const [name, v] of Object.entries(value)) {
      if (name === 'ListID' && (typeof v === 'string' || typeof v === 'number')) into.push(String(v));
      else listIdsIn(v, into);
    }
  }
  return into;
}

/** The ListID of the first `…Ret` of an answer. */
function firstListId(body: Record<string, unknown>): string | null {
  for (const value of Object.values(body)) {
    const ret = Array.isArray(value) ? value[0] : value;
    if (ret && typeof ret === 'object' && 'ListID' in ret) return String((ret as Record<string, unknown>)['ListID']);
  }
  return null;
}

/** The context with the list elements earlier answers of this message claimed counted as owned. */
function withClaims(message: AnsweredMessage, loaded: LoadedContext): LoadedContext {
  return { ...loaded, listOwner: (entityType, listId) => message.claims.get(`${entityType}:${listId}`) ?? loaded.listOwner?.(entityType, listId) };
}

function claim(message: AnsweredMessage, item: TransferItem, ids: Sdk.QuickBooksIds): void {
  if (ids.listId && OWNED_LISTS.includes(item.entityType)) message.claims.set(`${item.entityType}:${ids.listId}`, item.entityId);
}
