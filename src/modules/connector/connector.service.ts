import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../errors/app-error.js';
import { toQbRef } from '../../shared/qb-ref.js';
import { Connector } from './connector.entity.js';
import { TaxMode, UnmappedAction, UnmappedKind } from './connector-settings.js';
import type { ConnectorSettingsInput, CreateConnectorInput, UnmappedPolicyInput, UpdateConnectorInput } from './connector.inputs.js';
import { TransferItem } from '../transfer/transfer-item.entity.js';
import { Registration } from '../registration/registration.entity.js';
import { Mapping } from '../mapping/mapping.entity.js';
import { Route } from '../routing/route.entity.js';
import { OrganizationQbLink } from '../autotask/organization.entity.js';
import { QbwcSession } from '../../qbwc/session/qbwc-session.entity.js';
import { keepOnCurrentDefault, planDefaultConnectorMove } from './default-connector-move.js';

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
      // Default first: the inventory flag applies to the default connector only.
      connector.isDefault = (await em.count(Connector, {})) === 0;
      applySettings(connector, input);
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

  /**
   * Moves the default. `confirm` must be true: it changes where every unrouted organization's invoices go.
   * Organizations that already have a customer in the old default's file are routed to it first
   * (default-connector-move.ts), so the move never makes them a second customer in the new default's file.
   */
  async setDefault(id: string, confirm: boolean): Promise<Connector> {
    return this.em.transactional(async (em) => {
      const move = await planDefaultConnectorMove(em, id);
      const { to: target, from: current } = move;
      if (target.isDefault) return target;
      const kept = move.organizationsKeptOnCurrentDefault.length;
      if (!confirm) {
        throw new AppError(
          'DEFAULT_CONNECTOR_CHANGE_UNCONFIRMED',
          `Making "${target.name}" the default sends every organization and resource without a route to it` +
            (current ? ` instead of to "${current.name}"` : '') +
            (current && kept
              ? `; ${kept} organization(s) that already have a customer in "${current.name}" will be routed to it so they are not added again ` +
                '(defaultConnectorMove lists them)'
              : '') +
            '. Call again with confirm: true to do it.',
          { fields: [{ field: 'confirm', message: 'must be true to move the default connector' }] },
        );
      }
      keepOnCurrentDefault(em, move);
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
  if (input.unmappedPolicies) applyUnmappedPolicies(connector, input.unmappedPolicies);
  if (input.longNamePolicy != null) connector.longNamePolicy = input.longNamePolicy;
  if (input.lineGrouping != null) connector.lineGrouping = input.lineGrouping;
  if (input.roundingPolicy != null) connector.roundingPolicy = input.roundingPolicy;
  if (input.timesheetPeriod != null) connector.timesheetPeriod = input.timesheetPeriod;
  if (input.timesheetPeriodAnchor != null) connector.timesheetPeriodAnchor = input.timesheetPeriodAnchor;
  if (input.cashAdvanceAccount !== undefined) connector.cashAdvanceAccount = toQbRef(input.cashAdvanceAccount);
  if (input.transferExpenseClass != null) connector.transferExpenseClass = input.transferExpenseClass;
  if (input.companyPaidExpenses != null) connector.companyPaidExpenses = input.companyPaidExpenses;
  if (input.inventoryAdjustmentAccount !== undefined) connector.inventoryAdjustmentAccount = toQbRef(input.inventoryAdjustmentAccount);
  if (input.syncInventoryAtNextSession != null) {
    if (input.syncInventoryAtNextSession && !connector.isDefault) {
      throw AppError.invalidInput([{ field: 'syncInventoryAtNextSession', message: "applies to the default connector only: QuickBooks' on-hand quantities are kept in the default company file" }]);
    }
    connector.syncInventoryAtNextSession = input.syncInventoryAtNextSession;
  }
  if (connector.taxMode === TaxMode.PSA_TAX_AS_LINE && !connector.psaTaxItem) {
    throw AppError.invalidInput([
      { field: 'psaTaxItem', message: 'is required when taxMode is PSA_TAX_AS_LINE (the QuickBooks item that carries the Autotask tax)' },
    ]);
  }
}

/** Every problem at once: a kind twice, USE_DEFAULT without a default, OMIT for billing codes (a new item needs an account). */
function applyUnmappedPolicies(connector: Connector, policies: readonly UnmappedPolicyInput[]): void {
  const problems: { field: string; message: string }[] = [];
  policies.forEach((p, i) => {
    const at = `unmappedPolicies.${i}`;
    if (policies.findIndex((q) => q.kind === p.kind) !== i) problems.push({ field: `${at}.kind`, message: `sets ${p.kind} twice` });
    if (p.onUnmapped === UnmappedAction.USE_DEFAULT && !p.default && p.kind !== UnmappedKind.BILLING_CODE) {
      problems.push({ field: `${at}.default`, message: `is required for USE_DEFAULT: the QuickBooks element unmapped ${p.kind} values get` });
    }
    if (p.onUnmapped !== UnmappedAction.USE_DEFAULT && p.default) problems.push({ field: `${at}.default`, message: `applies only to USE_DEFAULT, not ${p.onUnmapped}` });
    if (p.onUnmapped === UnmappedAction.OMIT && p.kind === UnmappedKind.BILLING_CODE) {
      problems.push({ field: `${at}.onUnmapped`, message: 'cannot be OMIT for BILLING_CODE: an item created automatically needs an income account (USE_DEFAULT or FAIL)' });
    }
  });
  if (problems.length) throw AppError.invalidInput(problems);
  const next = { ...connector.unmappedPolicies };
  for (const p of policies) next[p.kind] = { onUnmapped: p.onUnmapped, default: p.default ? { listId: p.default.listId ?? null, fullName: p.default.fullName } : null };
  connector.unmappedPolicies = next;
}
