/**
 * The customer import as text, for `qbd-bridge import-customers`: the preview summary and rows, apply progress
 * (a cli-progress bar on a terminal; one plain line per customer otherwise, so CI logs stay readable) and the
 * outcome.
 */
import cliProgress from 'cli-progress';
import type { CustomerImportProgress } from './customer-import.service.js';
import { CustomerImportAction, CustomerImportOutcome, type CustomerImportPreview, type CustomerImportResult, type CustomerImportRow, type CustomerImportRowResult } from './customer-import.types.js';

/** Where the report goes: stdout, or a test's capture. `isTTY` decides between the bar and plain lines. */
export interface ReportStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export function formatPreview(preview: CustomerImportPreview): string {
  const { summary } = preview;
  const lines = [`Customer import preview: ${plural(summary.total, 'customer')} from ${plural(preview.connectors.length, 'connector')}.`];
  for (const c of preview.connectors) {
    const synced = c.customersSyncedAt ? `synced ${c.customersSyncedAt.toISOString()}` : 'never synced';
    lines.push(`  ${c.name} (${c.connectorId}): ${plural(c.customers, 'customer')}, ${plural(c.jobsSkipped, 'job')} and ${c.inactiveSkipped} inactive left out, ${synced}`);
  }
  lines.push(`  LINKED ${summary.linked} · MATCH ${summary.matched} · NEW ${summary.new} · CONFLICT ${summary.conflicts}`);
  for (const row of preview.rows) lines.push(...formatRow(row));
  for (const warning of preview.warnings) lines.push(`Warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}

function formatRow(row: CustomerImportRow): string[] {
  const organization = row.organization ? ` → ${row.organization.name} (Autotask ${row.organization.autotaskId})` : '';
  return [`${row.verdict.padEnd(8)} ${row.connectorName}: ${row.fullName}${organization}`, ...row.conflicts.map((c) => `           ${c.kind}: ${c.message}`)];
}

/** What the next step is, after a preview that changed nothing. */
export function formatNextStep(preview: CustomerImportPreview): string {
  const { matched, new: fresh, conflicts } = preview.summary;
  if (matched + fresh + conflicts === 0) return 'Nothing was changed, and every customer is linked already.\n';
  return (
    `Nothing was changed. Run again with --apply to link ${plural(matched, 'matching customer')}` +
    `${fresh ? ` (add --create-new to also create ${plural(fresh, 'new organization')} in Autotask)` : ''}` +
    `${conflicts ? `; ${plural(conflicts, 'conflict')} ${conflicts === 1 ? 'is' : 'are'} skipped (decide them with the applyCustomerImport mutation)` : ''}.\n`
  );
}

export interface ProgressReporter {
  readonly onProgress: (progress: CustomerImportProgress) => void;
  /** Ends the bar (if any) so the next output starts on its own line. */
  finish(): void;
}

export function progressReporter(stream: ReportStream): ProgressReporter {
  if (!stream.isTTY) {
    return {
      onProgress: ({ done, total, row }) => stream.write(`[${done}/${total}] ${describeOutcome(row)}\n`),
      finish: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream: stream as NodeJS.WritableStream, format: 'Importing customers |{bar}| {value}/{total} {customer}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress: ({ done, total, row }) => {
      if (!started) {
        bar.start(total, 0, { customer: '' });
        started = true;
      }
      bar.update(done, { customer: row.fullName });
    },
    finish: () => {
      if (started) bar.stop();
    },
  };
}

export function formatResult(result: CustomerImportResult): string {
  const lines = [
    `Applied: ${result.linked} linked, ${result.created} created, ${result.alreadyLinked} already linked, ${result.skipped} skipped, ${result.failed} failed.`,
    ...result.rows.filter((r) => r.outcome === CustomerImportOutcome.FAILED).map((r) => `  ${describeOutcome(r)}`),
  ];
  return `${lines.join('\n')}\n`;
}

function describeOutcome(row: CustomerImportRowResult): string {
  if (row.outcome === CustomerImportOutcome.FAILED) return `FAILED ${row.fullName} (${row.action ?? 'no action'}): ${row.errorCode}: ${row.errorMessage}`;
  const organization = row.organization ? ` → ${row.organization.name} (Autotask ${row.organization.autotaskId})` : '';
  const why = row.outcome === CustomerImportOutcome.SKIPPED && row.action === CustomerImportAction.SKIP ? ` (${row.verdict})` : '';
  return `${row.outcome} ${row.fullName}${organization}${why}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
