/** GraphQL for timesheets: time entries (push), approvals (an accountant's confirmation) and their day-rows. */
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Min } from 'class-validator';
import type { GraphQLContext } from '../../graphql/context.js';
import { Requires } from '../../graphql/authorization.js';
import { ConnectionType, PageArgs, paginate, type Page } from '../../graphql/pagination.js';
import { currentActor } from '../audit/actor.js';
import { Organization } from '../autotask/organization.entity.js';
import { Resource } from '../autotask/resource.entity.js';
import { TimeEntry } from '../autotask/time-entry.entity.js';
import { UpsertTimeEntriesInput } from '../autotask/autotask.inputs.js';
import { upsertTimeEntries } from '../autotask/autotask.service.js';
import { IsCalendarDate } from '../autotask/autotask-values.js';
import { UpsertTimeEntriesResult } from '../autotask/upsert-result.js';
import { TransferItem } from '../transfer/transfer-item.entity.js';
import { TransferEntityType } from '../transfer/transfer-state.js';
import { transfersLoader } from '../transfer/transfer.loaders.js';
import { Role } from '../user/role.js';
import { TimeActivity, TimesheetApproval } from './timesheet.entity.js';
import { approveTimesheet } from './timesheet.service.js';

const TimeEntryConnection = ConnectionType(TimeEntry);
const TimesheetApprovalConnection = ConnectionType(TimesheetApproval);

@InputType({ description: "Confirms a resource's timesheet period as approved in Autotask (its API cannot tell)." })
export class ApproveTimesheetInput {
  @Field(() => Int) @Min(1, { message: 'must be a positive Autotask id' }) resourceAutotaskId!: number;
  @Field({ description: "Any day of the period (YYYY-MM-DD); the period follows the resource's connector's timesheetPeriod." })
  @IsCalendarDate()
  date!: string;
}

@ObjectType({ description: 'What approveTimesheet did: day-rows queued new, queued as a change, queued for deletion, or left alone.' })
export class ApproveTimesheetResult {
  @Field(() => TimesheetApproval) approval!: TimesheetApproval;
  @Field(() => Int) added!: number;
  @Field(() => Int, { description: 'Changed since the last approval; those in QuickBooks are modified there, not added again.' }) changed!: number;
  @Field(() => Int, { description: 'Days whose entries are gone: deleted in QuickBooks, or withdrawn when never sent.' }) removed!: number;
  @Field(() => Int) unchanged!: number;
}

@Resolver(() => TimeEntry)
export class TimeEntryResolver {
  @Requires(Role.VIEWER)
  @Query(() => TimeEntryConnection, { description: "Pushed time entries, oldest first; optionally one resource's only." })
  timeEntries(
    @Args() page: PageArgs,
    @Ctx() ctx: GraphQLContext,
    @Arg('resourceId', () => ID, { nullable: true }) resourceId?: string | null,
  ): Promise<Page<TimeEntry>> {
    return paginate(ctx.em, TimeEntry, resourceId ? { resource: resourceId } : {}, page);
  }

  @Requires(Role.ACCOUNTANT)
  @Mutation(() => UpsertTimeEntriesResult, {
    description: 'Creates or updates time entries by Autotask id; their resources must have been pushed first. Nothing is sent before approveTimesheet. All or nothing.',
  })
  upsertTimeEntries(@Arg('input') input: UpsertTimeEntriesInput, @Ctx() ctx: GraphQLContext): Promise<UpsertTimeEntriesResult> {
    return upsertTimeEntries(ctx.em, input);
  }

  @FieldResolver(() => Resource)
  async resource(@Root() entry: TimeEntry, @Ctx() ctx: GraphQLContext): Promise<Resource> {
    return (await ctx.loaders.byId(Resource).load(entry.resource.id))!;
  }
}

@Resolver(() => TimesheetApproval)
export class TimesheetApprovalResolver {
  @Requires(Role.VIEWER)
  @Query(() => TimesheetApprovalConnection, { description: "Approved timesheet periods, oldest approval first; optionally one resource's only." })
  timesheetApprovals(
    @Args() page: PageArgs,
    @Ctx() ctx: GraphQLContext,
    @Arg('resourceId', () => ID, { nullable: true }) resourceId?: string | null,
  ): Promise<Page<TimesheetApproval>> {
    return paginate(ctx.em, TimesheetApproval, resourceId ? { resource: resourceId } : {}, page);
  }

  @Requires(Role.ACCOUNTANT)
  @Mutation(() => ApproveTimesheetResult, {
    description:
      "Confirms a resource's timesheet period as approved and queues its day-rows to the resource's connector (its route, else the default). " +
      'Approving again after a change in Autotask queues only what changed (modified or deleted in QuickBooks, never added twice).',
  })
  async approveTimesheet(@Arg('input') input: ApproveTimesheetInput, @Ctx() ctx: GraphQLContext): Promise<ApproveTimesheetResult> {
    return Object.assign(new ApproveTimesheetResult(), await approveTimesheet(ctx.em, input, currentActor()));
  }

  @FieldResolver(() => Resource)
  async resource(@Root() approval: TimesheetApproval, @Ctx() ctx: GraphQLContext): Promise<Resource> {
    return (await ctx.loaders.byId(Resource).load(approval.resource.id))!;
  }

  @FieldResolver(() => [TimeActivity], { description: 'Its day-rows (one QuickBooks time record each), by date.' })
  activities(@Root() approval: TimesheetApproval, @Ctx() ctx: GraphQLContext): Promise<TimeActivity[]> {
    return ctx.loaders.manyBy(TimeActivity, 'approval', { date: 'asc', groupKey: 'asc' }).load(approval.id);
  }
}

@Resolver(() => TimeActivity)
export class TimeActivityResolver {
  @FieldResolver(() => Organization, { nullable: true, description: 'The customer (job) the time was for; none for internal time.' })
  async organization(@Root() activity: TimeActivity, @Ctx() ctx: GraphQLContext): Promise<Organization | null> {
    return activity.organization ? ((await ctx.loaders.byId(Organization).load(activity.organization.id)) ?? null) : null;
  }

  @FieldResolver(() => [TransferItem], { description: 'Its transfer to QuickBooks (the connector its resource is routed to).' })
  transfers(@Root() activity: TimeActivity, @Ctx() ctx: GraphQLContext): Promise<TransferItem[]> {
    return transfersLoader(ctx, TransferEntityType.TIME_ACTIVITY).load(activity.id);
  }
}

export const TIMESHEET_RESOLVERS: Function[] = [TimeEntryResolver, TimesheetApprovalResolver, TimeActivityResolver];
