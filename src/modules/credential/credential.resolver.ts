import { Arg, Ctx, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { IsOptional, Length, Matches } from 'class-validator';
import { AppError } from '../../errors/app-error.js';
import type { GraphQLContext } from '../../graphql/context.js';
import { Requires } from '../../graphql/authorization.js';
import { Role } from '../user/role.js';
import { ApiCredential } from './api-credential.entity.js';
import { generatePassword, hashPassword } from './password.js';

const PASSWORD_RULE = { min: 12, max: 128 };

@InputType()
export class CreateApiCredentialInput {
  @Field({ description: 'The Web Connector UserName, e.g. "qbwc".' })
  @Length(1, 64, { message: 'must be 1 to 64 characters' })
  @Matches(/^[A-Za-z0-9._@-]+$/, { message: 'may contain only letters, digits and . _ @ -' })
  userName!: string;

  @Field(() => String, { nullable: true, description: 'Leave empty to have a strong password generated (returned once).' })
  @IsOptional()
  @Length(PASSWORD_RULE.min, PASSWORD_RULE.max, { message: `must be ${PASSWORD_RULE.min} to ${PASSWORD_RULE.max} characters` })
  password?: string | null;
}

@InputType()
export class RotateApiCredentialInput {
  @Field(() => ID) id!: string;

  @Field(() => String, { nullable: true, description: 'Leave empty to have one generated (returned once).' })
  @IsOptional()
  @Length(PASSWORD_RULE.min, PASSWORD_RULE.max, { message: `must be ${PASSWORD_RULE.min} to ${PASSWORD_RULE.max} characters` })
  password?: string | null;
}

@ObjectType({ description: 'A credential with its password; `generatedPassword` is shown only in this response.' })
export class ApiCredentialWithPassword {
  @Field(() => ApiCredential) credential!: ApiCredential;
  @Field(() => String, { nullable: true, description: 'Set when the service generated the password. Enter it in the Web Connector.' })
  generatedPassword!: string | null;
}

@Resolver(() => ApiCredential)
export class ApiCredentialResolver {
  @Requires(Role.ADMIN)
  @Query(() => [ApiCredential])
  apiCredentials(@Ctx() ctx: GraphQLContext): Promise<ApiCredential[]> {
    return ctx.em.find(ApiCredential, {}, { orderBy: { id: 'asc' } });
  }

  @Requires(Role.ADMIN)
  @Mutation(() => ApiCredentialWithPassword, { description: 'One credential can serve every connector and user.' })
  async createApiCredential(@Arg('input') input: CreateApiCredentialInput, @Ctx() ctx: GraphQLContext): Promise<ApiCredentialWithPassword> {
    if (await ctx.em.count(ApiCredential, { userName: input.userName })) {
      throw new AppError('CONFLICT', `A credential with user name "${input.userName}" already exists.`, {
        fields: [{ field: 'userName', message: 'is already in use' }],
      });
    }
    const password = input.password ?? generatePassword();
    const credential = new ApiCredential(input.userName, await hashPassword(password));
    await ctx.em.persist(credential).flush();
    return { credential, generatedPassword: input.password ? null : password };
  }

  @Requires(Role.ADMIN)
  @Mutation(() => ApiCredentialWithPassword, {
    description: 'Sets a new password. Every Web Connector using this credential must be given it.',
  })
  async rotateApiCredentialPassword(@Arg('input') input: RotateApiCredentialInput, @Ctx() ctx: GraphQLContext): Promise<ApiCredentialWithPassword> {
    const credential = await ctx.em.findOne(ApiCredential, { id: input.id });
    if (!credential) throw AppError.notFound('API credential', input.id);
    const password = input.password ?? generatePassword();
    credential.passwordHash = await hashPassword(password);
    credential.rotatedAt = new Date();
    await ctx.em.flush();
    return { credential, generatedPassword: input.password ? null : password };
  }

  @Requires(Role.ADMIN)
  @Mutation(() => ApiCredential, { description: 'An inactive credential is refused by the Web Connector endpoint ("nvu").' })
  async setApiCredentialActive(@Arg('id', () => ID) id: string, @Arg('active') active: boolean, @Ctx() ctx: GraphQLContext): Promise<ApiCredential> {
    const credential = await ctx.em.findOne(ApiCredential, { id });
    if (!credential) throw AppError.notFound('API credential', id);
    credential.active = active;
    await ctx.em.flush();
    return credential;
  }
}
