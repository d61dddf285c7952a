/**
 * Every status code the simulator answers with, each produced by the situation that produces it in
 * QuickBooks, with QuickBooks' wording. Responses are validated against the XSD by `run`.
 */
import { describe, expect, it } from 'vitest';
import { newSimulator, run, runOne, text } from './fixtures/qbxml.js';

const addCustomer = (name: string, extra = '', requestId = '1') =>
  `<CustomerAddRq requestID="${requestId}"><CustomerAdd><Name>${name}</Name>${extra}</CustomerAdd></CustomerAddRq>`;

describe('status 0 — Status OK', () => {
  it('answers a successful add with the new record', () => {
    const qb = newSimulator();
    const rs = runOne(qb, addCustomer('Initech'));
    expect(rs).toMatchObject({ name: 'CustomerAddRs', statusCode: 0, severity: 'Info', message: 'Status OK', requestId: '1' });
    expect(text(rs.rets[0], 'ListID')).toMatch(/^[0-9A-F]+-\d{10}$/);
  });
});

describe('status 1 — no match', () => {
  it('is an Info status when a query filter matches nothing', () => {
    const qb = newSimulator();
    const rs = runOne(qb, '<CustomerQueryRq><NameFilter><MatchCriterion>StartsWith</MatchCriterion><Name>Zzz</Name></NameFilter></CustomerQueryRq>');
    expect(rs).toMatchObject({ statusCode: 1, severity: 'Info', message: 'A query request did not find a matching object in QuickBooks' });
    expect(rs.rets).toHaveLength(0);
  });
});

describe('status 500 — some requested objects not found', () => {
  it('is a warning that still returns the objects that exist', () => {
    const qb = newSimulator();
    const rs = runOne(qb, '<CustomerQueryRq><FullName>Acme Corporation</FullName><FullName>Nobody</FullName></CustomerQueryRq>');
    expect(rs).toMatchObject({
      statusCode: 500,
      severity: 'Warn',
      message: 'The query request has not been fully completed. There was a required element ("Nobody") that could not be found in QuickBooks.',
    });
    expect(rs.rets.map((r) => text(r, 'FullName'))).toEqual(['Acme Corporation']);
  });
});

describe('status 3070 — string too long', () => {
  it('answers the offending request (not a parse error) and keeps the rest of the message', () => {
    const qb = newSimulator();
    const tooLong = 'A'.repeat(42); // CustomerAdd/Name allows 41 characters
    const rs = run(qb, addCustomer('First', '', '1') + addCustomer(tooLong, '', '2') + addCustomer('Third', '', '3'), { onError: 'continueOnError' });
    expect(rs.map((r) => r.statusCode)).toEqual([0, 3070, 0]);
    expect(rs[1]).toMatchObject({ severity: 'Error', message: `The string "${tooLong}" in the field "Name" is too long.` });
    expect(qb.companyFile.findByFullName('customers', tooLong)).toBeUndefined();
    expect(qb.companyFile.findByFullName('customers', 'Third')).toBeDefined();
  });

  it('uses the per-field limit of the XSD (item names: 31)', () => {
    const qb = newSimulator();
    const item = (name: string) =>
      `<ItemServiceAddRq><ItemServiceAdd><Name>${name}</Name><SalesOrPurchase><AccountRef><FullName>Services</FullName></AccountRef></SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>`;
    expect(runOne(qb, item('B'.repeat(31))).statusCode).toBe(0);
    expect(runOne(qb, item('C'.repeat(32)))).toMatchObject({ statusCode: 3070, message: `The string "${'C'.repeat(32)}" in the field "Name" is too long.` });
  });
});

