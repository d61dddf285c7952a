/** GraphQL: what is not mapped yet for a connector, with suggestions; apply picked suggestions in bulk. */
import { Arg, Ctx, Field, Float, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { IsOptional, Length, Matches } from 'class-validator';
import { AppError, type FieldProblem } from '../../errors/app-error.js';
import type { GraphQLContext } from '../../graphql/context.js';
import { Requires } from '../../graphql/authorization.js';
import { Role } from '../user/role.js';
import { Connector } from '../connector/connector.entity.js';
import { Mapping } from '../mapping/mapping.entity.js';
import { MappingSourceKind, MappingTargetList, QbItemType, targetListOf } from '../mapping/mapping-source.js';
import { upsertMappings, type MappingInput } from '../mapping/mapping.resolver.js';
import { QuickBooksListElement } from '../quickbooks-lists/list-element.entity.js';
import { QuickBooksList } from '../quickbooks-lists/quickbooks-list.js';
import { candidateGroupOf, candidatesFor, ITEM_TYPE_OF, prepareCandidates, QUICKBOOKS_LIST_OF, suggest, unmappedSources } from './unmapped-values.js';

@ObjectType({ description: 'A QuickBooks list element whose name is like an unmapped Autotask value.' })
export class MappingSuggestion {
  @Field(() => QuickBooksListElement) element!: QuickBooksListElement;
  @Field(() => Float, { description: 'Name similarity, 0 to 1 (1: the same words).' }) score!: number;
}

@ObjectType({ description: "An Autotask value the connector's invoices use that has no mapping for the connector yet." })
export class UnmappedValue {
  @Field(() => MappingSourceKind) sourceKind!: MappingSourceKind;
  @Field() sourceId!: string;
  @Field() sourceName!: string;
  @Field(() => MappingTargetList) targetList!: MappingTargetList;
  @Field(() => QuickBooksList, { description: 'The synced QuickBooks list suggestions come from.' }) quickBooksList!: QuickBooksList;
  @Field(() => Int, { description: 'Invoice lines (or organizations and invoices, for payment terms) that use it.' }) occurrences!: number;
  @Field(() => [MappingSuggestion], { description: 'Best first; empty when nothing is alike or the list was never synced.' })
  suggestions!: MappingSuggestion[];
}

@InputType({ description: 'Map an Autotask value to a synced QuickBooks element (usually one of its suggestions).' })
export class MappingPickInput {
  @Field(() => MappingSourceKind) sourceKind!: MappingSourceKind;
  @Field() @Length(1, 64, { message: 'must be 1 to 64 characters' }) sourceId!: string;
  @Field() @Length(1, 200, { message: 'must be 1 to 200 characters' }) sourceName!: string;

  @Field({ description: 'ListID of the QuickBooks element (from quickBooksListElements or a suggestion).' })
  @Matches(/^[0-9A-Fa-f]{1,16}-[0-9]{1,20}$/, { message: 'must be a QuickBooks ListID such as 80000001-1234567890' })
  listId!: string;

  @Field(() => QbItemType, { nullable: true, description: "For items: defaults to the QuickBooks item's own type." })
  @IsOptional()
  itemType?: QbItemType | null;
}

@Resolver()
export class MappingHelpResolver {
  @Requires(Role.VIEWER)
  @Query(() => [UnmappedValue], { description: "Autotask values used by the connector's invoices and organizations that are not mapped yet, with suggestions." })
  async unmappedValues(
    @Arg('connectorId', () => ID) connectorId: string,
    @Ctx() ctx: GraphQLContext,
    @Arg('sourceKinds', () => [MappingSourceKind], { nullable: true }) sourceKinds?: MappingSourceKind[] | null,
    @Arg('suggestions', () => Int, { defaultValue: 3, description: 'Suggestions per value, 0 to 10.' }) suggestionCount: number = 3,
  ): Promise<UnmappedValue[]> {
    if (suggestionCount < 0 || suggestionCount > 10) throw AppError.invalidInput([{ field: 'suggestions', message: 'must be between 0 and 10' }]);
    const connector = await ctx.em.findOne(Connector, { id: connectorId });
    if (!connector) throw AppError.notFound('Connector', connectorId);
    const sources = await unmappedSources(ctx.em, connectorId, sourceKinds ?? undefined);
    const targets = new Set(sources.map((s) => targetListOf(s.sourceKind)));
    const elements =
      suggestionCount > 0 && targets.size > 0
        ? await ctx.em.find(QuickBooksListElement, { connector: connectorId, isActive: true, list: { $in: [...targets].map((t) => QUICKBOOKS_LIST_OF[t]) } })
        : [];
    // One candidate list per group (a target list, or expense accounts), built from the first kind that needs it.
    const candidates = new Map<string, ReturnType<typeof prepareCandidates>>();
    for (const s of sources) {
      const group = candidateGroupOf(s.sourceKind);
      if (!candidates.has(group)) candidates.set(group, prepareCandidates(candidatesFor(s.sourceKind, elements)));
    }
    return sources.map((s) => {
      const targetList = targetListOf(s.sourceKind);
      return Object.assign(new UnmappedValue(), {
        ...s,
        targetList,
        quickBooksList: QUICKBOOKS_LIST_OF[targetList],
        suggestions: suggestionCount > 0 ? suggest(s.sourceName, candidates.get(candidateGroupOf(s.sourceKind)) ?? [], suggestionCount) : [],
      });
    });
  }

  @Requires(Role.ADMIN)
  @Mutation(() => [Mapping], {
    description: 'Creates or updates a mapping per pick, pointing at the synced QuickBooks element (ListID and FullName); all or nothing.',
  })
  async applyMappingSuggestions(
    @Arg('connectorId', () => ID) connectorId: string,
    @Arg('picks', () => [MappingPickInput], { description: '1 to 2000 picks.' }) picks: MappingPickInput[],
    @Ctx() ctx: GraphQLContext,
  ): Promise<Mapping[]> {
    if (picks.length < 1 || picks.length > 2000) throw AppError.invalidInput([{ field: 'picks', message: 'must hold 1 to 2000 picks' }]);
    const connector = await ctx.em.findOne(Connector, { id: connectorId });
    if (!connector) throw AppError.notFound('Connector', connectorId);
    const elements = await ctx.em.find(QuickBooksListElement, { connector: connectorId, listId: { $in: [...new Set(picks.map((p) => p.listId))] } });
    const problems: FieldProblem[] = [];
    const mappings = picks.map((pick, i): MappingInput => {
      const targetList = targetListOf(pick.sourceKind);
      const list = QUICKBOOKS_LIST_OF[targetList];
      const element = elements.find((e) => e.list === list && e.listId === pick.listId);
      if (!element) {
        problems.push({ field: `picks.${i}.listId`, message: `is not an element of the connector's synced QuickBooks ${list} list (refresh the lists?)` });
      } else if (!element.isActive) {
        problems.push({ field: `picks.${i}.listId`, message: `is inactive in QuickBooks ("${element.fullName}")` });
      }
      const itemType = targetList === MappingTargetList.ITEM ? (pick.itemType ?? (element?.type ? ITEM_TYPE_OF[element.type] : undefined) ?? null) : null;
      return {
        sourceKind: pick.sourceKind,
        sourceId: pick.sourceId,
        sourceName: pick.sourceName,
        target: { listId: pick.listId, fullName: element?.fullName ?? '' },
        itemType,
        autoCreate: false,
      } as MappingInput;
    });
    if (problems.length) throw AppError.invalidInput(problems);
    try {
      return await upsertMappings(ctx.em, { connectorId, mappings });
    } catch (error) {
      // Same positions, our argument's name.
      if (error instanceof AppError && error.fields.length) {
        throw AppError.invalidInput(error.fields.map((f) => ({ ...f, field: f.field.replace(/^mappings\./, 'picks.') })));
      }
      throw error;
    }
  }
}
