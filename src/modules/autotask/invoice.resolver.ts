import { IsOptional, Matches } from 'class-validator';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { AppError } from '../../errors/app-error.js';
import { CALENDAR_DATE, CALENDAR_DATE_MESSAGE } from '../../shared/calendar-date.js';
import type { GraphQLContext } from '../../graphql/context.js';
import { Requires } from '../../graphql/authorization.js';
import { answerDetail } from '../../graphql/selection.js';
import { ConnectionType, PageArgs, paginate, type Page } from '../../graphql/pagination.js';
import { Role } from '../user/role.js';
import { TransferItem } from '../transfer/transfer-item.entity.js';
import { TransferEntityType } from '../transfer/transfer-state.js';
import { transfersLoader } from '../transfer/transfer.loaders.js';
import { Invoice, InvoiceLine } from './invoice.entity.js';
import { Organization } from './organization.entity.js';
import { Payment } from './payment.entity.js';
import { UpsertInvoicesInput, UpsertPaymentsInput } from './autotask.inputs.js';
import { UpsertInvoicesResult, UpsertPaymentsResult } from './upsert-result.js';
import { upsertInvoices, upsertPayments } from './autotask.service.js';
import { loadByIdOrAutotaskId } from './autotask.loaders.js';

const InvoiceConnection = ConnectionType(Invoice);

@ArgsType()
class InvoiceListFilter {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  organizationId?: string | null;

  @Field(() => String, { nullable: true, description: 'Invoices dated on or after this day, YYYY-MM-DD.' })
  @IsOptional()
  @Matches(CALENDAR_DATE, { message: CALENDAR_DATE_MESSAGE })
  dateFrom?: string | null;

  @Field(() => String, { nullable: true, description: 'Invoices dated on or before this day, YYYY-MM-DD.' })
  @IsOptional()
  @Matches(CALENDAR_DATE, { message: CALENDAR_DATE_MESSAGE })
  dateTo?: string | null;
}
const PaymentConnection = ConnectionType(Payment);

@Resolver(() => Invoice)
export class InvoiceResolver {
  @Requires(Role.VIEWER)
  @Query(() => InvoiceConnection, { description: "Pushed invoices, oldest first; optionally one organization's only, and those dated within a range." })
  invoices(@Args() page: PageArgs, @Args() filter: InvoiceListFilter, @Ctx() ctx: GraphQLContext): Promise<Page<Invoice>> {
    const { organizationId, dateFrom, dateTo } = filter;
    if (dateFrom && dateTo && dateFrom > dateTo) throw AppError.invalidInput([{ field: 'dateTo', message: `is before dateFrom (${dateFrom})` }]);
    const invoiceDate = { ...(dateFrom ? { $gte: dateFrom } : {}), ...(dateTo ? { $lte: dateTo } : {}) };
    return paginate(ctx.em, Invoice, {
      ...(organizationId ? { organization: organizationId } : {}),
      ...(dateFrom || dateTo ? { invoiceDate } : {}),
    }, page);
  }

  @Requires(Role.VIEWER)
  @Query(() => Invoice, { nullable: true, description: 'One invoice, by our id or by its Autotask id (give exactly one).' })
  invoice(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID, { nullable: true }) id?: string | null,
    @Arg('autotaskId', () => Int, { nullable: true }) autotaskId?: number | null,
  ): Promise<Invoice | null> {
    return loadByIdOrAutotaskId(ctx, Invoice, id, autotaskId);
  }

  @Requires(Role.ACCOUNTANT)
  @Mutation(() => UpsertInvoicesResult, {
    description:
      'Creates or updates invoices by Autotask id, each with all its lines (which replace the stored ones). ' +
      'Their organizations must have been pushed first. Pushing unchanged data writes nothing. All or nothing.',
  })
  upsertInvoices(@Arg('input') input: UpsertInvoicesInput, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<UpsertInvoicesResult> {
    return upsertInvoices(ctx.em, input, answerDetail(info, 'invoices'));
  }

  @FieldResolver(() => Organization)
  async organization(@Root() invoice: Invoice, @Ctx() ctx: GraphQLContext): Promise<Organization> {
    return (await ctx.loaders.byId(Organization).load(invoice.organization.id))!;
  }

  @FieldResolver(() => [InvoiceLine], { description: 'In invoice order.' })
  lines(@Root() invoice: Invoice, @Ctx() ctx: GraphQLContext): Promise<InvoiceLine[]> {
    return ctx.loaders.manyBy(InvoiceLine, 'invoice', { position: 'asc' }).load(invoice.id);
  }

  @FieldResolver(() => [Payment], { description: 'Payments received against it, oldest pushed first.' })
  payments(@Root() invoice: Invoice, @Ctx() ctx: GraphQLContext): Promise<Payment[]> {
    return ctx.loaders.manyBy(Payment, 'invoice').load(invoice.id);
  }

  @FieldResolver(() => [TransferItem], { description: 'Its transfers to QuickBooks, one per connector.' })
  transfers(@Root() invoice: Invoice, @Ctx() ctx: GraphQLContext): Promise<TransferItem[]> {
    return transfersLoader(ctx, TransferEntityType.INVOICE).load(invoice.id);
  }
}

@Resolver(() => Payment)
export class PaymentResolver {
  @Requires(Role.VIEWER)
  @Query(() => PaymentConnection, { description: "Pushed payments, oldest first; optionally one invoice's only." })
  payments(
    @Args() page: PageArgs,
    @Ctx() ctx: GraphQLContext,
    @Arg('invoiceId', () => ID, { nullable: true }) invoiceId?: string | null,
  ): Promise<Page<Payment>> {
    return paginate(ctx.em, Payment, invoiceId ? { invoice: invoiceId } : {}, page);
  }

  @Requires(Role.ACCOUNTANT)
  @Mutation(() => UpsertPaymentsResult, {
    description:
      "Creates or updates payments by the pusher's external id; their invoices must have been pushed first. " +
      'Pushing unchanged data writes nothing. All or nothing.',
  })
  upsertPayments(@Arg('input') input: UpsertPaymentsInput, @Ctx() ctx: GraphQLContext): Promise<UpsertPaymentsResult> {
    return upsertPayments(ctx.em, input);
  }

  @FieldResolver(() => Invoice)
  async invoice(@Root() payment: Payment, @Ctx() ctx: GraphQLContext): Promise<Invoice> {
    return (await ctx.loaders.byId(Invoice).load(payment.invoice.id))!;
  }

  @FieldResolver(() => [TransferItem], { description: 'Its transfers to QuickBooks, one per connector.' })
  transfers(@Root() payment: Payment, @Ctx() ctx: GraphQLContext): Promise<TransferItem[]> {
    return transfersLoader(ctx, TransferEntityType.PAYMENT).load(payment.id);
  }
}
