/** Every entity, in one list: the ORM config and the schema builder both read it. */
import { ApiToken } from '../modules/user/api-token.entity.js';
import { User } from '../modules/user/user.entity.js';
import { ApiCredential } from '../modules/credential/api-credential.entity.js';
import { Company } from '../modules/company/company.entity.js';
import { Connector } from '../modules/connector/connector.entity.js';
import { Registration } from '../modules/registration/registration.entity.js';
import { Mapping } from '../modules/mapping/mapping.entity.js';
import { Route } from '../modules/routing/route.entity.js';
import { Organization, OrganizationQbLink } from '../modules/autotask/organization.entity.js';
import { Resource } from '../modules/autotask/resource.entity.js';
import { Invoice, InvoiceLine } from '../modules/autotask/invoice.entity.js';
import { Payment } from '../modules/autotask/payment.entity.js';
import { TransferAttempt, TransferItem } from '../modules/transfer/transfer-item.entity.js';
import { AuditEntry } from '../modules/audit/audit-entry.entity.js';
import { ConnectorAlert } from '../modules/connector/connector-alert.entity.js';
import { QbwcSession } from '../qbwc/session/qbwc-session.entity.js';
import { QbwcInFlightRequest } from '../qbwc/session/in-flight-request.entity.js';
import { AuthThrottle } from '../qbwc/auth/auth-throttle.entity.js';
import { QuickBooksListElement } from '../modules/quickbooks-lists/list-element.entity.js';
import { QuickBooksListSync } from '../modules/quickbooks-lists/list-sync-state.entity.js';
import { BaseEntity } from '../shared/base-entity.js';
import { QbRef } from '../shared/qb-ref.js';
import { Address } from '../shared/address.js';
import { AutotaskConnection } from '../psa/autotask/autotask-connection.entity.js';
import { JobLock } from '../psa/job-lock.js';
import { AutotaskInvoiceWriteBack } from '../psa/autotask/invoice-write-back.entity.js';
import { PaidStatusSync } from '../modules/paid-status/paid-status-sync.entity.js';
import { TransferPrerequisite } from '../mapping-engine/prerequisite.entity.js';
// ---- Timesheets (issue 14) ----
import { TimeEntry } from '../modules/autotask/time-entry.entity.js';
import { TimeActivity, TimesheetApproval } from '../modules/timesheets/timesheet.entity.js';
// Purchasing (purchase orders, receipts, products, vendors).
import { Vendor } from '../modules/purchasing/vendor.entity.js';
import { Product } from '../modules/purchasing/product.entity.js';
import { PurchaseOrder, PurchaseOrderLine, PurchaseOrderReceipt } from '../modules/purchasing/purchase-order.entity.js';
// Expense reports.
import { ExpenseItem, ExpenseReport } from '../modules/expenses/expense-report.entity.js';
// Inventory on-hand sync.
import { InventoryAdjustment } from '../modules/inventory/inventory-adjustment.entity.js';

export const ENTITIES = [
  BaseEntity, QbRef, Address,
  User, ApiToken, ApiCredential, Company, Connector, Registration, Mapping, Route,
  Organization, OrganizationQbLink, Resource, Invoice, InvoiceLine, Payment,
  TransferItem, TransferAttempt, AuditEntry, ConnectorAlert, QbwcSession, QbwcInFlightRequest, AuthThrottle,
  QuickBooksListElement, QuickBooksListSync,
  AutotaskConnection, JobLock, AutotaskInvoiceWriteBack, PaidStatusSync,
  TransferPrerequisite,
  TimeEntry, TimesheetApproval, TimeActivity,
  Vendor, Product, PurchaseOrder, PurchaseOrderLine, PurchaseOrderReceipt,
  ExpenseReport, ExpenseItem,
  InventoryAdjustment,
];
