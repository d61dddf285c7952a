/**
 * Transfers: the Autotask invoices that are ready to go (filter, select, queue, preview the exact qbXML) and the
 * ledger (states, QuickBooks' code and message, the hint, retry and cancel), polled so a running Web Connector
 * session shows its progress.
 */
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { useApi } from '../api';
import { ApiError, Notice, Pager, QueryState, StateBadge, formatTime, useCursor } from '../components';
import {
  CancelTransferDocument,
  InvoicesDocument,
  LedgerDocument,
  LedgerProgressDocument,
  OrganizationPickerDocument,
  PreviewTransferDocument,
  QueueTransfersDocument,
  RetryTransferDocument,
  type TransferEntityType,
  type TransferState,
} from '../generated/graphql';
import { roleAtLeast, useViewer } from '../session';

const POLL_MS = 2000;
const STATES: TransferState[] = ['QUEUED', 'SENT', 'SUCCEEDED', 'FAILED', 'NEEDS_RECONCILE', 'CANCELLED'];
const UNSETTLED: TransferState[] = ['QUEUED', 'SENT', 'NEEDS_RECONCILE'];
const ENTITY_TYPES: TransferEntityType[] = ['ORGANIZATION', 'INVOICE', 'PAYMENT', 'CREDIT_APPLICATION', 'INVOICE_VOID'];

export function TransfersScreen() {
  const [ledgerVersion, setLedgerVersion] = useState(0);
  return (
    <section aria-labelledby="transfers-title">
      <h1 id="transfers-title">Transfers</h1>
      <Progress />
      <ReadyInvoices onQueued={() => setLedgerVersion((v) => v + 1)} />
      <Ledger key={ledgerVersion} />
    </section>
  );
}

function Progress() {
  const [result] = useApi(LedgerProgressDocument, {}, { pollMs: POLL_MS });
  if (!result.data) return null;
  const d = result.data;
  return (
    <p className="progress" role="status" aria-live="polite" data-testid="progress">
      {d.queued.totalCount} queued · {d.sent.totalCount} in QuickBooks' hands · {d.succeeded.totalCount} succeeded · {d.failed.totalCount} failed
      {d.reconcile.totalCount > 0 ? ` · ${d.reconcile.totalCount} to be looked up` : ''}
    </p>
  );
}

