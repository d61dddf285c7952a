/**
 * Typed qbXML requests used by the serializer, validator and parser tests, and helpers: scrambling key order,
 * validating a serialized request against Intuit's XSD.
 */
import { expect } from 'vitest';
import {
  buildRequestMessage,
  serializeRequest,
  type CustomerAddRq,
  type DataExtAddRq,
  type InventoryAdjustmentAddRq,
  type InvoiceAddRq,
  type ItemServiceAddRq,
  type QbxmlRequests,
  type QbxmlRequestType,
  type ReceivePaymentAddRq,
  type SerializedRequest,
} from '../../src/qbxml/index.js';
import { validator } from '../helpers/spec.js';

export const invoiceAdd: InvoiceAddRq = {
  InvoiceAdd: {
    CustomerRef: { FullName: 'Acme Corporation' },
    ClassRef: { FullName: 'Managed Services' },
    TxnDate: '2024-02-29',
    RefNumber: 'AT-10042',
    BillAddress: { Addr1: 'Acme Corporation', Addr2: '1 Main St', City: 'Springfield', State: 'IL', PostalCode: '62701', Country: 'USA' },
    PONumber: 'PO-7',
    TermsRef: { FullName: 'Net 30' },
    DueDate: '2024-03-30',
    Memo: 'Autotask invoice 10042',
    IsToBePrinted: false,
    ExternalGUID: '{3F2504E0-4F89-11D3-9A0C-0305E82C3301}',
    InvoiceLineAdd: [
      { ItemRef: { FullName: 'Consulting' }, Desc: 'Ticket T20240201.0001', Quantity: '1.5', Rate: '150.00', ServiceDate: '2024-02-01' },
      { ItemRef: { FullName: 'Remote Support' }, Desc: 'Ticket T20240202.0007', Quantity: '2', Rate: '95', ClassRef: { FullName: 'Support' } },
      { ItemRef: { FullName: 'Travel' }, Desc: 'Mileage', Amount: '42.10', SalesTaxCodeRef: { FullName: 'Non' } },
      { Desc: 'Thank you for your business.' },
    ],
  },
  IncludeRetElement: ['TxnID', 'EditSequence', 'RefNumber'],
};

export const customerAdd: CustomerAddRq = {
  CustomerAdd: {
    Name: 'Initech',
    IsActive: true,
    CompanyName: 'Initech LLC',
    FirstName: 'Bill',
    LastName: 'Lumbergh',
    BillAddress: { Addr1: 'Initech LLC', Addr2: '4120 Freidrich Ln', City: 'Austin', State: 'TX', PostalCode: '78744', Country: 'USA' },
    ShipAddress: { Addr1: 'Initech LLC', Addr2: 'Loading dock B', City: 'Austin', State: 'TX', PostalCode: '78744' },
    ShipToAddress: [
      { Name: 'Warehouse', Addr1: '1 Dock Rd', City: 'Austin', State: 'TX', PostalCode: '78701', DefaultShipTo: true },
      { Name: 'Annex', Addr1: '2 Side St', City: 'Austin', State: 'TX', PostalCode: '78702' },
    ],
    Phone: '512-555-0100',
    Email: 'billing@initech.example',
    Contact: 'Bill Lumbergh',
    AdditionalContactRef: [{ ContactName: 'Main Phone', ContactValue: '512-555-0100' }],
    TermsRef: { FullName: 'Net 30' },
    AccountNumber: 'AT-0042',
    CreditLimit: '10000.00',
    Notes: 'Imported from Autotask',
  },
};

export const receivePaymentAdd: ReceivePaymentAddRq = {
  ReceivePaymentAdd: {
    CustomerRef: { ListID: '80000001-1700000000' },
    TxnDate: '2024-03-15',
    RefNumber: '10231',
    TotalAmount: '367.60',
    PaymentMethodRef: { FullName: 'Check' },
    DepositToAccountRef: { FullName: 'Undeposited Funds' },
    AppliedToTxnAdd: [
      { TxnID: '1A2-1700000001', PaymentAmount: '325.50' },
      { TxnID: { '#text': '1A7-1700000002', useMacro: 'TxnID:Invoice2' }, PaymentAmount: '42.10', DiscountAmount: '0.00' },
    ],
  },
};

export const itemServiceAdd: ItemServiceAddRq = {
  ItemServiceAdd: {
    Name: 'Consulting',
    IsActive: true,
    SalesTaxCodeRef: { FullName: 'Non' },
    SalesOrPurchase: { Desc: 'Consulting services', Price: '150.00', AccountRef: { FullName: 'Services' } },
  },
};

export const dataExtAdd: DataExtAddRq = {
  DataExtAdd: {
    OwnerID: '0',
    DataExtName: 'Autotask ID',
    ListDataExtType: 'Customer',
    ListObjRef: { FullName: 'Acme Corporation' },
    DataExtValue: '29683',
  },
};

/** Parity-transfers.md appendix A's adjustment: on-hand set (NewQuantity) and moved (QuantityDifference). */
export const inventoryAdjustmentAdd: InventoryAdjustmentAddRq = {
  InventoryAdjustmentAdd: {
    AccountRef: { FullName: 'Inventory Adjustment' },
    TxnDate: '2024-05-04',
    Memo: 'Autotask inventory sync',
    ExternalGUID: '{3F2504E0-4F89-11D3-9A0C-0305E82C3302}',
    InventoryAdjustmentLineAdd: [
      { ItemRef: { FullName: 'UPS Battery RBC7' }, QuantityAdjustment: { NewQuantity: '7' } },
      { ItemRef: { ListID: '80000031-1796040000' }, QuantityAdjustment: { QuantityDifference: '-2' } },
    ],
  },
};

/** A copy of `value` with every object's keys in reverse order (arrays keep their order). */
export function scrambled<T>(value: T): T {
  if (Array.isArray(value)) return value.map(scrambled) as T;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, scrambled(v)])) as T;
}

/** The request as a complete request message of `version`. */
export function asMessage(requests: readonly SerializedRequest[], version = '13.0'): string {
  return buildRequestMessage(requests, { version, onError: 'stopOnError' });
}

/** Serializes, wraps in a message and checks it as QuickBooks would (the rules; Intuit's XSD too when present). */
export function expectXsdValid<K extends QbxmlRequestType>(type: K, request: QbxmlRequests[K], version = '13.0'): SerializedRequest {
  const serialized = serializeRequest(type, request, { requestId: '1', version });
  const result = validator.validate(asMessage([serialized], version));
  expect(result.problems, asMessage([serialized], version)).toEqual([]);
  expect(result.schemaSet).toBe(version.startsWith('16') ? '160' : '130');
  return serialized;
}
