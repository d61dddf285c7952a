import { Field, ID, InputType } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, IsOptional, Matches, ValidateNested } from 'class-validator';
import { TransferEntityType, TransferState } from './transfer-state.js';
import { CALENDAR_DATE, CALENDAR_DATE_MESSAGE } from '../../shared/calendar-date.js';

/** Most entities one queueTransfers call takes. */
export const MAX_QUEUE_BATCH = 1000;

@InputType({ description: 'Narrows the transfer ledger; every field is optional.' })
export class TransferItemFilter {
  @Field(() => ID, { nullable: true }) connectorId?: string | null;
  @Field(() => TransferState, { nullable: true }) state?: TransferState | null;
  @Field(() => TransferEntityType, { nullable: true }) entityType?: TransferEntityType | null;
  @Field(() => ID, { nullable: true, description: 'Our id of the organization, invoice or payment.' }) entityId?: string | null;
}


@InputType({
  description:
    'Which entities to queue when no id list is given: every organization, invoice or payment that matches all the ' +
    'fields set (at most ' + MAX_QUEUE_BATCH + ').',
})
export class QueueTransfersFilter {
  @Field(() => [ID], { nullable: true, description: "Only these organizations (our ids): their own record, invoices or invoices' payments." })
  @IsOptional()
  @ArrayMinSize(1, { message: 'must hold at least one id when given' })
  organizationIds?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Invoice date (payments: payment date) on or after this day, YYYY-MM-DD. Not for organizations.' })
  @IsOptional()
  @Matches(CALENDAR_DATE, { message: CALENDAR_DATE_MESSAGE })
  dateFrom?: string | null;

  @Field(() => String, { nullable: true, description: 'Invoice date (payments: payment date) on or before this day, YYYY-MM-DD. Not for organizations.' })
  @IsOptional()
  @Matches(CALENDAR_DATE, { message: CALENDAR_DATE_MESSAGE })
  dateTo?: string | null;

  @Field(() => Boolean, {
    defaultValue: true,
    description: 'Leave out entities that already have a transfer in the ledger, whatever its state (default). ' +
      'False also queues failed and cancelled ones again.',
  })
  onlyNew: boolean = true;
}

@InputType({ description: 'What to queue: entityIds, or a filter. Exactly one of them.' })
export class QueueTransfersInput {
  @Field(() => TransferEntityType) entityType!: TransferEntityType;

  @Field(() => [ID], { nullable: true, description: `Our ids of the organizations, invoices or payments (1 to ${MAX_QUEUE_BATCH}).` })
  @IsOptional()
  @ArrayMinSize(1, { message: 'must hold at least one id' })
  @ArrayMaxSize(MAX_QUEUE_BATCH, { message: `must hold at most ${MAX_QUEUE_BATCH} ids per call` })
  entityIds?: string[] | null;

  @Field(() => QueueTransfersFilter, { nullable: true, description: 'Instead of entityIds: queue everything that matches.' })
  @IsOptional()
  @ValidateNested()
  filter?: QueueTransfersFilter | null;

  @Field(() => ID, {
    nullable: true,
    description: "Send to this connector. Empty: each entity's routed connector (an invoice or payment follows its organization), else the default.",
  })
  connectorId?: string | null;
}
