/**
 * Company files on disk: one JSON document per company (pretty-printed so a diff of a test fixture is
 * readable). Loading checks the format marker and the top-level shape, so a wrong file fails with a
 * message instead of odd behaviour later.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { COMPANY_FILE_FORMAT, type CompanyFileData } from './types.js';

const listOf = z.array(z.looseObject({ listId: z.string(), name: z.string() }));
const txnsOf = z.array(z.looseObject({ txnId: z.string() }));

const companyFileShape = z.looseObject({
  format: z.literal(COMPANY_FILE_FORMAT),
  companyName: z.string(),
  utcOffsetMinutes: z.number().int(),
  preferences: z.looseObject({ salesTaxEnabled: z.boolean() }),
  nextRecordNumber: z.number().int().positive(),
  nextTxnNumber: z.number().int().positive(),
  customers: listOf,
  vendors: listOf,
  employees: listOf,
  otherNames: listOf,
  items: listOf,
  accounts: listOf,
  classes: listOf,
  terms: listOf,
  salesTaxCodes: listOf,
  paymentMethods: listOf,
  // Optional: files written before sales reps, customer types and templates were modelled have none.
  salesReps: listOf.optional(),
  customerTypes: listOf.optional(),
  templates: listOf.optional(),
  invoices: txnsOf,
  // Optional: files written before credit memos were modelled have no such key.
  creditMemos: txnsOf.optional(),
  receivePayments: txnsOf,
  // Optional: files written before payroll items and time tracking were modelled.
  payrollWageItems: listOf.optional(),
  timeTracking: txnsOf.optional(),
  purchaseOrders: txnsOf.optional(),
  inventoryAdjustments: txnsOf.optional(),
  companyDataExts: z.array(z.object({ ownerId: z.string(), name: z.string(), value: z.string() })),
  dataExtDefs: z
    .array(z.object({ ownerId: z.string(), name: z.string(), id: z.number().int(), type: z.string(), assignToObjects: z.array(z.string()) }))
    .optional(),
});

/** Thrown when a file is not a simulated company file. */
export class CompanyFileFormatError extends Error {
  constructor(file: string, detail: string) {
    super(`${file} is not a simulated company file: ${detail}`);
    this.name = 'CompanyFileFormatError';
  }
}

/** Checks that parsed JSON is a company file (top-level shape only) and returns it typed. */
export function parseCompanyFileData(json: unknown, source = 'company data'): CompanyFileData {
  const parsed = companyFileShape.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CompanyFileFormatError(source, `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const data = json as CompanyFileData;
  // An older file: give it the lists added since, so the simulator never meets a missing list.
  data.creditMemos ??= [];
  data.salesReps ??= [];
  data.customerTypes ??= [];
  data.templates ??= [];
  data.payrollWageItems ??= [];
  data.timeTracking ??= [];
  return data;
}

/** Reads a company JSON file. */
export async function loadCompanyFile(file: string): Promise<CompanyFileData> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) throw new CompanyFileFormatError(file, error.message);
    throw error;
  }
  return parseCompanyFileData(json, file);
}

/** Writes a company JSON file (pretty-printed, trailing newline). */
export async function saveCompanyFile(company: CompanyFileData, file: string): Promise<void> {
  await writeFile(file, `${JSON.stringify(company, null, 2)}\n`, 'utf8');
}
