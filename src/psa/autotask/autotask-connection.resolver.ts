import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context.js';
import { actorOf } from '../../graphql/context.js';
import { Requires } from '../../graphql/authorization.js';
import { AppError } from '../../errors/app-error.js';
import { Role } from '../../modules/user/role.js';
import { AutotaskConnection } from './autotask-connection.entity.js';
import { SetAutotaskConnectionInput } from './autotask-connection.inputs.js';
import { getAutotaskConnection, setAutotaskConnection } from './autotask-connection.service.js';
import { notConfigured } from './errors.js';
import { runAutotaskPull } from './pull.js';
import { AutotaskPullSummary } from './pull-summary.js';

@Resolver(() => AutotaskConnection)
export class AutotaskConnectionResolver {
  @Requires(Role.ADMIN)
  @Query(() => AutotaskConnection, { nullable: true, description: 'The Autotask REST connection (never its secret); empty until set.' })
  autotaskConnection(@Ctx() ctx: GraphQLContext): Promise<AutotaskConnection | null> {
    return getAutotaskConnection(ctx.em);
  }

  @Requires(Role.ADMIN)
  @Mutation(() => AutotaskConnection, {
    description:
      'Sets the Autotask API user and pull settings. The user name is checked with zone discovery and the credentials with one ' +
      'authenticated query before anything is stored; the secret is stored encrypted (needs AUTOTASK_CREDENTIALS_KEY) and never returned.',
  })
  setAutotaskConnection(@Arg('input') input: SetAutotaskConnectionInput, @Ctx() ctx: GraphQLContext): Promise<AutotaskConnection> {
    return setAutotaskConnection(ctx.em, { config: ctx.config, logger: ctx.logger }, input);
  }

  @Requires(Role.ADMIN)
  @Mutation(() => AutotaskPullSummary, {
    description:
      'Pulls from Autotask now: resources, companies, the selected invoices with their billing items; queues each new invoice once ' +
      "for its connector. batchId pulls that invoice batch instead of the connection's selection. CONFLICT while another pull runs.",
  })
  async pullFromAutotask(
    @Ctx() ctx: GraphQLContext,
    @Arg('batchId', () => Int, { nullable: true }) batchId?: number | null,
  ): Promise<AutotaskPullSummary> {
    if (!(await getAutotaskConnection(ctx.em))) throw notConfigured();
    const summary = await runAutotaskPull(ctx.em, { config: ctx.config, logger: ctx.logger }, { trigger: 'manual', actor: actorOf(ctx), batchId });
    if (!summary.ran) throw new AppError('CONFLICT', `${summary.message ?? 'Another Autotask pull is running.'} Try again when it has finished.`);
    return summary;
  }

  @FieldResolver(() => AutotaskPullSummary, { nullable: true, description: 'What the last pull that ran did.' })
  lastPull(@Root() connection: AutotaskConnection): AutotaskPullSummary | null {
    return connection.lastPullSummary ? AutotaskPullSummary.fromJSON(connection.lastPullSummary) : null;
  }

  @FieldResolver(() => Boolean, { description: 'Whether a secret is stored (it is never returned).' })
  secretSet(@Root() connection: AutotaskConnection): boolean {
    return !!connection.secretEncrypted;
  }
}
