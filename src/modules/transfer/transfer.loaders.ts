/** Per-request batch loads of the transfer ledger (see graphql/loaders.ts). */
import type DataLoader from 'dataloader';
import type { GraphQLContext } from '../../graphql/context.js';
import { TransferItem } from './transfer-item.entity.js';
import type { TransferEntityType } from './transfer-state.js';

/** The ledger rows of entities of one type, keyed by our entity id (one per connector it was queued for). */
export function transfersLoader(ctx: GraphQLContext, entityType: TransferEntityType): DataLoader<string, TransferItem[]> {
  return ctx.loaders.custom(`transfers:${entityType}`, async (entityIds) => {
    const rows = await ctx.em.find(TransferItem, { entityType, entityId: { $in: [...entityIds] } }, { orderBy: { id: 'asc' } });
    const groups = new Map<string, TransferItem[]>(entityIds.map((id) => [id, []]));
    for (const row of rows) groups.get(row.entityId)?.push(row);
    return entityIds.map((id) => groups.get(id)!);
  });
}
