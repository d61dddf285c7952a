import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { IsEmail, IsOptional, Length } from 'class-validator';
import { Role } from './role.js';
import { ApiToken } from './api-token.entity.js';

@InputType()
export class CreateUserInput {
  @Field() @Length(1, 100, { message: 'must be 1 to 100 characters' }) name!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsEmail({}, { message: 'must be an e-mail address' }) email?: string | null;
  @Field(() => Role) role!: Role;
}

@InputType()
export class UpdateUserInput {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 100, { message: 'must be 1 to 100 characters' }) name?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsEmail({}, { message: 'must be an e-mail address' }) email?: string | null;
  @Field(() => Role, { nullable: true }) @IsOptional() role?: Role;
  @Field(() => Boolean, { nullable: true }) @IsOptional() active?: boolean;
}

@InputType()
export class CreateApiTokenInput {
  @Field(() => ID, { nullable: true, description: 'Whose token; yourself when empty (another user needs ADMIN).' })
  @IsOptional()
  userId?: string | null;

  @Field() @Length(1, 100, { message: 'must be 1 to 100 characters' }) label!: string;
}

@ObjectType({ description: 'A new token. `secret` is shown only in this response; store it now.' })
export class CreatedApiToken {
  @Field() secret!: string;
  @Field(() => ApiToken) apiToken!: ApiToken;
}
