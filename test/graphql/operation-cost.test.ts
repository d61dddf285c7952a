/**
 * The cost estimate without coercing bulk input (src/graphql/operation-cost.ts) gives graphql-query-complexity's
 * own figure for every operation it can cost, and fails where it fails — but for bad list or input-object
 * values, which only execution reports (and then runs nothing).
 */
import { beforeAll, expect, test } from 'vitest';
import { parse, type GraphQLSchema } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { buildAppSchema } from '../../src/graphql/schema.js';
import { operationCost } from '../../src/graphql/operation-cost.js';
import { sampleInvoice } from '../../src/cli/demo-data.js';
import { cycleQuery } from '../helpers/attack-queries.js';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildAppSchema();
});

// The page size multiplies, as the service's estimator does: the variables must be read right for the figures to agree.
const estimators: ComplexityEstimator[] = [({ args, childComplexity }) => 1 + (typeof args.first === 'number' ? args.first : 1) * childComplexity];

function both(query: string, variables: Record<string, unknown>, operationName?: string) {
  const options = { schema, query: parse(query), operationName, variables, estimators, maxQueryNodes: 10_000 };
  const run = (cost: () => number) => {
    try {
      return { cost: cost() };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  return { ours: run(() => operationCost(options)), library: run(() => getComplexity(options)) };
}

const UPSERT = 'mutation Push($input: UpsertInvoicesInput!, $n: Int) { upsertInvoices(input: $input) { created invoices { id lines { id } } } connectors(first: $n) { nodes { id } } }';
const invoices = Array.from({ length: 20 }, (_, i) => sampleInvoice(500 + i, 7, i));

test.each([
  ['a page size in a variable', 'query($n: Int) { connectors(first: $n) { nodes { id registrations { id connector { id } } } } }', { n: 50 }, 'cost'],
  ['the default page size', 'query($n: Int) { connectors(first: $n) { nodes { id } } }', {}, 'cost'],
  ['fragments and @include / @skip on variables', 'query($n: Int, $x: Boolean!, $y: Boolean!) { connectors(first: $n) { nodes { ...C } } } fragment C on Connector { id registrations @include(if: $x) { id } name @skip(if: $y) }', { n: 7, x: true, y: false }, 'cost'],
  ['a bulk input beside a page size', UPSERT, { input: { invoices }, n: 30 }, 'cost'],
  ['a list of ids', 'mutation($input: QueueTransfersInput!) { queueTransfers(input: $input) { id } }', { input: { entityType: 'INVOICE', entityIds: ['a', 'b'] } }, 'cost'],
  ['the cycle attack', cycleQuery(8), {}, 'cost'],
  ['a page size of the wrong type', 'query($n: Int) { connectors(first: $n) { nodes { id } } }', { n: 'many' }, 'error'],
  ['a missing input', UPSERT, { n: 3 }, 'error'],
  ['a null input', UPSERT, { input: null }, 'error'],
] as const)('%s: the same cost, or the same error', (_, query, variables, outcome) => {
  const { ours, library } = both(query, variables as Record<string, unknown>);
  expect(ours).toEqual(library);
  expect(Object.keys(ours)).toEqual([outcome]);
});

test('a named operation among several is costed alone', () => {
  const query = `${UPSERT} query Other { connectors(first: 100) { nodes { id registrations { id } } } }`;
  for (const name of ['Push', 'Other']) {
    const { ours, library } = both(query, { input: { invoices }, n: 2 }, name);
    expect(ours).toEqual(library);
    expect(ours.cost).toBeGreaterThan(0);
  }
});

test('bad bulk input is costed as if it were good (execution refuses it before anything runs)', () => {
  const good = both(UPSERT, { input: { invoices }, n: 30 });
  const bad = both(UPSERT, { input: { invoices: [{ autotaskId: 'nope' }] }, n: 30 });
  expect(bad.library.error).toMatch(/Variable "\$input"/);
  expect(bad.ours).toEqual(good.ours);
});

test('the node budget still stops a huge document', () => {
  const fields = Array.from({ length: 12_000 }, (_, i) => `a${i}: id`).join(' ');
  const { ours, library } = both(`{ connectors(first: 1) { nodes { ${fields} } } }`, {});
  expect(ours.error).toMatch(/maximum allowed number of nodes/);
  expect(ours).toEqual(library);
});
