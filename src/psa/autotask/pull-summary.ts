/** What one pull from Autotask did: returned by pullFromAutotask and kept as the connection's last pull. */
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum AutotaskPullOutcome {
  /** Everything selected was pulled (and queued). */
  SUCCEEDED = 'SUCCEEDED',
  /** The pull ran, but some records could not be pulled (see errors). */
  PARTIAL = 'PARTIAL',
  /** The pull stopped (Autotask unreachable, credentials refused...). */
  FAILED = 'FAILED',
  /** It did not run: another pull was running, or it was not due. */
  SKIPPED = 'SKIPPED',
}
registerEnumType(AutotaskPullOutcome, { name: 'AutotaskPullOutcome' });

export type PullTrigger = 'manual' | 'schedule';

@ObjectType({ description: 'Records of one kind a pull created, updated or found unchanged.' })
export class AutotaskUpsertCounts {
  @Field(() => Int) created = 0;
  @Field(() => Int) updated = 0;
  @Field(() => Int) unchanged = 0;

  add(counts: { created: number; updated: number; unchanged: number }): void {
    this.created += counts.created;
    this.updated += counts.updated;
    this.unchanged += counts.unchanged;
  }
}

@ObjectType({ description: 'One record (or step) a pull could not complete.' })
export class AutotaskPullProblem {
  @Field(() => String, { description: 'Autotask entity (Invoices, Companies, BillingItems...) or "Pull" for the whole run.' })
  entity!: string;

  @Field(() => Int, { nullable: true, description: 'Autotask id of the record, when one is concerned.' })
  autotaskId!: number | null;

  @Field(() => String)
  message!: string;
}

@ObjectType({ description: 'What one pull from Autotask did.' })
export class AutotaskPullSummary {
  @Field(() => Boolean, { description: 'False when it did not run (another pull was running, or it was not due).' })
  ran: boolean = false;

  @Field(() => String, { description: '"manual" (pullFromAutotask) or "schedule".' })
  trigger: PullTrigger = 'manual';

  @Field(() => AutotaskPullOutcome)
  outcome: AutotaskPullOutcome = AutotaskPullOutcome.SKIPPED;

  @Field(() => String, { nullable: true, description: 'Why it did not run or stopped, in plain words.' })
  message: string | null = null;

  @Field(() => Date)
  startedAt: Date = new Date();

  @Field(() => Date, { nullable: true })
  finishedAt: Date | null = null;

  @Field(() => AutotaskUpsertCounts) organizations = new AutotaskUpsertCounts();
  @Field(() => AutotaskUpsertCounts) resources = new AutotaskUpsertCounts();
  @Field(() => AutotaskUpsertCounts) invoices = new AutotaskUpsertCounts();
  // Purchasing and inventory (pullPurchasing).
  @Field(() => AutotaskUpsertCounts) vendors = new AutotaskUpsertCounts();
  @Field(() => AutotaskUpsertCounts, { description: 'Products, with their on-hand totals over active inventory locations.' }) products = new AutotaskUpsertCounts();
  @Field(() => AutotaskUpsertCounts) purchaseOrders = new AutotaskUpsertCounts();
  // Time and expenses (pullTimeAndExpenses).
  @Field(() => AutotaskUpsertCounts, { description: 'Time entries changed since the previous pull (the first pull: worked in the look-back window).' })
  timeEntries = new AutotaskUpsertCounts();
  @Field(() => AutotaskUpsertCounts, { description: 'Expense reports (with their items) whose week ended in the look-back window.' })
  expenseReports = new AutotaskUpsertCounts();

  @Field(() => Int, { description: 'Invoices Autotask returned for the selection.' })
  invoicesFound = 0;

  @Field(() => Int, { description: 'Invoices newly put in the transfer ledger.' })
  invoicesQueued = 0;

  @Field(() => Int, { description: 'Invoices already in the ledger for their connector (in any state); not queued again.' })
  invoicesAlreadyInLedger = 0;

  @Field(() => Int, { description: 'Stored invoices found voided in Autotask since the previous pull; their transfers are voided in QuickBooks.' })
  invoicesVoided = 0;

  @Field(() => [AutotaskPullProblem])
  errors: AutotaskPullProblem[] = [];

  problem(entity: string, autotaskId: number | null, message: string): void {
    this.errors.push(Object.assign(new AutotaskPullProblem(), { entity, autotaskId, message }));
  }

  /** The JSON kept on the connection row. */
  toJSON(): Record<string, unknown> {
    return {
      ran: this.ran,
      trigger: this.trigger,
      outcome: this.outcome,
      message: this.message,
      startedAt: this.startedAt.toISOString(),
      finishedAt: this.finishedAt?.toISOString() ?? null,
      organizations: { ...this.organizations },
      resources: { ...this.resources },
      invoices: { ...this.invoices },
      vendors: { ...this.vendors },
      products: { ...this.products },
      purchaseOrders: { ...this.purchaseOrders },
      timeEntries: { ...this.timeEntries },
      expenseReports: { ...this.expenseReports },
      invoicesFound: this.invoicesFound,
      invoicesQueued: this.invoicesQueued,
      invoicesAlreadyInLedger: this.invoicesAlreadyInLedger,
      invoicesVoided: this.invoicesVoided,
      // Bounded: a pull with thousands of problems keeps the first 200 on the row.
      errors: this.errors.slice(0, 200).map((e) => ({ ...e })),
    };
  }

  static fromJSON(json: Record<string, unknown>): AutotaskPullSummary {
    const s = new AutotaskPullSummary();
    const counts = (v: unknown) => Object.assign(new AutotaskUpsertCounts(), v ?? {});
    Object.assign(s, json, {
      startedAt: new Date(String(json.startedAt)),
      finishedAt: json.finishedAt ? new Date(String(json.finishedAt)) : null,
      organizations: counts(json.organizations),
      resources: counts(json.resources),
      invoices: counts(json.invoices),
      vendors: counts(json.vendors),
      products: counts(json.products),
      purchaseOrders: counts(json.purchaseOrders),
      timeEntries: counts(json.timeEntries),
      expenseReports: counts(json.expenseReports),
      errors: ((json.errors as unknown[]) ?? []).map((e) => Object.assign(new AutotaskPullProblem(), e)),
    });
    return s;
  }
}
