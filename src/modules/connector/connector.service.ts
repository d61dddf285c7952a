import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../errors/app-error.js';
import { toQbRef } from '../../shared/qb-ref.js';
import { Connector } from './connector.entity.js';
import { TaxMode } from './connector-settings.js';
import type { ConnectorSettingsInput, CreateConnectorInput, UpdateConnectorInput } from './connector.inputs.js';
import { TransferItem } from '../transfer/transfer-item.entity.js';
import { Registration } from '../registration/registration.entity.js';
import { Mapping } from '../mapping/mapping.entity.js';
import { Route } from '../routing/route.entity.js';
import { OrganizationQbLink } from '../autotask/organization.entity.js';
import { QbwcSession } from '../../qbwc/session/qbwc-session.entity.js';

/**
 * Connectors and the "exactly one default" rule: the first connector becomes the default; the default
 * moves only when an admin confirms it; the default cannot be deleted while other connectors exist.
 */
export class ConnectorService {
  constructor(private readonly em: EntityManager) {}

  async get(id: string): Promise<Connector> {
    const connector = await this.em.findOne(Connector, { id });
    if (!connector) throw AppError.notFound('Connector', id);
    return connector;
  }

  async create(input: CreateConnectorInput): Promise<Connector> {
    return this.em.transactional(async (em) => {
      await assertNameFree(em, input.name);
      const connector = new Connector(input.name);
      applySettings(connector, input);
      connector.isDefault = (await em.count(Connector, {})) === 0;
      await em.persist(connector).flush();
      return connector;
    });
  }

  async update(id: string, input: UpdateConnectorInput): Promise<Connector> {
    return this.em.transactional(async (em) => {
      const connector = await em.findOne(Connector, { id });
      if (!connector) throw AppError.notFound('Connector', id);
      if (input.name != null && input.name !== connector.name) {
        await assertNameFree(em, input.name);
        connector.name = input.name;
      }
      applySettings(connector, input);
      await em.flush();
      return connector;
    });
  }

  /** Moves the default. `confirm` must be true: it changes where every unrouted organization's invoices go. */
  async setDefault(id: string, confirm: boolean): Promise<Connector> {
    return this.em.transactional(async (em) => {
      const target = await em.findOne(Connector, { id });
      if (!target) throw AppError.notFound('Connector', id);
      if (target.isDefault) return target;
      const current = await em.findOne(Connector, { isDefault: true });
      if (!confirm) {
        throw new AppError(
          'DEFAULT_CONNECTOR_CHANGE_UNCONFIRMED',
          `Making "${target.name}" the default sends every organization and resource without a route to it` +
            (current ? ` instead of to "${current.name}"` : '') +
            '. Call again with confirm: true to do it.',
          { fields: [{ field: 'confirm', message: 'must be true to move the default connector' }] },
        );
      }
      if (current) {
        current.isDefault = false;
        // Flush first: the partial unique index allows only one default row at any moment.
        await em.flush();
      }
      target.isDefault = true;
      await em.flush();
      return target;
    });
  }

  /** Deletes a connector that never sent anything to QuickBooks, with its registrations, mappings and routes. */
  async delete(id: string): Promise<Connector> {
    return this.em.transactional(async (em) => {
      const connector = await em.findOne(Connector, { id }, { populate: ['company'] });
      if (!connector) throw AppError.notFound('Connector', id);
      const sent = await em.count(TransferItem, { connector, attemptCount: { $gt: 0 } });
      if (sent > 0) {
        throw new AppError(
          'CONNECTOR_HAS_TRANSFERS',
          `"${connector.name}" has sent ${sent} item(s) to QuickBooks; its history must stay. Pause it instead (enabled: false).`,
        );
      }
      if (connector.isDefault && (await em.count(Connector, { id: { $ne: id } })) > 0) {
        throw new AppError(
          'DEFAULT_CONNECTOR_REQUIRED',
          `"${connector.name}" is the default connector; make another connector the default before deleting it.`,
        );
      }
      // Sessions first: they reference registrations. (Alerts go with the connector: on delete cascade.)
      for (const entity of [QbwcSession, TransferItem, Registration, Mapping, Route, OrganizationQbLink] as const) {
        em.remove(await em.find(entity as typeof TransferItem, { connector }));
      }
      if (connector.company) connector.company.unboundAt = new Date();
      em.remove(connector);
      await em.flush();
      return connector;
    });
  }

  /** Forgets the company file the connector is bound to; the next Web Connector contact binds afresh. */
  async clearCompanyBinding(id: string): Promise<Connector> {
    return this.em.transactional(async (em) => {
      const connector = await em.findOne(Connector, { id }, { populate: ['company'] });
      if (!connector) throw AppError.notFound('Connector', id);
      if (connector.company) {
        connector.company.unboundAt = new Date();
        connector.company = null;
        await em.flush();
      }
      return connector;
    });
  }
}

async function assertNameFree(em: EntityManager, name: string): Promise<void> {
  if (await em.count(Connector, { name })) {
    throw new AppError('CONFLICT', `A connector named "${name}" already exists.`, {
      fields: [{ field: 'name', message: 'is already used by another connector' }],
    });
  }
}

function applySettings(connector: Connector, input: ConnectorSettingsInput): void {
  if (input.enabled != null) connector.enabled = input.enabled;
  if (input.runEveryMinutes != null) connector.runEveryMinutes = input.runEveryMinutes;
  if (input.qbxmlVersionCap != null) connector.qbxmlVersionCap = input.qbxmlVersionCap;
  if (input.itemNamingConvention != null) connector.itemNamingConvention = input.itemNamingConvention;
  if (input.defaultTransmissionMethod != null) connector.defaultTransmissionMethod = input.defaultTransmissionMethod;
  if (input.taxMode != null) connector.taxMode = input.taxMode;
  if (input.missingMappingPolicy != null) connector.missingMappingPolicy = input.missingMappingPolicy;
  if (input.psaTaxItem !== undefined) connector.psaTaxItem = toQbRef(input.psaTaxItem);
  if (input.noLineOfBusinessClass !== undefined) connector.noLineOfBusinessClass = toQbRef(input.noLineOfBusinessClass);
  if (input.defaultIncomeAccount) connector.defaultIncomeAccount = toQbRef(input.defaultIncomeAccount)!;
  if (input.invoiceNumbering != null) connector.invoiceNumbering = input.invoiceNumbering;
  if (input.customerNameCollision != null) connector.customerNameCollision = input.customerNameCollision;
  if (input.longNamePolicy != null) connector.longNamePolicy = input.longNamePolicy;
  if (connector.taxMode === TaxMode.PSA_TAX_AS_LINE && !connector.psaTaxItem) {
    throw AppError.invalidInput([
      { field: 'psaTaxItem', message: 'is required when taxMode is PSA_TAX_AS_LINE (the QuickBooks item that carries the Autotask tax)' },
    ]);
  }
}