describe('status 3100 — name already in use', () => {
  it('refuses a customer named like a vendor, an employee or an other name (one name space)', () => {
    const qb = newSimulator();
    run(qb, [
      '<VendorAddRq><VendorAdd><Name>Shared Vendor</Name></VendorAdd></VendorAddRq>',
      '<EmployeeAddRq><EmployeeAdd><FirstName>Pat</FirstName><LastName>Smith</LastName></EmployeeAdd></EmployeeAddRq>',
      '<OtherNameAddRq><OtherNameAdd><Name>Shared Other</Name></OtherNameAdd></OtherNameAddRq>',
    ].join(''));
    for (const name of ['Shared Vendor', 'Pat Smith', 'Shared Other', 'acme corporation']) {
      const rs = runOne(qb, addCustomer(name));
      expect(rs, name).toMatchObject({ statusCode: 3100, severity: 'Error', message: `The name "${name}" of the list element is already in use.` });
    }
    const vendor = runOne(qb, '<VendorAddRq><VendorAdd><Name>Globex Inc</Name></VendorAdd></VendorAddRq>');
    expect(vendor.statusCode).toBe(3100);
  });

  it('lets jobs of different customers share a name, but not two jobs of one customer', () => {
    const qb = newSimulator();
    const job = (parent: string) => addCustomer('Install', `<ParentRef><FullName>${parent}</FullName></ParentRef>`);
    expect(runOne(qb, job('Acme Corporation')).statusCode).toBe(0);
    expect(runOne(qb, job('Globex Inc')).statusCode).toBe(0);
    expect(runOne(qb, job('Acme Corporation'))).toMatchObject({ statusCode: 3100, message: 'The name "Acme Corporation:Install" of the list element is already in use.' });
    // A top-level customer "Install" does not clash with the jobs' full names.
    expect(runOne(qb, addCustomer('Install')).statusCode).toBe(0);
  });

  it('refuses renaming onto a taken name', () => {
    const qb = newSimulator();
    const globex = qb.companyFile.findByFullName('customers', 'Globex Inc')!;
    const rs = runOne(qb, `<CustomerModRq><CustomerMod><ListID>${globex.listId}</ListID><EditSequence>${globex.editSequence}</EditSequence><Name>Acme Corporation</Name></CustomerMod></CustomerModRq>`);
    expect(rs.statusCode).toBe(3100);
  });
});

describe('status 3120 — object not found', () => {
  it('answers a Mod of a ListID that does not exist', () => {
    const qb = newSimulator();
    const rs = runOne(qb, '<CustomerModRq><CustomerMod><ListID>8000001B-1405768916</ListID><EditSequence>1405768916</EditSequence><Name>X</Name></CustomerMod></CustomerModRq>');
    expect(rs).toMatchObject({
      statusCode: 3120,
      severity: 'Error',
      message: 'Object "8000001B-1405768916" specified in the request cannot be found.  QuickBooks error message: Invalid argument.  The specified record does not exist in the list.',
    });
  });

  it('answers an InvoiceMod of an unknown TxnID and an ItemServiceMod of a ListID that is another item type', () => {
    const qb = newSimulator();
    expect(runOne(qb, '<InvoiceModRq><InvoiceMod><TxnID>ABC-1</TxnID><EditSequence>1</EditSequence></InvoiceMod></InvoiceModRq>').statusCode).toBe(3120);
    const hardware = qb.companyFile.findByFullName('items', 'Hardware')!; // a NonInventory item
    const rs = runOne(qb, `<ItemServiceModRq><ItemServiceMod><ListID>${hardware.listId}</ListID><EditSequence>${hardware.editSequence}</EditSequence></ItemServiceMod></ItemServiceModRq>`);
    expect(rs.statusCode).toBe(3120);
  });
});

describe('status 3140 — invalid reference', () => {
  it('names the missing customer like QuickBooks', () => {
    const qb = newSimulator();
    const rs = runOne(qb, '<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Joe Smith</FullName></CustomerRef></InvoiceAdd></InvoiceAddRq>');
    expect(rs).toMatchObject({
      statusCode: 3140,
      severity: 'Error',
      message:
        'There is an invalid reference to QuickBooks Customer "Joe Smith" in the Invoice.  QuickBooks error message: Invalid argument.  The specified record does not exist in the list.',
    });
    expect(qb.company.invoices).toHaveLength(0);
  });

  it('names a missing item on a line, and refuses a reference to the wrong kind of record', () => {
    const qb = newSimulator();
    const line = (item: string) =>
      `<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Acme Corporation</FullName></CustomerRef><InvoiceLineAdd><ItemRef><FullName>${item}</FullName></ItemRef><Amount>1.00</Amount></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>`;
    expect(runOne(qb, line('sooo wrong')).message).toBe(
      'There is an invalid reference to QuickBooks Item "sooo wrong" in the Invoice line.  QuickBooks error message: Invalid argument.  The specified record does not exist in the list.',
    );
    // A vendor is not a customer, a customer's ListID is not an item.
    run(qb, '<VendorAddRq><VendorAdd><Name>Supplier</Name></VendorAdd></VendorAddRq>');
    expect(runOne(qb, '<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Supplier</FullName></CustomerRef></InvoiceAdd></InvoiceAddRq>').statusCode).toBe(3140);
    const acme = qb.companyFile.findByFullName('customers', 'Acme Corporation')!;
    const byId = `<InvoiceAddRq><InvoiceAdd><CustomerRef><ListID>${acme.listId}</ListID></CustomerRef><InvoiceLineAdd><ItemRef><ListID>${acme.listId}</ListID></ItemRef></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>`;
    expect(runOne(qb, byId).message).toContain(`QuickBooks Item "${acme.listId}" in the Invoice line`);
  });

  it('refuses a ParentRef, TermsRef, ClassRef or AccountRef to nothing', () => {
    const qb = newSimulator();
    expect(runOne(qb, addCustomer('Job', '<ParentRef><FullName>No Such Customer</FullName></ParentRef>')).statusCode).toBe(3140);
    expect(runOne(qb, addCustomer('Termed', '<TermsRef><FullName>Net 99</FullName></TermsRef>')).statusCode).toBe(3140);
    expect(runOne(qb, addCustomer('Classy', '<ClassRef><FullName>Nope</FullName></ClassRef>')).statusCode).toBe(3140);
    const item = '<ItemServiceAddRq><ItemServiceAdd><Name>Svc</Name><SalesOrPurchase><Price>1.00</Price><AccountRef><FullName>Nope</FullName></AccountRef></SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>';
    expect(runOne(qb, item).message).toContain('QuickBooks Account "Nope" in the Item');
    // A sales rep, customer type or template the file does not have.
    expect(runOne(qb, addCustomer('Repped', '<SalesRepRef><FullName>JS</FullName></SalesRepRef>')).statusCode).toBe(3140);
    expect(runOne(qb, addCustomer('Typed', '<CustomerTypeRef><FullName>Nope</FullName></CustomerTypeRef>')).statusCode).toBe(3140);
    expect(qb.company.customers.map((c) => c.name)).not.toContain('Job');
  });
});

