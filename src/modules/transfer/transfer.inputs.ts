import { Field, ID, InputType } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize } from 'class-validator';
import { TransferEntityType, TransferState } from './transfer-state.js';

/** Most entities one queueTransfers call takes. */
export const MAX_QUEUE_BATCH = 1000;

@InputType({ description: 'Narrows the transfer ledger; every field is optional.' })
export class TransferItemFilter {
  @Field(() => ID, { nullable: true }) connectorId?: string | null;
  @Field(() => TransferState, { nullable: true }) state?: TransferState | null;
  @Field(() => TransferEntityType, { nullable: true }) entityType?: TransferEntityType | null;
  @Field(() => ID, { nullable: true, description: 'Our id of the organization, invoice or payment.' }) entityId?: string | null;
}

@InputType()
export class QueueTransfersInput {
  @Field(() => TransferEntityType) entityType!: TransferEntityType;

  @Field(() => [ID], { description: `Our ids of the organizations, invoices or payments (1 to ${MAX_QUEUE_BATCH}).` })
  @ArrayMinSize(1, { message: 'must hold at least one id' })
  @ArrayMaxSize(MAX_QUEUE_BATCH, { message: `must hold at most ${MAX_QUEUE_BATCH} ids per call` })
  entityIds!: string[];

  @Field(() => ID, {
    nullable: true,
    description: "Send to this connector. Empty: each entity's routed connector (an invoice or payment follows its organization), else the default.",
  })
  connectorId?: string | null;
}
