import { Entity, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { BaseEntity } from '../shared/base-entity.js';
import type { Connector } from '../modules/connector/connector.entity.js';

/**
 * A keyed prerequisite (e.g. `item:labor:remote`, an item an invoice needs) that this connector's company file
 * is known to have: QuickBooks created it for one of our transfers, or answered that it already existed
 * (3100). Translations see it (TranslateContext.itemExists) and the ledger never sends it again, so 30
 * invoices needing one new item send one ItemServiceAdd, not 30. Written with one set-based statement per
 * answer; a fact about the company file, so not audited.
 */
@Entity({ tableName: 'transfer_prerequisite' })
@Unique({ properties: ['connector', 'key'] })
export class TransferPrerequisite extends BaseEntity {
  @ManyToOne({ entity: 'Connector', deleteRule: 'cascade' })
  connector: Rel<Connector>;

  @Property({ type: 'text' })
  key: string;

  /** QuickBooks' ListID when its answer carried one (not for "already exists"). */
  @Property({ type: 'text', nullable: true })
  listId: string | null = null;

  constructor(connector: Connector, key: string) {
    super('xpre');
    this.connector = connector;
    this.key = key;
  }
}
