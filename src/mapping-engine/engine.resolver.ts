/** GraphQL for the mapping engine: installed plugins, and the exact qbXML a transfer would send (preview). */
import { Arg, Ctx, Field, ID, InputType, ObjectType, Query, Resolver } from 'type-graphql';
import { IsOptional } from 'class-validator';
import { AppError } from '../errors/app-error.js';
import type { GraphQLContext } from '../graphql/context.js';
import { Requires } from '../graphql/authorization.js';
import { Role } from '../modules/user/role.js';
import { Connector } from '../modules/connector/connector.entity.js';
import { TransferEntityType } from '../modules/transfer/transfer-state.js';
import { routeEntities } from '../modules/transfer/transfer.service.js';
import { buildRequestMessage } from '../qbwc/qbxml-message.js';
import { loadTranslationContext } from './translation-context.js';
import { plannedToOutbound } from './qbxml-adapter.js';

@ObjectType({ description: 'An installed item-type plugin.' })
export class InstalledPlugin {
  @Field() id!: string;
  @Field() version!: string;
  @Field() apiVersion!: number;
  @Field(() => TransferEntityType) entity!: TransferEntityType;
  @Field({ description: 'Whether it takes only some of those entities (e.g. negative invoices).' }) filtered!: boolean;
  @Field(() => [String]) emits!: string[];
  @Field({ description: '"built-in" or the module named in PLUGINS.' }) source!: string;
}

@ObjectType()
export class PreviewProblem {
  @Field() field!: string;
  @Field() message!: string;
}

@ObjectType({ description: 'What a transfer would do, without doing it.' })
export class TransferPreview {
  @Field(() => Connector, { nullable: true }) connector!: Connector | null;
  @Field(() => String, { nullable: true }) plugin!: string | null;
  @Field({ description: 'REQUESTS, SKIP, INVALID or WAIT_FOR (another entity must reach QuickBooks first).' }) outcome!: string;
  @Field(() => String, { nullable: true, description: 'The exact qbXML message that would be sent.' }) qbxml!: string | null;
  @Field(() => [PreviewProblem]) problems!: PreviewProblem[];
  @Field(() => String, { nullable: true }) reason!: string | null;
}

@InputType()
export class PreviewTransferInput {
  @Field(() => TransferEntityType) entityType!: TransferEntityType;
  @Field(() => ID) entityId!: string;
  @Field(() => ID, { nullable: true, description: 'Default: where routing sends it.' }) @IsOptional() connectorId?: string | null;
}

@Resolver()
export class MappingEngineResolver {
  @Requires(Role.VIEWER)
  @Query(() => [InstalledPlugin])
  installedPlugins(@Ctx() ctx: GraphQLContext): InstalledPlugin[] {
    return (ctx.engine?.registry.list() ?? []).map(({ plugin, source }) => ({
      id: plugin.id,
      version: plugin.version,
      apiVersion: plugin.apiVersion,
      entity: plugin.handles.entity as TransferEntityType,
      filtered: Boolean(plugin.handles.accepts),
      emits: [...plugin.emits],
      source,
    }));
  }

  @Requires(Role.ACCOUNTANT)
  @Query(() => TransferPreview, { description: 'The exact qbXML a transfer would send, or why it would not be sent.' })
  async previewTransfer(@Arg('input') input: PreviewTransferInput, @Ctx() ctx: GraphQLContext): Promise<TransferPreview> {
    const engine = ctx.engine;
    if (!engine) throw new AppError('INTERNAL', 'The mapping engine is not running.');
    const connector = input.connectorId
      ? await ctx.em.findOne(Connector, { id: input.connectorId })
      : ((await routeEntities(ctx.em, input.entityType, [input.entityId])).get(input.entityId) ?? null);
    if (!connector) throw AppError.invalidInput([{ field: input.connectorId ? 'connectorId' : 'entityId', message: 'has no connector to go to' }]);
    const version = connector.qbxmlVersionCap;
    const key = { entityType: input.entityType, entityId: input.entityId };
    const tctx = await loadTranslationContext(ctx.em, connector, version, [key]);
    const entity = tctx.get(key);
    if (entity === undefined) throw AppError.notFound(input.entityType.toLowerCase(), input.entityId);
    const plugin = engine.registry.pluginFor(input.entityType, entity);
    const base = { connector, plugin: plugin?.id ?? null, qbxml: null, problems: [], reason: null };
    if (!plugin) return { ...base, outcome: 'INVALID', reason: 'No installed plugin translates it.' };
    const result = plugin.translate(entity as never, tctx);
    switch (result.kind) {
      case 'skip':
        return { ...base, outcome: 'SKIP', reason: result.reason };
      case 'invalid':
        return { ...base, outcome: 'INVALID', problems: [...result.problems] };
      case 'waitFor':
        return { ...base, outcome: 'WAIT_FOR', reason: result.reason };
      case 'requests': {
        const outs = result.requests.map((planned, i) => plannedToOutbound(planned, `preview-${i + 1}`, version, null));
        const problems = outs.flatMap((o) => (o.ok ? [] : o.problems.map((message) => ({ field: plugin.id, message }))));
        if (problems.length) return { ...base, outcome: 'INVALID', problems };
        const requests = outs.map((o) => ({ ...(o as Extract<typeof o, { ok: true }>).request, source: 'preview' }));
        return { ...base, outcome: 'REQUESTS', qbxml: buildRequestMessage(version, requests) };
      }
    }
  }
}