function ReadyInvoices({ onQueued }: { onQueued: () => void }) {
  const viewer = useViewer();
  const mayQueue = roleAtLeast(viewer.role, 'ACCOUNTANT');
  const cursor = useCursor();
  const [organization, setOrganization] = useState<{ id: string; name: string } | null>(null);
  const [inFlight, setInFlight] = useState(false);
  const [dateFrom, setDateFrom] = useState('');
  const [dateTo, setDateTo] = useState('');
  // Polled only while an invoice on the page is on its way, so its state follows the running session.
  const [result, refresh] = useApi(
    InvoicesDocument,
    { first: 25, after: cursor.after, organizationId: organization?.id, dateFrom: dateFrom || undefined, dateTo: dateTo || undefined },
    { pollMs: inFlight ? POLL_MS : undefined },
  );
  const unsettled = (result.data?.invoices.nodes ?? []).some((inv) => inv.transfers.some((t) => UNSETTLED.includes(t.state)));
  if (unsettled !== inFlight) setInFlight(unsettled);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [queued, queue] = useMutation(QueueTransfersDocument);
  const [notice, setNotice] = useState('');
  const [previewId, setPreviewId] = useState<string | null>(null);
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const done = (count: number | undefined) => {
    if (count === undefined) return;
    setNotice(`${count} invoice${count === 1 ? '' : 's'} queued; the Web Connector sends them on its next run (their organizations first).`);
    setSelected(new Set());
    refresh();
    onQueued();
  };
  const queueSelected = async () => done((await queue({ input: { entityType: 'INVOICE', entityIds: [...selected] } })).data?.queueTransfers.length);
  const queueByFilter = async (event: FormEvent) => {
    event.preventDefault();
    const filter = { dateFrom: dateFrom || undefined, dateTo: dateTo || undefined, organizationIds: organization ? [organization.id] : undefined };
    done((await queue({ input: { entityType: 'INVOICE', filter } })).data?.queueTransfers.length);
  };
  return (
    <section aria-labelledby="invoices-title">
      <h2 id="invoices-title">Autotask invoices</h2>
      <OrganizationFilter value={organization} onChange={(o) => { setOrganization(o); cursor.reset(); }} />
      <form className="inline" onSubmit={queueByFilter} aria-label="Invoice dates">
        <label htmlFor="date-from">Invoice date from</label>
        <input id="date-from" type="date" value={dateFrom} onChange={(e) => { setDateFrom(e.target.value); cursor.reset(); }} />
        <label htmlFor="date-to">to</label>
        <input id="date-to" type="date" value={dateTo} onChange={(e) => { setDateTo(e.target.value); cursor.reset(); }} />
        {mayQueue && (
          <button type="submit" disabled={queued.fetching}>
            Queue every new invoice{organization ? ` of ${organization.name}` : ''} in these dates
          </button>
        )}
      </form>
      <Notice>{notice}</Notice>
      <ApiError error={queued.error} />
      <QueryState result={result} what="invoices" isEmpty={(d) => d.invoices.nodes.length === 0} empty="No invoice pushed from Autotask yet (the scheduled pull or a script's upsertInvoices brings them).">
        {(data) => (
          <>
            <table>
              <caption className="sr-only">Autotask invoices</caption>
              <thead>
                <tr>
                  {mayQueue && <th scope="col">Select</th>}
                  <th scope="col">Invoice</th>
                  <th scope="col">Date</th>
                  <th scope="col">Organization</th>
                  <th scope="col">Total</th>
                  <th scope="col">Goes to</th>
                  <th scope="col">Transfer</th>
                  {mayQueue && <th scope="col">qbXML</th>}
                </tr>
              </thead>
              <tbody>
                {data.invoices.nodes.map((inv) => {
                  const label = inv.invoiceNumber ?? `Autotask ${inv.autotaskId}`;
                  const last = inv.transfers[inv.transfers.length - 1];
                  return (
                    <tr key={inv.id}>
                      {mayQueue && (
                        <td>
                          <input type="checkbox" aria-label={`Select ${label}`} checked={selected.has(inv.id)} onChange={() => toggle(inv.id)} />
                        </td>
                      )}
                      <th scope="row">{label}{inv.isVoided ? ' (voided)' : ''}</th>
                      <td>{inv.invoiceDate}</td>
                      <td>{inv.organization.name}</td>
                      <td className="number">{inv.total}</td>
                      <td>{inv.organization.effectiveConnector.connector?.name ?? 'no connector yet'}</td>
                      <td>{last ? <StateBadge state={last.state} /> : <span className="badge ready">ready</span>}</td>
                      {mayQueue && (
                        <td>
                          <button type="button" onClick={() => setPreviewId(inv.id)} aria-label={`Preview qbXML of ${label}`}>
                            Preview
                          </button>
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <Pager cursor={cursor} pageInfo={data.invoices.pageInfo} totalCount={data.invoices.totalCount} label="invoices" />
            {mayQueue && (
              <button type="button" onClick={queueSelected} disabled={selected.size === 0 || queued.fetching}>
                Queue {selected.size} selected
              </button>
            )}
          </>
        )}
      </QueryState>
      {previewId && <Preview invoiceId={previewId} onClose={() => setPreviewId(null)} />}
    </section>
  );
}

function OrganizationFilter({ value, onChange }: { value: { id: string; name: string } | null; onChange: (o: { id: string; name: string } | null) => void }) {
  const [search, setSearch] = useState('');
  const [result] = useQuery({ query: OrganizationPickerDocument, variables: { search }, pause: search.length < 2 });
  return (
    <div className="inline">
      <label htmlFor="org-search">Organization</label>
      {value ? (
        <>
          <strong>{value.name}</strong>
          <button type="button" onClick={() => onChange(null)}>
            All organizations
          </button>
        </>
      ) : (
        <>
          <input id="org-search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="type 2 letters of the name" />
          {search.length >= 2 && result.data && (
            <select aria-label="Matching organizations" value="" onChange={(e) => { const o = result.data?.organizations.nodes.find((n) => n.id === e.target.value); if (o) onChange(o); }}>
              <option value="">{result.data.organizations.nodes.length} match{result.data.organizations.nodes.length === 1 ? '' : 'es'}</option>
              {result.data.organizations.nodes.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name} ({o.autotaskId})
                </option>
              ))}
            </select>
          )}
        </>
      )}
    </div>
  );
}

function Preview({ invoiceId, onClose }: { invoiceId: string; onClose: () => void }) {
  const [result] = useApi(PreviewTransferDocument, { input: { entityType: 'INVOICE', entityId: invoiceId } });
  return (
    <div className="panel" role="dialog" aria-labelledby="preview-title">
      <h3 id="preview-title">What would be sent</h3>
      <QueryState result={result} what="the preview">
        {({ previewTransfer: p }) => (
          <>
            <p>
              <strong data-testid="preview-outcome">{p.outcome}</strong>
              {p.connector ? ` to ${p.connector.name}` : ''}
              {p.plugin ? ` · plugin ${p.plugin}` : ''}
              {p.reason ? ` · ${p.reason}` : ''}
            </p>
            {p.problems.length > 0 && (
              <ul>
                {p.problems.map((x) => (
                  <li key={x.field}>
                    <code>{x.field}</code>: {x.message}
                  </li>
                ))}
              </ul>
            )}
            {p.qbxml && <pre className="qbxml" aria-label="qbXML" tabIndex={0}>{p.qbxml}</pre>}
          </>
        )}
      </QueryState>
      <button type="button" onClick={onClose}>
        Close preview
      </button>
    </div>
  );
}

function Ledger() {
  const viewer = useViewer();
  const mayAct = roleAtLeast(viewer.role, 'ACCOUNTANT');
  const cursor = useCursor();
  const [state, setState] = useState<TransferState | ''>('');
  const [entityType, setEntityType] = useState<TransferEntityType | ''>('');
  const filter = { state: state || undefined, entityType: entityType || undefined };
  const [result, refresh] = useApi(LedgerDocument, { first: 25, after: cursor.after, filter }, { pollMs: POLL_MS });
  const [retried, retry] = useMutation(RetryTransferDocument);
  const [cancelled, cancel] = useMutation(CancelTransferDocument);
  const act = async (run: Promise<unknown>) => {
    await run;
    refresh();
  };
  return (
    <section aria-labelledby="ledger-title">
      <h2 id="ledger-title">Ledger</h2>
      <div className="inline">
        <label htmlFor="ledger-state">State</label>
        <select id="ledger-state" value={state} onChange={(e) => { setState(e.target.value as TransferState | ''); cursor.reset(); }}>
          <option value="">Any</option>
          {STATES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <label htmlFor="ledger-type">Kind</label>
        <select id="ledger-type" value={entityType} onChange={(e) => { setEntityType(e.target.value as TransferEntityType | ''); cursor.reset(); }}>
          <option value="">Any</option>
          {ENTITY_TYPES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </div>
      <ApiError error={retried.error ?? cancelled.error} />
      <QueryState result={result} what="transfers" isEmpty={(d) => d.transferItems.nodes.length === 0} empty={state || entityType ? 'No transfer matches.' : 'Nothing queued yet.'}>
        {(data) => (
          <>
            <table data-testid="ledger">
              <caption className="sr-only">Transfer ledger</caption>
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  <th scope="col">State</th>
                  <th scope="col">Connector</th>
                  <th scope="col">QuickBooks</th>
                  <th scope="col">Code and message</th>
                  <th scope="col">Hint</th>
                  <th scope="col">Queued</th>
                  {mayAct && <th scope="col">Actions</th>}
                </tr>
              </thead>
              <tbody>
                {data.transferItems.nodes.map((t) => (
                  <tr key={t.id} data-entity-type={t.entityType} data-state={t.state}>
                    <th scope="row">{t.entityType}</th>
                    <td>
                      <StateBadge state={t.state} />
                    </td>
                    <td>{t.connector.name}</td>
                    <td>{t.qbRefNumber ?? t.qbListId ?? '—'}</td>
                    <td>{t.qbStatusCode ? `${t.qbStatusCode} ${t.qbStatusMessage ?? ''}` : (t.qbStatusMessage ?? '—')}</td>
                    <td>{t.hint ?? ''}</td>
                    <td>{formatTime(t.createdAt)}</td>
                    {mayAct && (
                      <td className="actions">
                        {(t.state === 'FAILED' || t.state === 'CANCELLED' || t.state === 'NEEDS_RECONCILE') && (
                          <button type="button" onClick={() => act(retry({ id: t.id }))}>
                            Retry
                          </button>
                        )}
                        {(t.state === 'QUEUED' || t.state === 'FAILED' || t.state === 'NEEDS_RECONCILE') && (
                          <button type="button" onClick={() => act(cancel({ id: t.id }))}>
                            Cancel
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager cursor={cursor} pageInfo={data.transferItems.pageInfo} totalCount={data.transferItems.totalCount} label="transfers" />
          </>
        )}
      </QueryState>
    </section>
  );
}
