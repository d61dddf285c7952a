import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { IsOptional, Length } from 'class-validator';
import type { GraphQLContext } from '../../graphql/context.js';
import { whenLoaded } from '../../graphql/loaders.js';
import { Requires } from '../../graphql/authorization.js';
import { readableWhere } from '../../graphql/policy.js';
import { ConnectionType, PageArgs, paginate, type Page } from '../../graphql/pagination.js';
import { Role } from '../user/role.js';
import { User } from '../user/user.entity.js';
import { Connector } from '../connector/connector.entity.js';
import { ApiCredential } from '../credential/api-credential.entity.js';
import type { PlainRow } from '../../db/rows.js';
import { Registration } from './registration.entity.js';
import { RegistrationService, qwcXml } from './registration.service.js';
import { appNameFor } from './qwc.js';

const RegistrationConnection = ConnectionType(Registration);

/** What Registration's fields resolve from: an entity, or a plain row (a connector's `registrations`; see PlainRow). */
type RegistrationRow = PlainRow<Registration>;

@InputType()
export class CreateRegistrationInput {
  @Field(() => ID) connectorId!: string;
  @Field(() => ID) userId!: string;
  @Field(() => ID, { nullable: true, description: 'Needed only when there is more than one active API credential.' })
  @IsOptional()
  credentialId?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 60, { message: 'must be 1 to 60 characters' }) label?: string | null;
}

@Resolver(() => Registration)
export class RegistrationResolver {
  @Requires(Role.ACCOUNTANT)
  @Query(() => RegistrationConnection, { description: 'Admins see every registration; accountants their own.' })
  registrations(
    @Args() page: PageArgs,
    @Ctx() ctx: GraphQLContext,
    @Arg('connectorId', () => ID, { nullable: true }) connectorId?: string,
  ): Promise<Page<Registration>> {
    // The Registration policy, in SQL, so that the page and totalCount hold only what the caller may see.
    const visible = readableWhere<Registration>(ctx.user!, 'Registration');
    return paginate(ctx.em, Registration, { ...visible, ...(connectorId ? { connector: connectorId } : {}) }, page);
  }

  @Requires(Role.ADMIN)
  @Mutation(() => Registration, { description: 'Gives a user a QWC file for a connector.' })
  createRegistration(@Arg('input') input: CreateRegistrationInput, @Ctx() ctx: GraphQLContext): Promise<Registration> {
    return new RegistrationService(ctx.em).create(input);
  }

  @Requires(Role.ADMIN)
  @Mutation(() => Registration, { description: 'The Web Connector entry of a revoked registration is refused.' })
  revokeRegistration(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Registration> {
    return new RegistrationService(ctx.em).revoke(id);
  }

  @FieldResolver(() => Connector)
  connector(@Root() registration: RegistrationRow, @Ctx() ctx: GraphQLContext): Connector | Promise<Connector | null> {
    return ctx.loaders.loadById(Connector, registration.connector.id);
  }

  @FieldResolver(() => User)
  user(@Root() registration: RegistrationRow, @Ctx() ctx: GraphQLContext): User | Promise<User | null> {
    return ctx.loaders.loadById(User, registration.user.id);
  }

  @FieldResolver(() => String, { description: 'The API credential user name the Web Connector presents.' })
  credentialUserName(@Root() registration: RegistrationRow, @Ctx() ctx: GraphQLContext): string | Promise<string> {
    return whenLoaded(ctx.loaders.loadById(ApiCredential, registration.credential.id), (credential) => credential!.userName);
  }

  @FieldResolver(() => String, { description: 'AppName shown in the Web Connector and in QuickBooks.' })
  appName(@Root() registration: RegistrationRow, @Ctx() ctx: GraphQLContext): string | Promise<string> {
    return whenLoaded(ctx.loaders.loadById(Connector, registration.connector.id), (connector) => appNameFor(ctx.config.appName, connector!.name));
  }

  @FieldResolver(() => String, { description: 'The QWC file (XML) to load into the Web Connector; also at GET /qwc/<id>.' })
  async qwc(@Root() registration: RegistrationRow, @Ctx() ctx: GraphQLContext): Promise<string> {
    const [connector, user, credential] = await Promise.all([
      ctx.loaders.byId(Connector).load(registration.connector.id),
      ctx.loaders.byId(User).load(registration.user.id),
      ctx.loaders.byId(ApiCredential).load(registration.credential.id),
    ]);
    return qwcXml({ registration, connector: connector!, user: user!, credential: credential! }, ctx.config);
  }

  @FieldResolver(() => String, { description: 'Where to download the QWC file (send your token).' })
  qwcDownloadUrl(@Root() registration: RegistrationRow, @Ctx() ctx: GraphQLContext): string {
    return `${ctx.config.publicBaseUrl}/qwc/${registration.id}`;
  }
}
