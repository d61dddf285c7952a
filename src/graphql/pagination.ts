/**
 * Cursor pagination for every list: ids are time-ordered (UUIDv7), so the cursor is simply the last id
 * seen and pages are stable while rows are added.
 */
import type { EntityClass, EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { IsOptional, Max, Min } from 'class-validator';

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 50, description: 'Page size, 1 to 200.' })
  @Min(1, { message: 'must be at least 1' })
  @Max(200, { message: 'must be at most 200' })
  first: number = 50;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  @IsOptional()
  after?: string | null;
}

@ObjectType()
export class PageInfo {
  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page.' })
  endCursor!: string | null;

  @Field()
  hasNextPage!: boolean;
}

export interface Page<T> {
  nodes: T[];
  pageInfo: PageInfo;
  /** A number, or a promise from a getter, which runs only when `totalCount` is selected. */
  totalCount: number | Promise<number>;
}

const connectionTypes = new Map<Function, ClassType<Page<unknown>>>();

/**
 * Declares `<Name>Connection { nodes, pageInfo, totalCount }` for a node type. Call it at module level
 * (type-graphql must see the class before the schema is built); repeated calls return the same class.
 */
export function ConnectionType<T extends object>(node: ClassType<T>): ClassType<Page<T>> {
  const known = connectionTypes.get(node);
  if (known) return known as ClassType<Page<T>>;
  @ObjectType(`${node.name}Connection`)
  class Connection implements Page<T> {
    @Field(() => [node])
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Rows matching the filter, over all pages.' })
    totalCount!: number | Promise<number>;
  }
  connectionTypes.set(node, Connection as ClassType<Page<unknown>>);
  return Connection;
}

/** Runs one page of a filtered list, ordered by id. */
export async function paginate<T extends { id: string }>(
  em: EntityManager,
  entity: EntityClass<T>,
  where: FilterQuery<T>,
  args: PageArgs,
): Promise<Page<T>> {
  const pageWhere = args.after ? ({ $and: [where, { id: { $gt: args.after } }] } as FilterQuery<T>) : where;
  const rows = await em.find(entity, pageWhere, { orderBy: { id: 'asc' } as never, limit: args.first + 1 });
  const hasNextPage = rows.length > args.first;
  const nodes = hasNextPage ? rows.slice(0, args.first) : rows;
  // Counted only when asked for: a count(*) over the whole filter is the dearest part of a page of a big list.
  return {
    nodes,
    get totalCount() {
      return em.count(entity, where);
    },
    pageInfo: { hasNextPage, endCursor: nodes.at(-1)?.id ?? null },
  };
}
