/** The list specifications against Intuit's schema, QuickBooks timestamps, reading `*Ret`s, and name similarity. */
import { describe, expect, test } from 'vitest';
import { rulesSchemaModel } from '../../src/qbxml/rules-model.js';
import { ALL_LISTS, LIST_SPECS, listQuery, QuickBooksList, readRows } from '../../src/modules/quickbooks-lists/quickbooks-list.js';
import { buildRequestMessage } from '../../src/qbxml/index.js';
import { fromModifiedDate, laterQbDateTime, parseQbDateTime } from '../../src/modules/quickbooks-lists/qb-time.js';
import { jaroWinkler, NameMatcher, prepareName, similarity, words } from '../../src/modules/mapping-help/similarity.js';
import { validator } from '../helpers/spec.js';

describe.each(['130', '160'] as const)('qbXML schema set %s', (set) => {
  const model = rulesSchemaModel(set);

  test.each(ALL_LISTS)('%s: the query exists, takes iterators exactly when the spec says, and every IncludeRetElement names a Ret field', (list) => {
    const spec = LIST_SPECS[list];
    const request = model.resolve(['QBXML', 'QBXMLMsgsRq', spec.request]);
    expect(request, spec.request).toBeDefined();
    expect(request!.attributes.includes('iterator')).toBe(spec.iterator);
    // TemplateQuery takes no filter at all (spec.filters false): it is pulled whole each time.
    const filters = spec.filters === false ? ['IncludeRetElement'] : ['MaxReturned', 'ActiveStatus', 'FromModifiedDate', 'IncludeRetElement'];
    for (const filter of filters) expect(request!.child(filter), filter).toBeDefined();
    if (spec.filters === false) for (const filter of ['ActiveStatus', 'FromModifiedDate']) expect(request!.child(filter), filter).toBeUndefined();
    const response = model.resolve(['QBXML', 'QBXMLMsgsRs', spec.request.replace(/Rq$/, 'Rs')])!;
    const retFields = new Set(response.children.flatMap((ret) => ret.element.children.map((c) => c.name)));
    for (const name of spec.include) expect(retFields.has(name), `${name} in a ${response.name} Ret`).toBe(true);
    // Every Ret carries what a row needs (a sales rep's name is its Initial: spec.nameOf).
    const core = ['ListID', spec.nameOf ? undefined : 'Name', 'IsActive', 'TimeModified', 'EditSequence'].filter((c) => c !== undefined);
    for (const ret of response.children) for (const field of core) expect(ret.element.child(field), `${ret.name}/${field}`).toBeDefined();
  });
});

test.each(['13.0', '16.0'])('every query the sync sends is valid qbXML %s (start, continue, incremental)', (version) => {
  const requests = ALL_LISTS.flatMap((list) => {
    const spec = LIST_SPECS[list];
    const base = { version, pageSize: 500 };
    return [
      listQuery(spec, { ...base, requestId: `${list}:start` }),
      listQuery(spec, { ...base, requestId: `${list}:incremental`, fromModifiedDate: '2026-11-25T10:01:12-05:00' }),
      ...(spec.iterator ? [listQuery(spec, { ...base, requestId: `${list}:continue`, iteratorId: '{0C1A5B1E-1111-4222-8333-944455556666}' })] : []),
    ];
  });
  const result = validator.validate(buildRequestMessage(requests, { version, onError: 'continueOnError' }));
  expect(result.problems).toEqual([]);
  const customer = requests.find((r) => r.requestId === 'CUSTOMER:incremental')!;
  expect(customer.attributes).toEqual({ iterator: 'Start' });
  expect(customer.innerXml).toMatch(/^<MaxReturned>500<\/MaxReturned><ActiveStatus>All<\/ActiveStatus><FromModifiedDate>2026-11-25T10:01:12-05:00<\/FromModifiedDate><IncludeRetElement>ListID<\/IncludeRetElement>/);
  expect(requests.find((r) => r.requestId === 'ACCOUNT:start')!.innerXml).toMatch(/^<ActiveStatus>All<\/ActiveStatus><IncludeRetElement>/);
});

