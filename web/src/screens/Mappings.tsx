/**
 * A connector's mappings: Autotask values (work types, lines of business, terms, taxability...) to QuickBooks
 * elements. The unmapped values the connector's invoices use come first, highlighted, with suggestions to accept
 * in bulk; pickers offer the connector's synced QuickBooks lists; each kind's default-or-fail policy below.
 */
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation } from 'urql';
import { useApi } from '../api';
import { ApiError, Notice, Pager, QueryState, formatTime, useCursor } from '../components';
import {
  ApplyMappingSuggestionsDocument,
  ConnectorMappingsDocument,
  DeleteMappingsDocument,
  ListElementsDocument,
  RefreshListsDocument,
  SetUnmappedPoliciesDocument,
  UnmappedValuesDocument,
  type MappingSourceKind,
  type QuickBooksList,
  type UnmappedAction,
  type UnmappedKind,
  type UnmappedValuesQuery,
} from '../generated/graphql';
import { roleAtLeast, useViewer } from '../session';

const KINDS: MappingSourceKind[] = ['WORK_TYPE', 'BILLING_CODE', 'LINE_OF_BUSINESS', 'PAYMENT_TERM', 'TAXABILITY', 'MATERIAL', 'SERVICE', 'SERVICE_BUNDLE', 'EXPENSE_CATEGORY', 'MILESTONE', 'RECURRING_SERVICE', 'ROLE', 'SHIPPING', 'TAX', 'ACCOUNT_MANAGER', 'CLASSIFICATION', 'INVOICE_TEMPLATE', 'RESOURCE_EMPLOYEE', 'RESOURCE_VENDOR', 'PAYROLL_CATEGORY', 'EXPENSE_ACCOUNT_BILLABLE', 'EXPENSE_ACCOUNT_REIMBURSABLE'];
/** The QuickBooks list each unmapped-value policy picks its default from. */
const POLICY_LISTS: Record<UnmappedKind, QuickBooksList> = {
  LINE_OF_BUSINESS: 'CLASS', PAYMENT_TERM: 'TERMS', TAXABILITY: 'SALES_TAX_CODE', BILLING_CODE: 'ACCOUNT',
  ACCOUNT_MANAGER: 'SALES_REP', CLASSIFICATION: 'CUSTOMER_TYPE', INVOICE_TEMPLATE: 'TEMPLATE', PAYROLL_CATEGORY: 'PAYROLL_WAGE_ITEM',
  EXPENSE_CATEGORY: 'ACCOUNT',
};

