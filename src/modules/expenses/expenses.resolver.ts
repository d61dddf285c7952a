/** Expense reports over GraphQL: read by viewers, pushed by accountants, as purchase orders are; queued with queueTransfers (EXPENSE_REPORT). */
import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context.js';
import { Requires } from '../../graphql/authorization.js';
import { ConnectionType, PageArgs, paginate, type Page } from '../../graphql/pagination.js';
import { Role } from '../user/role.js';
import { Organization } from '../autotask/organization.entity.js';
import { Resource } from '../autotask/resource.entity.js';
import { loadByIdOrAutotaskId } from '../autotask/autotask.loaders.js';
import { TransferItem } from '../transfer/transfer-item.entity.js';
import { TransferEntityType } from '../transfer/transfer-state.js';
import { transfersLoader } from '../transfer/transfer.loaders.js';
import { ExpenseItem, ExpenseReport } from './expense-report.entity.js';
import { UpsertExpenseReportsInput } from './expenses.inputs.js';
import { UpsertExpenseReportsResult } from './expenses.results.js';
import { upsertExpenseReports } from './expenses.service.js';

const ExpenseReportConnection = ConnectionType(ExpenseReport);

@Resolver(() => ExpenseReport)
export class ExpenseReportResolver {
  @Requires(Role.VIEWER)
  @Query(() => ExpenseReportConnection, { description: "Pushed expense reports, oldest first; optionally one resource's only." })
  expenseReports(@Args() page: PageArgs, @Ctx() ctx: GraphQLContext, @Arg('resourceId', () => ID, { nullable: true }) resourceId?: string | null): Promise<Page<ExpenseReport>> {
    return paginate(ctx.em, ExpenseReport, resourceId ? { resource: resourceId } : {}, page);
  }

  @Requires(Role.VIEWER)
  @Query(() => ExpenseReport, { nullable: true, description: 'One expense report, by our id or by its Autotask id (give exactly one).' })
  expenseReport(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID, { nullable: true }) id?: string | null,
    @Arg('autotaskId', () => Int, { nullable: true }) autotaskId?: number | null,
  ): Promise<ExpenseReport | null> {
    return loadByIdOrAutotaskId(ctx, ExpenseReport, id, autotaskId);
  }

  @Requires(Role.ACCOUNTANT)
  @Mutation(() => UpsertExpenseReportsResult, {
    description:
      'Creates or updates expense reports by Autotask id, each with all its items (which replace the stored ones, matched by Autotask id). ' +
      'Their resources and organizations must have been pushed first. Nothing is sent before queueTransfers (EXPENSE_REPORT), which routes each report by its resource. All or nothing.',
  })
  upsertExpenseReports(@Arg('input') input: UpsertExpenseReportsInput, @Ctx() ctx: GraphQLContext): Promise<UpsertExpenseReportsResult> {
    return upsertExpenseReports(ctx.em, input);
  }

  @FieldResolver(() => Resource, { description: 'The submitter: whose vendor the bill is owed to, and where the report is routed.' })
  async resource(@Root() report: ExpenseReport, @Ctx() ctx: GraphQLContext): Promise<Resource> {
    return (await ctx.loaders.byId(Resource).load(report.resource.id))!;
  }

  @FieldResolver(() => [ExpenseItem], { description: 'In order.' })
  items(@Root() report: ExpenseReport, @Ctx() ctx: GraphQLContext): Promise<ExpenseItem[]> {
    return ctx.loaders.manyBy(ExpenseItem, 'report', { position: 'asc' }).load(report.id);
  }

  @FieldResolver(() => [TransferItem], { description: "Its transfer to QuickBooks (the connector its resource is routed to)." })
  transfers(@Root() report: ExpenseReport, @Ctx() ctx: GraphQLContext): Promise<TransferItem[]> {
    return transfersLoader(ctx, TransferEntityType.EXPENSE_REPORT).load(report.id);
  }
}

@Resolver(() => ExpenseItem)
export class ExpenseItemResolver {
  @FieldResolver(() => Organization, { nullable: true, description: 'The customer the expense is billable to, if any.' })
  async organization(@Root() item: ExpenseItem, @Ctx() ctx: GraphQLContext): Promise<Organization | null> {
    return item.organization ? ((await ctx.loaders.byId(Organization).load(item.organization.id)) ?? null) : null;
  }
}

export const EXPENSE_RESOLVERS: Function[] = [ExpenseReportResolver, ExpenseItemResolver];
