/** GraphQL: list elements for mapping pickers, list status per connector, refresh on demand. */
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ArrayMaxSize, IsOptional, MaxLength } from 'class-validator';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../errors/app-error.js';
import type { GraphQLContext } from '../../graphql/context.js';
import { Requires } from '../../graphql/authorization.js';
import { ConnectionType, PageArgs, type Page } from '../../graphql/pagination.js';
import { Role } from '../user/role.js';
import { Connector } from '../connector/connector.entity.js';
import { QuickBooksListElement } from './list-element.entity.js';
import { listStatuses, QuickBooksListStatus } from './list-status.js';
import { requestRefresh } from './list-sync.service.js';
import { QuickBooksList } from './quickbooks-list.js';

const ElementConnection = ConnectionType(QuickBooksListElement);

@ArgsType()
export class ListElementArgs extends PageArgs {
  @Field(() => ID) connectorId!: string;
  @Field(() => QuickBooksList) list!: QuickBooksList;

  @Field(() => String, { nullable: true, description: 'Case-insensitive text to find in the name or full name.' })
  @IsOptional()
  @MaxLength(159, { message: 'must be at most 159 characters' })
  search?: string | null;

  @Field({ defaultValue: true, description: 'Only active elements (inactive ones cannot be used on new transactions).' })
  activeOnly: boolean = true;

  @Field(() => [String], { nullable: true, description: 'Only these types, e.g. ["Service", "NonInventory"] for items or ["Income"] for accounts.' })
  @IsOptional()
  @ArrayMaxSize(20, { message: 'must hold at most 20 types' })
  types?: string[] | null;
}

@Resolver(() => QuickBooksListElement)
export class QuickBooksListElementResolver {
  @Requires(Role.VIEWER)
  @Query(() => ElementConnection, { description: "Elements of one QuickBooks list of a connector's company file, by full name (for mapping pickers)." })
  async quickBooksListElements(@Args() args: ListElementArgs, @Ctx() ctx: GraphQLContext): Promise<Page<QuickBooksListElement>> {
    return searchElements(ctx.em, args);
  }

  @Requires(Role.VIEWER)
  @Query(() => [QuickBooksListStatus], { description: 'Per QuickBooks list of the connector: last refreshed, element count, status.' })
  async quickBooksListStatus(@Arg('connectorId', () => ID) connectorId: string, @Ctx() ctx: GraphQLContext): Promise<QuickBooksListStatus[]> {
    const connector = await ctx.em.findOne(Connector, { id: connectorId });
    if (!connector) throw AppError.notFound('Connector', connectorId);
    return (await listStatuses(ctx.em, ctx.config.listSync, [connectorId])).get(connectorId)!;
  }

  @Requires(Role.ACCOUNTANT)
  @Mutation(() => [QuickBooksListStatus], {
    description: "Marks lists (all when empty) to be pulled at the connector's next Web Connector session. full: pull everything instead of what changed.",
  })
  async refreshQuickBooksLists(
    @Arg('connectorId', () => ID) connectorId: string,
    @Ctx() ctx: GraphQLContext,
    @Arg('lists', () => [QuickBooksList], { nullable: true }) lists?: QuickBooksList[] | null,
    @Arg('full', { defaultValue: false }) full: boolean = false,
  ): Promise<QuickBooksListStatus[]> {
    await requestRefresh(ctx.em, connectorId, lists ?? [], full);
    return (await listStatuses(ctx.em, ctx.config.listSync, [connectorId])).get(connectorId)!;
  }
}

@Resolver(() => Connector)
export class ConnectorQuickBooksListsResolver {
  @FieldResolver(() => [QuickBooksListStatus], { description: 'Where the copy of each QuickBooks list of this connector stands.' })
  quickBooksLists(@Root() connector: Connector, @Ctx() ctx: GraphQLContext): Promise<QuickBooksListStatus[]> {
    return ctx.loaders
      .custom<QuickBooksListStatus[]>('quickBooksListStatusByConnector', async (ids) => {
        const byConnector = await listStatuses(ctx.em, ctx.config.listSync, ids);
        return ids.map((id) => byConnector.get(id) ?? []);
      })
      .load(connector.id);
  }
}

/** Cursor: the sort key of the last row, so pages stay stable however the list changes between them. */
function encodeCursor(key: string, id: string): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}
function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) return value as [string, string];
  } catch {
    // fall through
  }
  throw AppError.invalidInput([{ field: 'after', message: 'is not a cursor this query returned' }]);
}

/** `%`/`_`/`\` are literal in the search text. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * One page of a list, ordered by full name case-insensitively (byte order of the lower-cased name, the same
 * on every PostgreSQL whatever its collation), then id.
 */
export async function searchElements(em: EntityManager, args: ListElementArgs): Promise<Page<QuickBooksListElement>> {
  const where: string[] = ['connector_id = ?', 'list = ?::quickbooks_list'];
  const params: unknown[] = [args.connectorId, args.list];
  if (args.activeOnly) where.push('is_active');
  const search = args.search?.trim();
  if (search) {
    where.push(`(full_name ilike ? escape '\\' or name ilike ? escape '\\')`);
    params.push(likePattern(search), likePattern(search));
  }
  if (args.types?.length) {
    where.push('type in (select jsonb_array_elements_text(?::jsonb))');
    params.push(JSON.stringify(args.types));
  }
  const filter = where.join(' and ');
  const sortKey = `lower(full_name) collate "C"`;
  const pageWhere = [filter];
  const pageParams = [...params];
  if (args.after) {
    const [key, id] = decodeCursor(args.after);
    pageWhere.push(`(${sortKey}, id) > (?::text collate "C", ?)`);
    pageParams.push(key, id);
  }
  const [rows, total] = await Promise.all([
    em.execute<Array<{ id: string; sort_key: string }>>(
      `select id, ${sortKey} as sort_key from quickbooks_list_element where ${pageWhere.join(' and ')} order by ${sortKey}, id limit ?`,
      [...pageParams, args.first + 1],
    ),
    em.execute<Array<{ count: string | number }>>(`select count(*) as count from quickbooks_list_element where ${filter}`, params),
  ]);
  const hasNextPage = rows.length > args.first;
  const pageRows = hasNextPage ? rows.slice(0, args.first) : rows;
  const entities = pageRows.length ? await em.find(QuickBooksListElement, { id: { $in: pageRows.map((r) => r.id) } }) : [];
  const byId = new Map(entities.map((e) => [e.id, e]));
  const last = pageRows.at(-1);
  return {
    nodes: pageRows.map((r) => byId.get(r.id)!).filter(Boolean),
    totalCount: Number(total[0]?.count ?? 0),
    pageInfo: { hasNextPage, endCursor: last ? encodeCursor(last.sort_key, last.id) : null },
  };
}
