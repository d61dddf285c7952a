/**
 * Alerts on a transfer that SUCCEEDED: something a person should check (a plugin's TransferAlert, e.g. the
 * invoices plugin's TOTAL_MISMATCH when QuickBooks' total differs from Autotask's). Kept on the ledger item
 * (`TransferItem.alerts`) and raised as an open connector alert (`Connector.alerts`, kind TRANSFER_ALERT) for
 * the people who watch the connector, until someone resolves it.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Field, ObjectType } from 'type-graphql';
import type * as Sdk from '../../../plugins/sdk/index.js';
import { AlertKind, ConnectorAlert } from '../connector/connector-alert.entity.js';
import type { TransferItem } from './transfer-item.entity.js';

@ObjectType({ description: 'Something to check about a transfer that succeeded (e.g. TOTAL_MISMATCH: QuickBooks\' total is not Autotask\'s).' })
export class TransferAlert {
  @Field({ description: 'Stable code, e.g. TOTAL_MISMATCH (the plugin that raised it documents its codes).' })
  code!: string;

  @Field({ description: 'What happened and what to do.' })
  message!: string;

  @Field(() => String, { nullable: true, description: 'The amount Autotask has, when the alert compares amounts.' })
  autotaskAmount?: string | null;

  @Field(() => String, { nullable: true, description: 'The amount QuickBooks has.' })
  quickBooksAmount?: string | null;
}

/** The alerts as stored (jsonb): plain values, whatever a plugin returned besides them left out. */
export function storedAlerts(alerts: readonly Sdk.TransferAlert[] | undefined): TransferAlert[] {
  return (alerts ?? []).map((a) => ({
    code: a.code,
    message: a.message,
    autotaskAmount: a.autotaskAmount ?? null,
    quickBooksAmount: a.quickBooksAmount ?? null,
  }));
}

/** One open connector alert per transfer alert, naming the ledger item and the entity. */
export function raiseConnectorAlerts(em: EntityManager, item: TransferItem): void {
  for (const alert of item.alerts) {
    em.persist(new ConnectorAlert(item.connector, AlertKind.TRANSFER_ALERT, `${item.entityType} transfer ${item.id}: ${alert.message}`, {
      transferItemId: item.id, entityType: item.entityType, entityId: item.entityId, ...alert,
    }));
  }
}