describe('status 3180 — error when saving', () => {
  it('answers a save into a list another user holds (simulated with the lockedLists test hook)', () => {
    const qb = newSimulator();
    // Real QuickBooks returns 3180 when another user of a multi-user file holds the list; a single-process
    // simulator cannot have that happen by itself, so the test marks the list as held.
    qb.companyFile.lockedLists.add('customers');
    const rs = runOne(qb, addCustomer('Blocked'));
    expect(rs).toMatchObject({
      statusCode: 3180,
      severity: 'Error',
      message: 'There was an error when saving a Customer list, element "Blocked".  QuickBooks error message: This list has been modified by another user.',
    });
    qb.companyFile.lockedLists.delete('customers');
    expect(runOne(qb, addCustomer('Blocked')).statusCode).toBe(0);
  });
});

describe('status 3200 — stale EditSequence', () => {
  it('refuses a Mod that carries the EditSequence from before another change', () => {
    const qb = newSimulator();
    const added = runOne(qb, addCustomer('Versioned'));
    const listId = text(added.rets[0], 'ListID')!;
    const first = text(added.rets[0], 'EditSequence')!;
    const mod = (editSequence: string, phone: string) =>
      `<CustomerModRq><CustomerMod><ListID>${listId}</ListID><EditSequence>${editSequence}</EditSequence><Phone>${phone}</Phone></CustomerMod></CustomerModRq>`;
    const modded = runOne(qb, mod(first, '555-0100'));
    expect(modded.statusCode).toBe(0);
    const second = text(modded.rets[0], 'EditSequence')!;
    expect(second).not.toBe(first);
    expect(runOne(qb, mod(first, '555-0199'))).toMatchObject({
      statusCode: 3200,
      severity: 'Error',
      message: `The provided edit sequence "${first}" is out-of-date.`,
    });
    expect(qb.companyFile.findById('customers', listId)!.fields['Phone']).toBe('555-0100');
  });
});

describe('status 3210 — invalid value', () => {
  it('refuses paying more than an invoice owes', () => {
    const qb = newSimulator();
    const invoice = runOne(
      qb,
      '<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Globex Inc</FullName></CustomerRef><InvoiceLineAdd><ItemRef><FullName>Remote Support</FullName></ItemRef><Quantity>1</Quantity></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>',
    );
    const txnId = text(invoice.rets[0], 'TxnID')!;
    const rs = runOne(
      qb,
      `<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>Globex Inc</FullName></CustomerRef><TotalAmount>129.43</TotalAmount><AppliedToTxnAdd><TxnID>${txnId}</TxnID><PaymentAmount>129.43</PaymentAmount></AppliedToTxnAdd></ReceivePaymentAdd></ReceivePaymentAddRq>`,
    );
    expect(rs).toMatchObject({
      statusCode: 3210,
      severity: 'Error',
      message: 'The "AppliedToTxnAdd payment amount" field has an invalid value "129.43".  QuickBooks error message: You cannot pay more than the amount due.',
    });
    expect(qb.company.receivePayments).toHaveLength(0);
    expect(qb.companyFile.findInvoice(txnId)!.appliedAmountCents).toBe(0);
  });

  it('refuses a negative payment', () => {
    const qb = newSimulator();
    const rs = runOne(qb, '<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>Globex Inc</FullName></CustomerRef><TotalAmount>-5.00</TotalAmount><IsAutoApply>true</IsAutoApply></ReceivePaymentAdd></ReceivePaymentAddRq>');
    expect(rs).toMatchObject({ statusCode: 3210, message: expect.stringContaining('"TotalAmount" field has an invalid value "-5.00"') });
  });
});

