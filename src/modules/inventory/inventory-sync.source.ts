/**
 * The inventory on-hand sync, as a Web Connector work source that sends nothing itself: at the next session
 * of the default connector after someone set `syncInventoryAtNextSession` (Autotask's "Sync Inventory during
 * next QuickBooks-initiated communication"), it starts one run —
 *
 *   1. one InventoryAdjustment per product stocked in Autotask (isInventory, with an on-hand total), the
 *      quantity frozen now, each queued as an INVENTORY_ADJUSTMENT ledger item of the default connector;
 *   2. the flag cleared and `inventorySyncedAt` set to the run's start, in the same transaction;
 *
 * and the transfer ledger (the next source of the same call) sends them like any other item, through the
 * inventory-adjustments plugin. Every stocked product, not only the ones whose QuickBooks quantity differs:
 * QuickBooks' on-hand is not known before asking, and NewQuantity sets it (a product already right gets a
 * zero-difference line), so one request per product does what a query-then-adjust would do in two.
 *
 * Only the default connector's file holds inventory (Autotask's rule; QuickBooks has no locations), so the
 * flag of any other connector is ignored here and refused by updateConnector.
 *
 *   createMappingEngine → sources: [new InventorySyncSource(), new LedgerSource(...)]
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Connector } from '../connector/connector.entity.js';
import { Product } from '../purchasing/product.entity.js';
import { enqueueAll, WEB_CONNECTOR_ACTOR } from '../transfer/transfer-ledger.js';
import { TransferEntityType } from '../transfer/transfer-state.js';
import type { TransferItem } from '../transfer/transfer-item.entity.js';
import type { Budget, OutboundRequest, WorkContext, WorkSource } from '../../qbwc/work/work-source.js';
import { InventoryAdjustment } from './inventory-adjustment.entity.js';

export const INVENTORY_SYNC_SOURCE_ID = 'inventory-sync';

/** Whether this connector's next session starts an inventory run. */
export const inventoryRunDue = (connector: Connector): boolean => connector.isDefault && connector.syncInventoryAtNextSession;

/**
 * Starts one inventory run on the (default) connector: an adjustment per stocked product, queued; the flag
 * cleared, the run time recorded. Returns the ledger items.
 */
export async function startInventoryRun(em: EntityManager, connector: Connector, now = new Date()): Promise<TransferItem[]> {
  const products = await em.find(Product, { isInventory: true, quantityOnHand: { $ne: null } }, { orderBy: { autotaskId: 'asc' } });
  const adjustments = products.map((product) => new InventoryAdjustment(connector, product, product.quantityOnHand!, now));
  em.persist(adjustments);
  const items = await enqueueAll(em, adjustments.map((a) => ({ connector, entityType: TransferEntityType.INVENTORY_ADJUSTMENT, entityId: a.id, actor: WEB_CONNECTOR_ACTOR })));
  connector.syncInventoryAtNextSession = false;
  connector.inventorySyncedAt = now;
  // Flushed now: the ledger source asks for queued items right after this, in the same message.
  await em.flush();
  return items;
}

export class InventorySyncSource implements WorkSource {
  readonly id = INVENTORY_SYNC_SOURCE_ID;

  async pendingCount(ctx: { connector: Connector }): Promise<number> {
    return inventoryRunDue(ctx.connector) ? 1 : 0;
  }

  async nextRequests(ctx: WorkContext, _budget: Budget): Promise<OutboundRequest[]> {
    if (inventoryRunDue(ctx.connector)) {
      const items = await startInventoryRun(ctx.em, ctx.connector);
      ctx.logger.info({ connector: ctx.connector.id, adjustments: items.length }, 'inventory sync run started');
    }
    return [];
  }

  async handleResponse(): Promise<readonly OutboundRequest[]> {
    return []; // it sends nothing: its adjustments are the ledger's
  }

  async handleUnknownOutcome(): Promise<void> {}
}