describe('QuickBooks timestamps', () => {
  test('parse with their own offset', () => {
    expect(parseQbDateTime('2026-11-25T10:11:12-05:00')?.toISOString()).toBe('2026-11-25T15:11:12.000Z');
    expect(parseQbDateTime('2026-11-25T10:11:12+0530')?.toISOString()).toBe('2026-11-25T04:41:12.000Z');
    expect(parseQbDateTime('nonsense')).toBeUndefined();
  });

  test('the later of two compares instants, not text', () => {
    expect(laterQbDateTime('2026-11-25T10:00:00-05:00', '2026-11-25T15:30:00+00:00')).toBe('2026-11-25T15:30:00+00:00');
    expect(laterQbDateTime(null, '2026-11-25T10:00:00-05:00')).toBe('2026-11-25T10:00:00-05:00');
    expect(laterQbDateTime('2026-11-25T10:00:00-05:00', undefined)).toBe('2026-11-25T10:00:00-05:00');
  });

  test('FromModifiedDate: the wall clock minus the overlap, in the offset QuickBooks wrote (across midnight too)', () => {
    expect(fromModifiedDate('2026-11-25T10:11:12-05:00', 10)).toBe('2026-11-25T10:01:12-05:00');
    expect(fromModifiedDate('2026-03-01T00:05:00-0500', 10)).toBe('2026-02-28T23:55:00-05:00');
    expect(fromModifiedDate('2026-11-25T10:11:12', 0)).toBe('2026-11-25T10:11:12');
  });
});

describe('reading Rets', () => {
  test('ItemQuery answers with several Ret kinds, single or repeated; flat lists fall back to Name', () => {
    const rows = readRows(LIST_SPECS[QuickBooksList.ITEM], {
      ItemServiceRet: [
        { ListID: '1-1', Name: 'Labor', FullName: 'Labor', IsActive: 'true', Sublevel: '0', TimeModified: '2026-01-01T00:00:00-05:00', EditSequence: '7' },
        {
          ListID: '2-1', Name: 'Remote', FullName: 'Labor:Remote', IsActive: 'false', Sublevel: '1', ParentRef: { ListID: '1-1', FullName: 'Labor' },
          SalesOrPurchase: { Desc: 'Remote hour', Price: '95.00', AccountRef: { ListID: '9-1', FullName: 'Services' } },
        },
      ],
      ItemSalesTaxRet: { ListID: '3-1', Name: 'State Tax', IsActive: 'true', TaxRate: '6.25', ItemDesc: 'State' },
    });
    expect(rows).toEqual([
      expect.objectContaining({ listId: '1-1', fullName: 'Labor', type: 'Service', isActive: true, editSequence: '7', sublevel: 0, details: {} }),
      expect.objectContaining({
        listId: '2-1', fullName: 'Labor:Remote', isActive: false, parentListId: '1-1', parentFullName: 'Labor', sublevel: 1,
        details: { description: 'Remote hour', price: '95.00', incomeAccount: { listId: '9-1', fullName: 'Services' } },
      }),
      expect.objectContaining({ listId: '3-1', fullName: 'State Tax', type: 'SalesTax', details: { description: 'State', taxRate: '6.25' } }),
    ]);
  });
});

describe('name similarity', () => {
  test('words: lower case, accents folded, punctuation and filler dropped', () => {
    expect(words('The Café & Co. — Labor/Remote')).toEqual(['cafe', 'co', 'labor', 'remote']);
  });

  test('Jaro-Winkler matches the textbook values', () => {
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('DWAYNE', 'DUANE')).toBeCloseTo(0.84, 2);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
  });

  test('same words score 1; close names rank above merely related ones', () => {
    expect(similarity('Remote Support', 'remote  support')).toBe(1);
    expect(similarity('Support, Remote', 'Remote Support')).toBeGreaterThan(0.7);
    expect(similarity('Net 30', 'Net 30 Days')).toBeGreaterThan(similarity('Net 30', 'Net 15'));
    expect(similarity('Maintenence', 'Maintenance')).toBeGreaterThan(0.85);
    expect(similarity('Managed Services', 'Managed Service')).toBeGreaterThan(0.9);
    expect(similarity('Managed Services', 'Hardware')).toBeLessThan(0.3);
    expect(similarity('', 'Hardware')).toBe(0);
  });

  test('matching one name against many gives the same scores, and 0 below the minimum', () => {
    const pairs = [['Remote Support', 'Labor:Remote Support'], ['Net 30', 'Net 30 Days'], ['Maintenence plan', 'Maintenance'], ['Backup Monitoring Service', 'Backup Monitoring'], ['Taxable', 'Taxable Sales']];
    for (const [a, b] of pairs) expect(new NameMatcher(a!).score(prepareName(b!)), `${a} / ${b}`).toBe(similarity(a!, b!));
    expect(new NameMatcher('Managed Services').score(prepareName('Hardware'), 0.45)).toBe(0);
  });
});
