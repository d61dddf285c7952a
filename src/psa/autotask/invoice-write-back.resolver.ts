import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context.js';
import { Invoice } from '../../modules/autotask/invoice.entity.js';
import { AutotaskInvoiceWriteBack } from './invoice-write-back.entity.js';

/** `Invoice.autotaskWriteBack`: batched, so a page of invoices costs one query. */
@Resolver(() => Invoice)
export class InvoiceWriteBackResolver {
  @FieldResolver(() => AutotaskInvoiceWriteBack, {
    nullable: true,
    description: 'What was written back to the Autotask invoice (QuickBooks number, paid date) and the last failure; null until the first attempt.',
  })
  async autotaskWriteBack(@Root() invoice: Invoice, @Ctx() ctx: GraphQLContext): Promise<AutotaskInvoiceWriteBack | null> {
    return (await ctx.loaders.manyBy(AutotaskInvoiceWriteBack, 'invoice').load(invoice.id))[0] ?? null;
  }
}
