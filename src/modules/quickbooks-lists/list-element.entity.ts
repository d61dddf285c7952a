import { Entity, Enum, Index, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { BaseEntity } from '../../shared/base-entity.js';
import type { Connector } from '../connector/connector.entity.js';
import { QuickBooksList } from './quickbooks-list.js';

/**
 * One element of a QuickBooks list as the connector's company file last reported it. Written by the list
 * sync (with SQL upserts that skip unchanged rows, so `updatedAt` is when our copy last changed); read by
 * mapping pickers and suggestions. A mirror of QuickBooks data, so its writes are not in the audit log.
 */
@ObjectType({ description: "An element of a QuickBooks list (account, class, item, ...) in one connector's company file." })
@Entity({ tableName: 'quickbooks_list_element' })
@Unique({ properties: ['connector', 'list', 'listId'] })
@Index({ properties: ['connector', 'list', 'fullName'] })
export class QuickBooksListElement extends BaseEntity {
  @ManyToOne({ entity: 'Connector', deleteRule: 'cascade' })
  connector: Rel<Connector>;

  @Field(() => QuickBooksList)
  @Enum({ items: () => QuickBooksList, nativeEnumName: 'quickbooks_list' })
  list: QuickBooksList;

  @Field({ description: 'QuickBooks ListID.' })
  @Property({ type: 'text' })
  listId: string;

  @Field({ description: 'QuickBooks FullName ("Parent:Child"); the name for lists without hierarchy.' })
  @Property({ type: 'text' })
  fullName: string;

  @Field()
  @Property({ type: 'text' })
  name: string;

  @Field(() => String, {
    nullable: true,
    description: 'Item type (Service, NonInventory, SalesTax, ...), account type (Income, Bank, ...), terms kind (Standard, DateDriven), Customer/Job, Taxable/NonTaxable, wage type, template type (Invoice, CreditMemo, ...).',
  })
  @Property({ type: 'text', nullable: true })
  type: string | null = null;

  @Field(() => String, { nullable: true, description: 'SpecialAccountType of accounts, SpecialItemType of items.' })
  @Property({ type: 'text', nullable: true })
  subType: string | null = null;

  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) parentListId: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) parentFullName: string | null = null;
  @Field(() => Int) @Property() sublevel: number = 0;
  @Field() @Property() isActive: boolean = true;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) editSequence: string | null = null;

  @Field(() => String, { nullable: true, description: 'TimeModified as QuickBooks wrote it (its local time and offset).' })
  @Property({ type: 'text', nullable: true })
  timeModified: string | null = null;

  @Property({ type: 'timestamptz', nullable: true, hidden: true })
  timeModifiedAt: Date | null = null;

  @Field(() => GraphQLJSONObject, { description: 'Useful extra fields (description, price, income account, terms days, ...).' })
  @Property({ type: 'jsonb' })
  details: Record<string, unknown> = {};

  /** The full pull that last saw this element (elements a full pull did not see were deleted in QuickBooks). */
  @Property({ type: 'text', nullable: true, hidden: true })
  lastSeenRun: string | null = null;

  constructor(connector: Connector, list: QuickBooksList, listId: string, fullName: string, name: string) {
    super('qble');
    this.connector = connector;
    this.list = list;
    this.listId = listId;
    this.fullName = fullName;
    this.name = name;
  }
}
