/** GraphQL: preview a customer import (VIEWER: it only reads) and apply it (ADMIN: it creates organizations and links). */
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context.js';
import { Requires } from '../../graphql/authorization.js';
import { Role } from '../user/role.js';
import { ApplyCustomerImportInput, CustomerImportOptionsInput } from './customer-import.inputs.js';
import { applyCustomerImport, previewCustomerImport } from './customer-import.service.js';
import { CustomerImportPreview, CustomerImportResult } from './customer-import.types.js';

@Resolver()
export class CustomerImportResolver {
  @Requires(Role.VIEWER)
  @Query(() => CustomerImportPreview, {
    description:
      "What importing the top-level QuickBooks customers of these connectors' synced customer lists as organizations would do: " +
      'LINKED (by ListID), MATCH (same normalised name as an organization), NEW, or CONFLICT (with the reasons). Changes nothing.',
  })
  customerImportPreview(
    @Arg('connectorIds', () => [ID]) connectorIds: string[],
    @Ctx() ctx: GraphQLContext,
    @Arg('options', () => CustomerImportOptionsInput, { nullable: true }) options?: CustomerImportOptionsInput | null,
  ): Promise<CustomerImportPreview> {
    return previewCustomerImport(ctx.em, connectorIds, options ?? {});
  }

  @Requires(Role.ADMIN)
  @Mutation(() => CustomerImportResult, {
    description:
      'Applies a customer import: links MATCH rows, creates NEW rows in Autotask when createNew is set, skips CONFLICT rows, and follows ' +
      'per-row decisions. Stores the ListID link per connector, so later invoices go to that customer. Safe to run again; one failing ' +
      'row never stops the others (see each row\'s errorCode).',
  })
  applyCustomerImport(@Arg('input', () => ApplyCustomerImportInput) input: ApplyCustomerImportInput, @Ctx() ctx: GraphQLContext): Promise<CustomerImportResult> {
    return applyCustomerImport(ctx.em, { config: ctx.config, logger: ctx.logger }, input);
  }
}