describe('status 3250 — feature not enabled', () => {
  const message = 'This feature is not enabled or not available in this version of QuickBooks.';

  it('refuses sales tax references and lists while sales tax is off in the preferences', () => {
    const qb = newSimulator({ preferences: { salesTaxEnabled: false } });
    expect(runOne(qb, addCustomer('Taxed', '<SalesTaxCodeRef><FullName>Tax</FullName></SalesTaxCodeRef>'))).toMatchObject({ statusCode: 3250, severity: 'Error', message });
    expect(runOne(qb, '<SalesTaxCodeAddRq><SalesTaxCodeAdd><Name>Tax</Name><IsTaxable>true</IsTaxable></SalesTaxCodeAdd></SalesTaxCodeAddRq>').statusCode).toBe(3250);
    expect(runOne(qb, '<ItemSalesTaxAddRq><ItemSalesTaxAdd><Name>County</Name><TaxRate>1.0</TaxRate></ItemSalesTaxAdd></ItemSalesTaxAddRq>').statusCode).toBe(3250);
  });

  it('accepts the same requests once sales tax is on', () => {
    const qb = newSimulator({ preferences: { salesTaxEnabled: true } });
    expect(runOne(qb, addCustomer('Taxed', '<SalesTaxCodeRef><FullName>Tax</FullName></SalesTaxCodeRef>')).statusCode).toBe(0);
  });

  it('refuses inventory items while inventory is off', () => {
    const qb = newSimulator({ preferences: { inventoryEnabled: false } });
    expect(runOne(qb, '<ItemInventoryAddRq><ItemInventoryAdd><Name>Widget</Name></ItemInventoryAdd></ItemInventoryAddRq>').statusCode).toBe(3250);
    const on = newSimulator({ preferences: { inventoryEnabled: true } });
    const rs = runOne(
      on,
      '<ItemInventoryAddRq><ItemInventoryAdd><Name>Widget</Name><IncomeAccountRef><FullName>Sales</FullName></IncomeAccountRef><COGSAccountRef><FullName>Cost of Goods Sold</FullName></COGSAccountRef><AssetAccountRef><FullName>Inventory Asset</FullName></AssetAccountRef></ItemInventoryAdd></ItemInventoryAddRq>',
    );
    expect(rs.statusCode).toBe(0);
    expect(text(rs.rets[0], 'COGSAccountRef', 'FullName')).toBe('Cost of Goods Sold');
  });
});

describe('onError and unsupported requests', () => {
  it('stopOnError: nothing after the first error is answered or executed', () => {
    const qb = newSimulator();
    const rs = run(qb, addCustomer('One', '', '1') + addCustomer('Acme Corporation', '', '2') + addCustomer('Three', '', '3'));
    expect(rs.map((r) => [r.requestId, r.statusCode])).toEqual([
      ['1', 0],
      ['2', 3100],
    ]);
    expect(qb.companyFile.findByFullName('customers', 'Three')).toBeUndefined();
    // Requests before the error stay done (no rollback).
    expect(qb.companyFile.findByFullName('customers', 'One')).toBeDefined();
  });

  it('stopOnError does not stop on Info or Warn statuses', () => {
    const qb = newSimulator();
    const rs = run(qb, '<CustomerQueryRq><FullName>Nobody</FullName></CustomerQueryRq>' + addCustomer('After Warn', '', '2'));
    expect(rs.map((r) => r.statusCode)).toEqual([500, 0]);
  });

  it('continueOnError: every request runs', () => {
    const qb = newSimulator();
    const rs = run(qb, addCustomer('Acme Corporation', '', '1') + addCustomer('Two', '', '2'), { onError: 'continueOnError' });
    expect(rs.map((r) => r.statusCode)).toEqual([3100, 0]);
  });

  it('answers a valid request the simulator does not implement with a clear error status', () => {
    const qb = newSimulator();
    const rs = runOne(qb, '<VendorTypeQueryRq requestID="9"/>');
    expect(rs).toMatchObject({ name: 'VendorTypeQueryRs', requestId: '9', statusCode: 1030, severity: 'Error', message: 'The request "VendorTypeQueryRq" is not supported by the simulator.' });
  });
});
