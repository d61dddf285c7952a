import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { AppError } from '../../errors/app-error.js';
import type { GraphQLContext } from '../../graphql/context.js';
import { Requires } from '../../graphql/authorization.js';
import { assertOwnsOrAdmin } from '../../graphql/policy.js';
import { ConnectionType, PageArgs, paginate, type Page } from '../../graphql/pagination.js';
import { Role } from './role.js';
import { User } from './user.entity.js';
import { ApiToken } from './api-token.entity.js';
import { UserService } from './user.service.js';
import { CreateApiTokenInput, CreatedApiToken, CreateUserInput, UpdateUserInput } from './user.inputs.js';

const UserConnection = ConnectionType(User);

@Resolver(() => User)
export class UserResolver {
  @Requires(Role.VIEWER)
  @Query(() => User, { description: 'The signed-in user.' })
  me(@Ctx() ctx: GraphQLContext): User {
    return ctx.user!;
  }

  @Requires(Role.ADMIN)
  @Query(() => UserConnection)
  users(@Args() page: PageArgs, @Ctx() ctx: GraphQLContext, @Arg('role', () => Role, { nullable: true }) role?: Role): Promise<Page<User>> {
    return paginate(ctx.em, User, role ? { role } : {}, page);
  }

  @Requires(Role.ADMIN)
  @Query(() => User, { nullable: true })
  user(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return ctx.loaders.byId(User).load(id);
  }

  @Requires(Role.ADMIN)
  @Mutation(() => User)
  createUser(@Arg('input') input: CreateUserInput, @Ctx() ctx: GraphQLContext): Promise<User> {
    return new UserService(ctx.em).create(input).then((r) => r.user);
  }

  @Requires(Role.ADMIN)
  @Mutation(() => User, { description: 'Change a user; deactivating one stops all their tokens.' })
  updateUser(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateUserInput, @Ctx() ctx: GraphQLContext): Promise<User> {
    return new UserService(ctx.em).update(id, input);
  }

  @Requires(Role.VIEWER)
  @Query(() => [ApiToken], { description: "A user's tokens (without secrets); your own when userId is empty." })
  async apiTokens(@Ctx() ctx: GraphQLContext, @Arg('userId', () => ID, { nullable: true }) userId?: string): Promise<ApiToken[]> {
    // Another user's tokens are left out by the ApiToken policy (policy.ts), like everywhere else they appear.
    return ctx.em.find(ApiToken, { user: userId ?? ctx.user!.id }, { orderBy: { id: 'asc' } });
  }

  @Requires(Role.VIEWER)
  @Mutation(() => CreatedApiToken, { description: 'Creates a token; its secret is returned once.' })
  async createApiToken(@Arg('input') input: CreateApiTokenInput, @Ctx() ctx: GraphQLContext): Promise<CreatedApiToken> {
    const owner = input.userId ?? ctx.user!.id;
    assertOwnsOrAdmin(ctx.user, owner);
    const { token, secret } = await new UserService(ctx.em).createToken(owner, input.label);
    return { secret, apiToken: token };
  }

  @Requires(Role.VIEWER)
  @Mutation(() => ApiToken, { description: 'Revokes a token at once (yours, or anyone\'s as ADMIN).' })
  async revokeApiToken(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<ApiToken> {
    const token = await ctx.em.findOne(ApiToken, { id });
    if (!token) throw AppError.notFound('API token', id);
    assertOwnsOrAdmin(ctx.user, token.user.id);
    return new UserService(ctx.em).revokeToken(token);
  }
}

@Resolver(() => ApiToken)
export class ApiTokenResolver {
  @FieldResolver(() => User)
  async user(@Root() token: ApiToken, @Ctx() ctx: GraphQLContext): Promise<User> {
    return (await ctx.loaders.byId(User).load(token.user.id))!;
  }
}
