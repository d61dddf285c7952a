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

  @Field(() => GraphQLJSONObject, { description: "Changed fields (secrets redacted). A new invoice's entry also holds, under `lines`, the lines it was pushed with (each as its own entry would, without `invoice`)." })
  @Property({ type: 'json' })
  changes!: Record<string, unknown>;

  constructor(init: Pick<AuditEntry, 'actorId' | 'actorName' | 'action' | 'entityType' | 'entityId' | 'changes'>) {
    super('aud');
    Object.assign(this, init);
  }
}
