import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, IsOptional, Length, ValidateNested } from 'class-validator';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, type FieldProblem } from '../../errors/app-error.js';
import type { GraphQLContext } from '../../graphql/context.js';
import { Requires } from '../../graphql/authorization.js';
import { ConnectionType, PageArgs, paginate, type Page } from '../../graphql/pagination.js';
import { QbRefInput, toQbRef } from '../../shared/qb-ref.js';
import { Role } from '../user/role.js';
import { Connector } from '../connector/connector.entity.js';
import type { ListSyncConfig } from '../../app/config.js';
import type { PlainRow } from '../../db/rows.js';
import { Mapping } from './mapping.entity.js';
import { checkMappingTargets } from './mapping-targets.js';
import { MappingSourceKind, MappingTargetList, QbItemType, TAXABILITY_SOURCE_IDS, targetListOf } from './mapping-source.js';

const MappingConnection = ConnectionType(Mapping);

/** What Mapping's fields resolve from: an entity, or a plain row (a connector's `mappings`; see PlainRow). */
type MappingRow = PlainRow<Mapping>;

@InputType()
export class MappingInput {
  @Field(() => MappingSourceKind) sourceKind!: MappingSourceKind;
  @Field({ description: 'The Autotask id (TAXABLE or NON_TAXABLE for TAXABILITY).' })
  @Length(1, 64, { message: 'must be 1 to 64 characters' })
  sourceId!: string;
  @Field() @Length(1, 200, { message: 'must be 1 to 200 characters' }) sourceName!: string;
  @Field(() => QbRefInput, { nullable: true }) @IsOptional() @ValidateNested() target?: QbRefInput | null;
  @Field(() => QbItemType, { nullable: true }) @IsOptional() itemType?: QbItemType | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) @IsOptional() autoCreate?: boolean;
}

@InputType()
export class UpsertMappingsInput {
  @Field(() => ID) connectorId!: string;

  @Field(() => [MappingInput], { description: 'Created, or updated when the connector already maps that source.' })
  @ArrayMinSize(1, { message: 'must hold at least one mapping' })
  @ArrayMaxSize(2000, { message: 'must hold at most 2000 mappings per call' })
  @ValidateNested({ each: true })
  mappings!: MappingInput[];
}

@Resolver(() => Mapping)
export class MappingResolver {
  @Requires(Role.VIEWER)
  @Query(() => MappingConnection)
  mappings(
    @Arg('connectorId', () => ID) connectorId: string,
    @Args() page: PageArgs,
    @Ctx() ctx: GraphQLContext,
    @Arg('sourceKind', () => MappingSourceKind, { nullable: true }) sourceKind?: MappingSourceKind,
  ): Promise<Page<Mapping>> {
    return paginate(ctx.em, Mapping, { connector: connectorId, ...(sourceKind ? { sourceKind } : {}) }, page);
  }

  @Requires(Role.ADMIN)
  @Mutation(() => [Mapping], {
    description:
      "Bulk create-or-update; all or nothing. Targets are checked against the connector's synced QuickBooks lists: unknown or inactive " +
      'ones are refused when the list is fresh, accepted with `warnings` when it was never synced or may be out of date.',
  })
  upsertMappings(@Arg('input') input: UpsertMappingsInput, @Ctx() ctx: GraphQLContext): Promise<Mapping[]> {
    return upsertMappings(ctx.em, input, ctx.config.listSync);
  }

  @FieldResolver(() => [String], { description: 'What upsertMappings could not check about this mapping (empty elsewhere).' })
  warnings(@Root() mapping: MappingRow): string[] {
    return UPSERT_WARNINGS.get(mapping) ?? [];
  }

  @FieldResolver(() => MappingTargetList)
  targetList(@Root() mapping: MappingRow): MappingTargetList {
    return targetListOf(mapping.sourceKind);
  }

