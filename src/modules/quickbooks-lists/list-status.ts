/** What the API shows about each list of a connector: freshness, counts, the last attempt, whether it is due. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ListSyncConfig } from '../../app/config.js';
import { ListSyncKind, ListSyncOutcome, QuickBooksListSync } from './list-sync-state.entity.js';
import { activeSessionIds, boundSince, dueReason, elementCounts } from './list-sync.service.js';
import { ALL_LISTS, QuickBooksList } from './quickbooks-list.js';

export enum ListSyncState {
  NEVER_SYNCED = 'NEVER_SYNCED',
  /** Being pulled by the connector's active Web Connector session. */
  RUNNING = 'RUNNING',
  OK = 'OK',
  /** QuickBooks answered the last pull with an error status (see lastError). */
  FAILED = 'FAILED',
  /** The last pull was interrupted; the next session pulls it again. */
  INTERRUPTED = 'INTERRUPTED',
}

export enum ListDueReason {
  NEVER_SYNCED = 'NEVER_SYNCED',
  /** The connector is bound to another company file than the one the copy came from: pulled again in full. */
  COMPANY_FILE_CHANGED = 'COMPANY_FILE_CHANGED',
  REQUESTED = 'REQUESTED',
  STALE = 'STALE',
  INTERRUPTED = 'INTERRUPTED',
}

registerEnumType(ListSyncState, { name: 'QuickBooksListSyncState' });
registerEnumType(ListDueReason, { name: 'QuickBooksListDueReason' });

@ObjectType({ description: "Where the copy of one QuickBooks list of a connector stands." })
export class QuickBooksListStatus {
  @Field(() => QuickBooksList) list!: QuickBooksList;
  @Field(() => ListSyncState) state!: ListSyncState;
  @Field(() => ListDueReason, { nullable: true, description: 'Set when the next Web Connector session pulls this list.' })
  dueReason!: ListDueReason | null;
  @Field(() => Int, { description: 'Elements stored (active and inactive).' }) count!: number;
  @Field(() => Int) activeCount!: number;
  @Field(() => Date, { nullable: true, description: 'When a pull last completed.' }) lastRefreshedAt!: Date | null;
  @Field(() => Date, { nullable: true }) lastFullSyncAt!: Date | null;
  @Field(() => Date, { nullable: true }) lastIncrementalSyncAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'When the last pull ended, successfully or not.' }) lastAttemptAt!: Date | null;
  @Field(() => ListSyncKind, { nullable: true }) lastKind!: ListSyncKind | null;
  @Field(() => ListSyncOutcome, { nullable: true }) lastOutcome!: ListSyncOutcome | null;
  @Field(() => Int, { nullable: true, description: "QuickBooks' statusCode of the last pull's last answer." }) lastStatusCode!: number | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => Int, { nullable: true, description: 'Elements QuickBooks returned in the last pull.' }) lastReceived!: number | null;
  @Field(() => Int, { nullable: true, description: 'Elements the last pull inserted or changed.' }) lastWritten!: number | null;
  @Field(() => String, { nullable: true, description: 'FromModifiedDate of the last pull (incremental pulls).' }) lastFromModifiedDate!: string | null;
  @Field(() => String, { nullable: true, description: 'Newest TimeModified seen, as QuickBooks wrote it.' }) highWaterMark!: string | null;
  @Field(() => Date, { nullable: true }) refreshRequestedAt!: Date | null;
  @Field() fullRefreshRequested!: boolean;
}

/** The status of every list of each connector (three queries for any number of connectors). */
export async function listStatuses(em: EntityManager, config: ListSyncConfig, connectorIds: readonly string[]): Promise<Map<string, QuickBooksListStatus[]>> {
  const states = connectorIds.length ? await em.find(QuickBooksListSync, { connector: { $in: [...connectorIds] } }) : [];
  const [counts, active, bound] = await Promise.all([
    elementCounts(em, connectorIds),
    activeSessionIds(em, states.map((s) => s.runSessionId).filter((id): id is string => id !== null)),
    boundSince(em, connectorIds),
  ]);
  const byKey = new Map(states.map((s) => [`${s.connector.id}:${s.list}`, s]));
  const now = new Date();
  const result = new Map<string, QuickBooksListStatus[]>();
  for (const connectorId of connectorIds) {
    result.set(
      connectorId,
      ALL_LISTS.map((list) =>
        toStatus(list, byKey.get(`${connectorId}:${list}`), counts.get(`${connectorId}:${list}`), active, bound.get(connectorId), config, now),
      ),
    );
  }
  return result;
}

function toStatus(
  list: QuickBooksList,
  s: QuickBooksListSync | undefined,
  counts: { count: number; activeCount: number } | undefined,
  activeSessions: ReadonlySet<string>,
  boundAt: Date | null | undefined,
  config: ListSyncConfig,
  now: Date,
): QuickBooksListStatus {
  const running = Boolean(s?.runId && s.runSessionId && activeSessions.has(s.runSessionId));
  const reason = running ? null : dueReason(s, config, now, undefined, boundAt);
  const lastRefreshedAt = [s?.lastFullSyncAt, s?.lastIncrementalSyncAt].filter((d): d is Date => !!d).sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
  let state: ListSyncState;
  if (running) state = ListSyncState.RUNNING;
  else if (s?.runId) state = ListSyncState.INTERRUPTED;
  else if (!s?.lastOutcome) state = ListSyncState.NEVER_SYNCED;
  else state = s.lastOutcome as unknown as ListSyncState;
  return Object.assign(new QuickBooksListStatus(), {
    list,
    state,
    dueReason: reason as ListDueReason | null,
    count: counts?.count ?? 0,
    activeCount: counts?.activeCount ?? 0,
    lastRefreshedAt,
    lastFullSyncAt: s?.lastFullSyncAt ?? null,
    lastIncrementalSyncAt: s?.lastIncrementalSyncAt ?? null,
    lastAttemptAt: s?.lastAttemptAt ?? null,
    lastKind: s?.lastKind ?? null,
    lastOutcome: s?.lastOutcome ?? null,
    lastStatusCode: s?.lastStatusCode ?? null,
    lastError: s?.lastError ?? null,
    lastReceived: s?.lastReceived ?? null,
    lastWritten: s?.lastWritten ?? null,
    lastFromModifiedDate: s?.lastFromModified ?? null,
    highWaterMark: s?.highWaterMark ?? null,
    refreshRequestedAt: s?.refreshRequestedAt ?? null,
    fullRefreshRequested: s?.fullRefreshRequested ?? false,
  });
}
