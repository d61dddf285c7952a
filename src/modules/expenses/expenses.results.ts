import { Field, ObjectType } from 'type-graphql';
import { UpsertSummary } from '../autotask/upsert-result.js';
import { ExpenseReport } from './expense-report.entity.js';

@ObjectType({ description: 'The outcome of upsertExpenseReports.' })
export class UpsertExpenseReportsResult extends UpsertSummary {
  @Field(() => [ExpenseReport], { description: 'The expense reports, in the order pushed.' })
  expenseReports: ExpenseReport[] = [];
}
