/** The Autotask REST connection: what the rest of the service uses (see README.md in this folder). */
export { AutotaskClient, discoverZone, apiBaseFromZoneUrl, DEFAULT_RETRY, type AutotaskCredentials, type AutotaskHttpOptions, type RetryPolicy } from './client.js';
export { where, chunk, type AtFilter, type AtQuery } from './filter.js';
export { AutotaskApiError, type AutotaskFailure } from './errors.js';
export { AutotaskConnection, AutotaskInvoiceSelection } from './autotask-connection.entity.js';
export { getAutotaskConnection, setAutotaskConnection, clientFor, type AutotaskRuntime } from './autotask-connection.service.js';
export { AutotaskConnectionResolver } from './autotask-connection.resolver.js';
export { runAutotaskPull, SCHEDULER_ACTOR, PULL_LOCK, type PullOptions } from './pull.js';
export { AutotaskPullSummary, AutotaskPullOutcome } from './pull-summary.js';
export { startAutotaskScheduler, type AutotaskScheduler, type AutotaskSchedulerOptions } from './scheduler.js';
export { writeBackInvoice, writeBackInvoicePaid, createAutotaskCompany, type InvoiceWriteBack, type CreatedCompany } from './write-back.js';
export type { QuickBooksCustomer } from './mapping.js';
