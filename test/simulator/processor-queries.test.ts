/**
 * Query filters an integration uses (ListID/FullName, NameFilter, ActiveStatus, modified dates,
 * MaxReturned, IncludeRetElement, metaData, responseData) and Add/Mod/Query for every implemented list
 * and item type, answered with XSD-valid responses under both schema sets.
 */
import { describe, expect, it } from 'vitest';
import { REQUEST_HANDLERS } from '../../src/simulator/processor/handlers/index.js';
import { rulesSchemaModel } from '../../src/qbxml/rules-model.js';
import { fixedClock, message, newSimulator, parseResponse, run, runOne, text } from './fixtures/qbxml.js';

const names = (rs: ReturnType<typeof runOne>) => rs.rets.map((r) => text(r, 'FullName') ?? text(r, 'Name'));

describe('list query filters', () => {
  it('NameFilter StartsWith / Contains / EndsWith on the full name, case-insensitive', () => {
    const qb = newSimulator();
    const filter = (criterion: string, value: string) =>
      runOne(qb, `<CustomerQueryRq><NameFilter><MatchCriterion>${criterion}</MatchCriterion><Name>${value}</Name></NameFilter></CustomerQueryRq>`);
    expect(names(filter('StartsWith', 'acme'))).toEqual(['Acme Corporation', 'Acme Corporation:Network Upgrade']);
    expect(names(filter('Contains', 'UPGRADE'))).toEqual(['Acme Corporation:Network Upgrade']);
    expect(names(filter('EndsWith', 'inc'))).toEqual(['Globex Inc']);
  });

  it('ActiveStatus defaults to ActiveOnly; ListID/FullName find inactive records too', () => {
    const qb = newSimulator();
    const globex = qb.companyFile.findByFullName('customers', 'Globex Inc')!;
    runOne(qb, `<CustomerModRq><CustomerMod><ListID>${globex.listId}</ListID><EditSequence>${globex.editSequence}</EditSequence><IsActive>false</IsActive></CustomerMod></CustomerModRq>`);
    expect(names(runOne(qb, '<CustomerQueryRq/>'))).not.toContain('Globex Inc');
    expect(names(runOne(qb, '<CustomerQueryRq><ActiveStatus>InactiveOnly</ActiveStatus></CustomerQueryRq>'))).toEqual(['Globex Inc']);
    expect(names(runOne(qb, '<CustomerQueryRq><ActiveStatus>All</ActiveStatus></CustomerQueryRq>'))).toHaveLength(3);
    expect(text(runOne(qb, `<CustomerQueryRq><ListID>${globex.listId}</ListID></CustomerQueryRq>`).rets[0], 'IsActive')).toBe('false');
  });

  it('FromModifiedDate / ToModifiedDate select by TimeModified', () => {
    const qb = newSimulator(); // the clock advances one second per reading from 2026-11-25T15:11:12Z
    const before = runOne(qb, '<CustomerAddRq><CustomerAdd><Name>Later</Name></CustomerAdd></CustomerAddRq>');
    const modified = text(before.rets[0], 'TimeModified')!;
    const since = runOne(qb, `<CustomerQueryRq><FromModifiedDate>${modified}</FromModifiedDate></CustomerQueryRq>`);
    expect(names(since)).toEqual(['Later']);
    const until = runOne(qb, `<CustomerQueryRq><ToModifiedDate>2026-11-24</ToModifiedDate></CustomerQueryRq>`);
    expect(until.statusCode).toBe(1);
  });

  it('MaxReturned caps, IncludeRetElement trims the Ret, metaData counts', () => {
    const qb = newSimulator();
    expect(runOne(qb, '<CustomerQueryRq><MaxReturned>1</MaxReturned></CustomerQueryRq>').rets).toHaveLength(1);
    const trimmed = runOne(qb, '<CustomerQueryRq><FullName>Globex Inc</FullName><IncludeRetElement>ListID</IncludeRetElement><IncludeRetElement>Name</IncludeRetElement></CustomerQueryRq>');
    expect(trimmed.rets[0]!.children.map((c) => c.name)).toEqual(['ListID', 'Name']);
    const counted = runOne(qb, '<CustomerQueryRq metaData="MetaDataAndResponseData"><ActiveStatus>All</ActiveStatus></CustomerQueryRq>');
    expect(counted.attributes['retCount']).toBe('3');
    expect(counted.rets).toHaveLength(3);
  });

  it('responseData="includeNone" answers statuses only', () => {
    const qb = newSimulator();
    const result = qb.process(message('<CustomerQueryRq/>').replace('onError="stopOnError"', 'onError="stopOnError" responseData="includeNone"'));
    expect(result.kind).toBe('response');
    const [rs] = parseResponse(result.kind === 'response' ? result.responseXml : '');
    expect(rs).toMatchObject({ statusCode: 0, rets: [] });
  });

  it('ItemQuery returns every item type with its own Ret; Item<Type>Query only that type', () => {
    const qb = newSimulator({ preferences: { salesTaxEnabled: true } });
    const all = runOne(qb, '<ItemQueryRq/>');
    expect(new Set(all.rets.map((r) => r.name))).toEqual(
      new Set(['ItemServiceRet', 'ItemNonInventoryRet', 'ItemOtherChargeRet', 'ItemSalesTaxRet', 'ItemSubtotalRet', 'ItemDiscountRet']),
    );
    const services = runOne(qb, '<ItemServiceQueryRq/>');
    expect(names(services)).toEqual(['Consulting', 'Remote Support']);
    expect(runOne(qb, '<ItemQueryRq><FullName>Remote Support</FullName></ItemQueryRq>').rets[0]!.name).toBe('ItemServiceRet');
  });

  it('TermsQuery returns standard and date-driven terms; AccountQuery filters by AccountType', () => {
    const qb = newSimulator();
    const terms = runOne(qb, '<TermsQueryRq/>');
    expect(terms.rets.map((r) => [r.name, text(r, 'Name')])).toContainEqual(['DateDrivenTermsRet', 'Due 10th of next month']);
    expect(terms.rets.map((r) => r.name)).toContain('StandardTermsRet');
    const income = runOne(qb, '<AccountQueryRq><AccountType>Income</AccountType></AccountQueryRq>');
    expect(names(income)).toEqual(['Autotask Other', 'Reimbursed Expenses', 'Sales', 'Services']);
  });
});