export function MappingsScreen() {
  const { id = '' } = useParams();
  const viewer = useViewer();
  const admin = roleAtLeast(viewer.role, 'ADMIN');
  const cursor = useCursor();
  const [kind, setKind] = useState<MappingSourceKind | ''>('');
  const [result, refresh] = useApi(ConnectorMappingsDocument, { connectorId: id, first: 50, after: cursor.after, sourceKind: kind || undefined });
  const [deleted, deleteMappings] = useMutation(DeleteMappingsDocument);
  const [version, setVersion] = useState(0);
  // Kept here: the unmapped table starts afresh (key) after each change, the confirmation stays.
  const [notice, setNotice] = useState('');
  const changed = (message = '') => {
    setNotice(message);
    refresh();
    setVersion((v) => v + 1);
  };
  return (
    <section aria-labelledby="mappings-title">
      <QueryState result={result} what="mappings" isEmpty={(d) => !d.connector} empty="There is no such connector.">
        {(data) => (
          <>
            <h1 id="mappings-title">Mappings of {data.connector!.name}</h1>
            <ListStatus connectorId={id} lists={data.connector!.quickBooksLists} admin={admin} />
            <Notice>{notice}</Notice>
            <Unmapped key={`u${version}`} connectorId={id} admin={admin} onApplied={changed} />
            <h2>Mapped values</h2>
            <div className="inline">
              <label htmlFor="mapping-kind">Kind</label>
              <select id="mapping-kind" value={kind} onChange={(e) => { setKind(e.target.value as MappingSourceKind | ''); cursor.reset(); }}>
                <option value="">Every kind</option>
                {KINDS.map((k) => (
                  <option key={k}>{k}</option>
                ))}
              </select>
            </div>
            <ApiError error={deleted.error} />
            {data.mappings.nodes.length === 0 ? (
              <p className="empty">No mapping{kind ? ` of kind ${kind}` : ''} yet.</p>
            ) : (
              <>
                <table>
                  <caption className="sr-only">Mappings</caption>
                  <thead>
                    <tr>
                      <th scope="col">Kind</th>
                      <th scope="col">Autotask value</th>
                      <th scope="col">QuickBooks {`(list)`}</th>
                      <th scope="col">Warnings</th>
                      {admin && <th scope="col">Actions</th>}
                    </tr>
                  </thead>
                  <tbody>
                    {data.mappings.nodes.map((m) => (
                      <tr key={m.id}>
                        <td>{m.sourceKind}</td>
                        <th scope="row">
                          {m.sourceName} <span className="muted">({m.sourceId})</span>
                        </th>
                        <td>
                          {m.target?.fullName ?? 'created on first use'} <span className="muted">({m.targetList})</span>
                        </td>
                        <td>{m.warnings.join('; ')}</td>
                        {admin && (
                          <td>
                            <button type="button" onClick={async () => { const answer = await deleteMappings({ ids: [m.id] }); if (!answer.error) changed(`The mapping of ${m.sourceName} was removed.`); }}>
                              Remove mapping of {m.sourceName}
                            </button>
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
                <Pager cursor={cursor} pageInfo={data.mappings.pageInfo} totalCount={data.mappings.totalCount} label="mappings" />
              </>
            )}
            <Policies connectorId={id} policies={data.connector!.unmappedPolicies} admin={admin} onSaved={refresh} />
            <p>
              <Link to="/connectors">Back to connectors</Link>
            </p>
          </>
        )}
      </QueryState>
    </section>
  );
}

function ListStatus({ connectorId, lists, admin }: { connectorId: string; lists: Array<{ list: string; state: string; lastRefreshedAt: string | null; count: number }>; admin: boolean }) {
  const [refreshed, refresh] = useMutation(RefreshListsDocument);
  const synced = lists.filter((l) => l.state === 'OK');
  return (
    <div className="muted">
      {synced.length === 0
        ? 'The QuickBooks lists of this company file have not been synced yet: pickers fill after the first Web Connector session.'
        : `Synced QuickBooks lists: ${synced.map((l) => `${l.list} (${l.count}, ${formatTime(l.lastRefreshedAt)})`).join(', ')}.`}{' '}
      {admin && (
        <button type="button" onClick={() => refresh({ connectorId })} disabled={refreshed.fetching}>
          Refresh the lists at the next session
        </button>
      )}
      <ApiError error={refreshed.error} />
      {refreshed.data && <Notice>The lists are pulled again at the next Web Connector session.</Notice>}
    </div>
  );
}

/** A suggestion this close is taken in bulk; a weaker one (Onsite Support ~ Remote Support) needs a person's pick. */
const CLOSE_SUGGESTION = 0.9;

type UnmappedRow = UnmappedValuesQuery['unmappedValues'][number];
const rowKey = (v: UnmappedRow) => `${v.sourceKind}:${v.sourceId}`;

function Unmapped({ connectorId, admin, onApplied }: { connectorId: string; admin: boolean; onApplied: (message: string) => void }) {
  const [result] = useApi(UnmappedValuesDocument, { connectorId });
  const [picks, setPicks] = useState<Record<string, string>>({});
  const [accepted, setAccepted] = useState<Set<string>>(new Set());
  const [applied, apply] = useMutation(ApplyMappingSuggestionsDocument);
  const choice = (v: UnmappedRow) => picks[rowKey(v)] ?? v.suggestions[0]?.element.listId ?? '';
  const submit = async (rows: UnmappedRow[]) => {
    const chosen = rows.filter((v) => accepted.has(rowKey(v)) && choice(v));
    const answer = await apply({ connectorId, picks: chosen.map((v) => ({ sourceKind: v.sourceKind, sourceId: v.sourceId, sourceName: v.sourceName, listId: choice(v) })) });
    const saved = answer.data?.applyMappingSuggestions.length;
    if (saved !== undefined) onApplied(`${saved} mapping${saved === 1 ? '' : 's'} saved.`);
  };
  return (
    <section aria-labelledby="unmapped-title">
      <h2 id="unmapped-title">Unmapped values</h2>
      <ApiError error={applied.error} />
      <QueryState result={result} what="unmapped values" isEmpty={(d) => d.unmappedValues.length === 0} empty="Every value the invoices use is mapped (or no invoice uses one yet).">
        {(data) => (
          <>
            <table className="unmapped">
              <caption className="sr-only">Unmapped values</caption>
              <thead>
                <tr>
                  {admin && <th scope="col">Accept</th>}
                  <th scope="col">Kind</th>
                  <th scope="col">Autotask value</th>
                  <th scope="col">Used by</th>
                  <th scope="col">QuickBooks element</th>
                </tr>
              </thead>
              <tbody>
                {data.unmappedValues.map((v) => (
                  <tr key={rowKey(v)} className="highlight">
                    {admin && (
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`Accept mapping for ${v.sourceName}`}
                          checked={accepted.has(rowKey(v))}
                          disabled={!choice(v)}
                          onChange={() => setAccepted((s) => { const n = new Set(s); if (n.has(rowKey(v))) n.delete(rowKey(v)); else n.add(rowKey(v)); return n; })}
                        />
                      </td>
                    )}
                    <td>{v.sourceKind}</td>
                    <th scope="row">
                      {v.sourceName} <span className="muted">({v.sourceId})</span>
                    </th>
                    <td>{v.occurrences}</td>
                    <td>
                      <ElementSelect connectorId={connectorId} list={v.quickBooksList} label={`QuickBooks element for ${v.sourceName}`} value={choice(v)} suggestions={v.suggestions} disabled={!admin}
                        onChange={(listId) => { setPicks((p) => ({ ...p, [rowKey(v)]: listId })); setAccepted((s) => new Set(s).add(rowKey(v))); }} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {admin && (
              <>
                <button type="button" onClick={() => setAccepted(new Set(data.unmappedValues.filter((v) => (v.suggestions[0]?.score ?? 0) >= CLOSE_SUGGESTION).map(rowKey)))}>
                  Accept the close suggestions ({Math.round(CLOSE_SUGGESTION * 100)}% and up)
                </button>{' '}
                <button type="button" onClick={() => submit(data.unmappedValues)} disabled={accepted.size === 0 || applied.fetching}>
                  Save {accepted.size} accepted mapping{accepted.size === 1 ? '' : 's'}
                </button>
              </>
            )}
          </>
        )}
      </QueryState>
    </section>
  );
}

/** A picker fed by the connector's synced list: the suggestions first (with their score), then the list's elements. */
function ElementSelect({ connectorId, list, label, value, suggestions, disabled, onChange }: {
  connectorId: string;
  list: QuickBooksList;
  label: string;
  value: string;
  suggestions: Array<{ score: number; element: { listId: string; fullName: string } }>;
  disabled?: boolean;
  onChange: (listId: string) => void;
}) {
  const [elements] = useApi(ListElementsDocument, { connectorId, list });
  const suggested = new Set(suggestions.map((s) => s.element.listId));
  const rest = (elements.data?.quickBooksListElements.nodes ?? []).filter((e) => !suggested.has(e.listId));
  return (
    <select aria-label={label} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
      <option value="">{elements.fetching && !elements.data ? 'Loading the list…' : 'Choose…'}</option>
      {suggestions.length > 0 && (
        <optgroup label="Suggested">
          {suggestions.map((s) => (
            <option key={s.element.listId} value={s.element.listId}>
              {s.element.fullName} ({Math.round(s.score * 100)}%)
            </option>
          ))}
        </optgroup>
      )}
      {rest.length > 0 && (
        <optgroup label={list}>
          {rest.map((e) => (
            <option key={e.listId} value={e.listId}>
              {e.fullName}
            </option>
          ))}
        </optgroup>
      )}
    </select>
  );
}

function Policies({ connectorId, policies, admin, onSaved }: {
  connectorId: string;
  policies: Array<{ kind: UnmappedKind; onUnmapped: UnmappedAction; default: { fullName: string; listId: string | null } | null }>;
  admin: boolean;
  onSaved: () => void;
}) {
  const [draft, setDraft] = useState(() => Object.fromEntries(policies.map((p) => [p.kind, { onUnmapped: p.onUnmapped, default: p.default?.fullName ?? '' }])) as Record<UnmappedKind, { onUnmapped: UnmappedAction; default: string }>);
  const [saved, save] = useMutation(SetUnmappedPoliciesDocument);
  const submit = async () => {
    const answer = await save({
      id: connectorId,
      policies: policies.map((p) => ({ kind: p.kind, onUnmapped: draft[p.kind].onUnmapped, default: draft[p.kind].onUnmapped === 'USE_DEFAULT' && draft[p.kind].default ? { fullName: draft[p.kind].default } : undefined })),
    });
    if (answer.data) onSaved();
  };
  return (
    <section aria-labelledby="policies-title">
      <h2 id="policies-title">When a value is not mapped</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Policy</th>
            <th scope="col">Default (QuickBooks {`list`})</th>
          </tr>
        </thead>
        <tbody>
          {policies.map((p) => (
            <tr key={p.kind}>
              <th scope="row">{p.kind}</th>
              <td>
                <select aria-label={`Policy for unmapped ${p.kind}`} value={draft[p.kind].onUnmapped} disabled={!admin} onChange={(e) => setDraft((d) => ({ ...d, [p.kind]: { ...d[p.kind], onUnmapped: e.target.value as UnmappedAction } }))}>
                  <option value="OMIT">Leave it out</option>
                  <option value="USE_DEFAULT">Use a default</option>
                  <option value="FAIL">Fail the transfer</option>
                </select>
              </td>
              <td>
                {draft[p.kind].onUnmapped === 'USE_DEFAULT' ? (
                  <input aria-label={`Default ${POLICY_LISTS[p.kind]} for unmapped ${p.kind}`} value={draft[p.kind].default} disabled={!admin} onChange={(e) => setDraft((d) => ({ ...d, [p.kind]: { ...d[p.kind], default: e.target.value } }))} placeholder={`${POLICY_LISTS[p.kind]} full name`} />
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ApiError error={saved.error} />
      {saved.data && <Notice>Policies saved.</Notice>}
      {admin && (
        <button type="button" onClick={submit} disabled={saved.fetching}>
          Save policies
        </button>
      )}
    </section>
  );
}
