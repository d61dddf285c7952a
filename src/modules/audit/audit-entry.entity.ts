import { Entity, Index, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { BaseEntity } from '../../shared/base-entity.js';

/** Who changed what, when. Written in the same transaction as the change itself (see audit-subscriber.ts). */
@ObjectType({ description: 'One recorded change: who, what, when.' })
@Entity()
@Index({ properties: ['entityType', 'entityId'] })
export class AuditEntry extends BaseEntity {
  @Field({ description: 'User id, "cli" or "system".' })
  @Property({ type: 'text' })
  actorId!: string;

  @Field()
  @Property({ type: 'text' })
  actorName!: string;

  @Field({ description: 'create, update or delete.' })
  @Property({ type: 'text' })
  action!: string;

  @Field()
  @Property({ type: 'text' })
  entityType!: string;

  @Field()
  @Property({ type: 'text' })
  entityId!: string;

  @Field(() => GraphQLJSONObject, { description: "Changed fields (secrets redacted): a creation's every field, an update's changed ones with their new values, a deletion's none. Invoices and their lines, as upsertInvoices writes them: a new invoice's entry also names, under `lines`, the ids of the lines it was pushed with, in order (their values are the lines' own: each later change of a line records them); an update also holds, under `previous`, the changed fields' values before it; a line's deletion holds every field it last had. (Entries of earlier versions hold the lines' values under `lines`, and none for a deleted line.)" })
  @Property({ type: 'json' })
  changes!: Record<string, unknown>;

  constructor(init: Pick<AuditEntry, 'actorId' | 'actorName' | 'action' | 'entityType' | 'entityId' | 'changes'>) {
    super('aud');
    Object.assign(this, init);
  }
}