describe('every list kind: Add, Mod and Query', () => {
  const adds: Array<[string, string]> = [
    ['Customer', '<CustomerAdd><Name>New Customer</Name><CompanyName>New Co</CompanyName><Phone>555-0101</Phone><Email>ap@new.example</Email></CustomerAdd>'],
    ['Vendor', '<VendorAdd><Name>New Vendor</Name><VendorAddress><Addr1>1 Supply Rd</Addr1></VendorAddress><TermsRef><FullName>Net 15</FullName></TermsRef></VendorAdd>'],
    ['Employee', '<EmployeeAdd><FirstName>Ada</FirstName><LastName>Lovelace</LastName></EmployeeAdd>'],
    ['OtherName', '<OtherNameAdd><Name>Landlord</Name></OtherNameAdd>'],
    ['Account', '<AccountAdd><Name>Consulting Income</Name><ParentRef><FullName>Services</FullName></ParentRef><AccountType>Income</AccountType><AccountNumber>4010</AccountNumber></AccountAdd>'],
    ['Class', '<ClassAdd><Name>East</Name></ClassAdd>'],
    ['StandardTerms', '<StandardTermsAdd><Name>Net 45</Name><StdDueDays>45</StdDueDays><StdDiscountDays>10</StdDiscountDays><DiscountPct>2.0</DiscountPct></StandardTermsAdd>'],
    ['DateDrivenTerms', '<DateDrivenTermsAdd><Name>EOM</Name><DayOfMonthDue>31</DayOfMonthDue></DateDrivenTermsAdd>'],
    ['SalesTaxCode', '<SalesTaxCodeAdd><Name>Ex</Name><IsTaxable>false</IsTaxable><Desc>Exempt</Desc></SalesTaxCodeAdd>'],
    ['ItemService', '<ItemServiceAdd><Name>Onsite</Name><SalesTaxCodeRef><FullName>Non</FullName></SalesTaxCodeRef><SalesOrPurchase><Desc>Onsite hour</Desc><Price>120.00</Price><AccountRef><FullName>Services</FullName></AccountRef></SalesOrPurchase></ItemServiceAdd>'],
    ['ItemNonInventory', '<ItemNonInventoryAdd><Name>Cable</Name><SalesAndPurchase><SalesDesc>Cat6</SalesDesc><SalesPrice>12.50</SalesPrice><IncomeAccountRef><FullName>Sales</FullName></IncomeAccountRef><PurchaseCost>4.10</PurchaseCost><ExpenseAccountRef><FullName>Cost of Goods Sold</FullName></ExpenseAccountRef></SalesAndPurchase></ItemNonInventoryAdd>'],
    ['ItemOtherCharge', '<ItemOtherChargeAdd><Name>Mileage</Name><SalesOrPurchase><Price>0.67</Price><AccountRef><FullName>Reimbursed Expenses</FullName></AccountRef></SalesOrPurchase></ItemOtherChargeAdd>'],
    ['ItemInventory', '<ItemInventoryAdd><Name>Router</Name><SalesPrice>199.00</SalesPrice><IncomeAccountRef><FullName>Sales</FullName></IncomeAccountRef><COGSAccountRef><FullName>Cost of Goods Sold</FullName></COGSAccountRef><AssetAccountRef><FullName>Inventory Asset</FullName></AssetAccountRef></ItemInventoryAdd>'],
    ['ItemSalesTax', '<ItemSalesTaxAdd><Name>City Tax</Name><TaxRate>1.5</TaxRate></ItemSalesTaxAdd>'],
    ['ItemDiscount', '<ItemDiscountAdd><Name>Loyalty</Name><DiscountRate>25.00</DiscountRate><AccountRef><FullName>Sales</FullName></AccountRef></ItemDiscountAdd>'],
    ['ItemSubtotal', '<ItemSubtotalAdd><Name>Sub</Name><ItemDesc>Subtotal</ItemDesc></ItemSubtotalAdd>'],
    ['ItemGroup', '<ItemGroupAdd><Name>Onboarding</Name><ItemDesc>Onboarding bundle</ItemDesc><IsPrintItemsInGroup>true</IsPrintItemsInGroup><ItemGroupLine><ItemRef><FullName>Consulting</FullName></ItemRef><Quantity>2</Quantity></ItemGroupLine><ItemGroupLine><ItemRef><FullName>Remote Support</FullName></ItemRef><Quantity>1</Quantity></ItemGroupLine></ItemGroupAdd>'],
    ['PaymentMethod', '<PaymentMethodAdd><Name>Wire</Name><PaymentMethodType>Other</PaymentMethodType></PaymentMethodAdd>'],
    ['SalesRep', '<SalesRepAdd><Initial>AL</Initial><SalesRepEntityRef><FullName>Ada Lovelace</FullName></SalesRepEntityRef></SalesRepAdd>'],
    ['CustomerType', '<CustomerTypeAdd><Name>Healthcare</Name><ParentRef><FullName>Commercial</FullName></ParentRef></CustomerTypeAdd>'],
  ];

  for (const version of ['13.0', '16.0']) {
    it(`adds, queries and modifies each kind with XSD-valid answers (qbXML ${version})`, () => {
      const clock = fixedClock();
      const qb = newSimulator({ preferences: { salesTaxEnabled: true, inventoryEnabled: true }, clock, maxQbxmlVersion: { major: 16, minor: 0 } });
      for (const [object, body] of adds) {
        const added = runOne(qb, `<${object}AddRq>${body}</${object}AddRq>`, { version });
        expect(added, object).toMatchObject({ name: `${object}AddRs`, statusCode: 0 });
        const ret = added.rets[0]!;
        expect(ret.name).toBe(`${object}Ret`);
        const listId = text(ret, 'ListID')!;
        const query = object.startsWith('Item') ? 'ItemQueryRq' : object.endsWith('Terms') ? 'TermsQueryRq' : `${object}QueryRq`;
        const found = runOne(qb, `<${query}><ListID>${listId}</ListID></${query}>`, { version });
        expect(found.rets.map((r) => [r.name, text(r, 'ListID')]), object).toEqual([[`${object}Ret`, listId]]);
        if (REQUEST_HANDLERS[`${object}ModRq`] && rulesSchemaModel(version === '13.0' ? '130' : '160').resolve(['QBXML', 'QBXMLMsgsRq', `${object}ModRq`])) {
          const renamed = runOne(qb, `<${object}ModRq><${object}Mod><ListID>${listId}</ListID><EditSequence>${text(ret, 'EditSequence')}</EditSequence><IsActive>false</IsActive></${object}Mod></${object}ModRq>`, { version });
          expect(renamed.statusCode, `${object}Mod`).toBe(0);
          expect(text(renamed.rets[0], 'IsActive')).toBe('false');
        }
      }
      // Sub-account full name and verbatim nested data come back.
      const account = runOne(qb, '<AccountQueryRq><FullName>Services:Consulting Income</FullName></AccountQueryRq>', { version });
      expect([text(account.rets[0], 'Sublevel'), text(account.rets[0], 'AccountNumber')]).toEqual(['1', '4010']);
      const group = runOne(qb, '<ItemGroupQueryRq><FullName>Onboarding</FullName></ItemGroupQueryRq>', { version });
      expect(group.rets[0]!.children.filter((c) => c.name === 'ItemGroupLine').map((l) => text(l, 'ItemRef', 'FullName'))).toEqual(['Consulting', 'Remote Support']);
      // A group on an invoice expands into its items' lines.
      const invoice = runOne(qb, '<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Globex Inc</FullName></CustomerRef><InvoiceLineGroupAdd><ItemGroupRef><FullName>Onboarding</FullName></ItemGroupRef></InvoiceLineGroupAdd></InvoiceAdd></InvoiceAddRq>', { version });
      expect(text(invoice.rets[0], 'Subtotal')).toBe('395.00');
    });
  }

  it('sales reps go by their initials, customer types by full name, templates (query only) with their type', () => {
    const qb = newSimulator();
    const reps = runOne(qb, '<SalesRepQueryRq/>');
    expect(reps.rets.map((r) => [text(r, 'Initial'), text(r, 'Name')])).toEqual([['JD', undefined], ['MS', undefined]]);
    const types = runOne(qb, '<CustomerTypeQueryRq><FullName>Commercial:Managed Services</FullName></CustomerTypeQueryRq>');
    expect([text(types.rets[0], 'Name'), text(types.rets[0], 'Sublevel')]).toEqual(['Managed Services', '1']);
    const templates = runOne(qb, '<TemplateQueryRq/>');
    expect(Object.fromEntries(templates.rets.map((r) => [text(r, 'Name'), text(r, 'TemplateType')]))).toMatchObject({ 'Intuit Service Invoice': 'Invoice', 'Custom Credit Memo': 'CreditMemo' });
    expect(REQUEST_HANDLERS['TemplateAddRq']).toBeUndefined(); // qbXML has no TemplateAdd
    const invoice = runOne(
      qb,
      '<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Globex Inc</FullName></CustomerRef><TemplateRef><FullName>Intuit Product Invoice</FullName></TemplateRef><SalesRepRef><FullName>MS</FullName></SalesRepRef><InvoiceLineAdd><ItemRef><FullName>Consulting</FullName></ItemRef></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>',
    );
    expect([text(invoice.rets[0], 'TemplateRef', 'FullName'), text(invoice.rets[0], 'SalesRepRef', 'FullName')]).toEqual(['Intuit Product Invoice', 'MS']);
  });

  it('keeps ItemServiceMod partial: only the fields sent change', () => {
    const qb = newSimulator();
    const item = qb.companyFile.findByFullName('items', 'Consulting')!;
    const rs = runOne(
      qb,
      `<ItemServiceModRq><ItemServiceMod><ListID>${item.listId}</ListID><EditSequence>${item.editSequence}</EditSequence><Name>Consulting Senior</Name><SalesOrPurchaseMod><Price>175.00</Price></SalesOrPurchaseMod></ItemServiceMod></ItemServiceModRq>`,
    );
    expect(rs.statusCode).toBe(0);
    const ret = rs.rets[0];
    expect([text(ret, 'Name'), text(ret, 'SalesOrPurchase', 'Price'), text(ret, 'SalesOrPurchase', 'Desc'), text(ret, 'SalesOrPurchase', 'AccountRef', 'FullName')]).toEqual([
      'Consulting Senior',
      '175.00',
      'Consulting services',
      'Services',
    ]);
  });
});

it('runs many requests in one message quickly', () => {
  const qb = newSimulator();
  const body = Array.from({ length: 200 }, (_, i) => `<CustomerAddRq requestID="${i}"><CustomerAdd><Name>Bulk ${i}</Name></CustomerAdd></CustomerAddRq>`).join('');
  const started = performance.now();
  const rs = run(qb, body);
  expect(rs).toHaveLength(200);
  expect(rs.every((r, i) => r.statusCode === 0 && r.requestId === String(i))).toBe(true);
  expect(performance.now() - started).toBeLessThan(2000);
});