  @Requires(Role.ADMIN)
  @Mutation(() => Int, { description: 'Deletes mappings by id; returns how many were deleted.' })
  async deleteMappings(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: GraphQLContext): Promise<number> {
    const found = await ctx.em.find(Mapping, { id: { $in: ids } });
    await ctx.em.remove(found).flush();
    return found.length;
  }

  @FieldResolver(() => Connector)
  connector(@Root() mapping: MappingRow, @Ctx() ctx: GraphQLContext): Connector | Promise<Connector | null> {
    return ctx.loaders.loadById(Connector, mapping.connector.id);
  }
}

/** Warnings of the mappings an upsertMappings call returns (only those objects; never stored). */
const UPSERT_WARNINGS = new WeakMap<MappingRow, string[]>();

/**
 * Validates the whole batch (every problem, with its index), then writes it in one transaction. With
 * `listSync`, targets are checked against the synced QuickBooks lists first (mapping-targets.ts); callers
 * that picked targets from those lists themselves leave it out.
 */
export async function upsertMappings(em: EntityManager, input: UpsertMappingsInput, listSync?: ListSyncConfig): Promise<Mapping[]> {
  const problems = input.mappings.flatMap((m, i) => mappingProblems(m, `mappings.${i}`));
  const seen = new Map<string, number>();
  input.mappings.forEach((m, i) => {
    const key = `${m.sourceKind}:${m.sourceId}`;
    const first = seen.get(key);
    if (first !== undefined) problems.push({ field: `mappings.${i}`, message: `maps ${key} again (already at mappings.${first})` });
    else seen.set(key, i);
  });
  if (problems.length) throw AppError.invalidInput(problems);

  return em.transactional(async (tx) => {
    const connector = await tx.findOne(Connector, { id: input.connectorId });
    if (!connector) throw AppError.notFound('Connector', input.connectorId);
    const targets = listSync ? await checkMappingTargets(tx, connector.id, input.mappings, listSync) : undefined;
    if (targets?.problems.length) throw AppError.invalidInput(targets.problems);
    const existing = await tx.find(Mapping, {
      connector,
      $or: input.mappings.map((m) => ({ sourceKind: m.sourceKind, sourceId: m.sourceId })),
    });
    const byKey = new Map(existing.map((m) => [`${m.sourceKind}:${m.sourceId}`, m]));
    const result = input.mappings.map((m) => {
      let mapping = byKey.get(`${m.sourceKind}:${m.sourceId}`);
      if (!mapping) tx.persist((mapping = new Mapping(connector, m.sourceKind, m.sourceId, m.sourceName)));
      mapping.sourceName = m.sourceName;
      mapping.target = toQbRef(m.target);
      mapping.itemType = m.itemType ?? null;
      mapping.autoCreate = m.autoCreate ?? false;
      return mapping;
    });
    result.forEach((mapping, i) => {
      const warning = targets?.warnings.get(i);
      if (warning) UPSERT_WARNINGS.set(mapping, [warning]);
    });
    await tx.flush();
    return result;
  });
}

function mappingProblems(m: MappingInput, at: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const list = targetListOf(m.sourceKind);
  if (list === MappingTargetList.ITEM) {
    if (!m.target && !m.autoCreate) problems.push({ field: `${at}.target`, message: 'name a QuickBooks item, or set autoCreate: true' });
  } else {
    if (!m.target) problems.push({ field: `${at}.target`, message: `is required: the QuickBooks ${list.toLowerCase().replace('_', ' ')} to use` });
    if (m.itemType) problems.push({ field: `${at}.itemType`, message: `applies only to item mappings, not ${m.sourceKind}` });
    if (m.autoCreate) problems.push({ field: `${at}.autoCreate`, message: `applies only to item mappings, not ${m.sourceKind}` });
  }
  if (m.sourceKind === MappingSourceKind.TAXABILITY && !(TAXABILITY_SOURCE_IDS as readonly string[]).includes(m.sourceId)) {
    problems.push({ field: `${at}.sourceId`, message: `must be ${TAXABILITY_SOURCE_IDS.join(' or ')} for TAXABILITY` });
  }
  return problems;
}
