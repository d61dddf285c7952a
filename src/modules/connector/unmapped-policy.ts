/**
 * The effective default-or-fail policy of each non-item mapping kind of a connector: what is stored, else
 * today's behaviour (DEFAULT_UNMAPPED_ACTION). The API shows it and the translation context applies it, from
 * this one function, so what an admin reads is what a transfer does.
 */
import { Field, ObjectType } from 'type-graphql';
import { QbRef } from '../../shared/qb-ref.js';
import type { Connector } from './connector.entity.js';
import { DEFAULT_UNMAPPED_ACTION, UNMAPPED_KINDS, UnmappedAction, UnmappedKind } from './connector-settings.js';

@ObjectType({ description: 'What a transfer does with a value of one mapping kind that has no mapping.' })
export class UnmappedPolicy {
  @Field(() => UnmappedKind) kind!: UnmappedKind;
  @Field(() => UnmappedAction) onUnmapped!: UnmappedAction;
  @Field(() => QbRef, { nullable: true, description: 'USE_DEFAULT: the QuickBooks element used (BILLING_CODE: defaultIncomeAccount unless another is named).' })
  default!: QbRef | null;
}

export function effectiveUnmappedPolicies(connector: Connector): UnmappedPolicy[] {
  return UNMAPPED_KINDS.map((kind) => {
    const stored = connector.unmappedPolicies?.[kind];
    const onUnmapped = stored?.onUnmapped ?? DEFAULT_UNMAPPED_ACTION[kind];
    let ref = onUnmapped === UnmappedAction.USE_DEFAULT ? (stored?.default ?? null) : null;
    if (onUnmapped === UnmappedAction.USE_DEFAULT && !ref && kind === UnmappedKind.BILLING_CODE) ref = connector.defaultIncomeAccount;
    return Object.assign(new UnmappedPolicy(), {
      kind,
      onUnmapped,
      default: ref ? Object.assign(new QbRef(), { listId: ref.listId ?? null, fullName: ref.fullName }) : null,
    });
  });
}
