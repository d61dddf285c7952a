/**
 * Customer import: the QuickBooks customers of a connector's synced list as Autotask organizations. Preview
 * (LINKED / MATCH / NEW / CONFLICT), decide each conflict, then apply; apply runs in one request and reports
 * every row.
 */
import { useState } from 'react';
import { useMutation } from 'urql';
import { useApi } from '../api';
import { ApiError, QueryState } from '../components';
import { ApplyCustomerImportDocument, ConnectorsDocument, CustomerImportPreviewDocument, type CustomerImportAction } from '../generated/graphql';

export function CustomerImportScreen() {
  const [connectors] = useApi(ConnectorsDocument, { first: 200 });
  const [connectorId, setConnectorId] = useState('');
  const [createNew, setCreateNew] = useState(false);
  const [preview, refresh] = useApi(CustomerImportPreviewDocument, { connectorIds: [connectorId] }, { pause: !connectorId });
  const [decisions, setDecisions] = useState<Record<string, { action: CustomerImportAction; organizationId?: string }>>({});
  const [applied, apply] = useMutation(ApplyCustomerImportDocument);
  const run = async () => {
    const answer = await apply({
      input: {
        connectorIds: [connectorId],
        createNew,
        decisions: Object.entries(decisions).map(([listId, d]) => ({ connectorId, listId, action: d.action, organizationId: d.organizationId })),
      },
    });
    if (answer.data) refresh();
  };
  return (
    <section aria-labelledby="import-title">
      <h1 id="import-title">Customer import</h1>
      <p className="muted">Customers a company file already has become organizations linked to them, so invoices go to those customers instead of new ones.</p>
      <div className="inline">
        <label htmlFor="import-connector">Connector</label>
        <select id="import-connector" value={connectorId} onChange={(e) => { setConnectorId(e.target.value); setDecisions({}); }}>
          <option value="">Choose…</option>
          {connectors.data?.connectors.nodes.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      {connectorId && (
        <QueryState result={preview} what="the preview" isEmpty={(d) => d.customerImportPreview.rows.length === 0} empty="The synced customer list is empty (or not synced yet: run the Web Connector first).">
          {({ customerImportPreview: p }) => (
            <>
              <p role="status">
                {p.summary.total} customers: {p.summary.linked} linked, {p.summary.matched} match, {p.summary.new} new, {p.summary.conflicts} in conflict.
              </p>
              {p.warnings.map((w) => (
                <p key={w} className="warning">
                  {w}
                </p>
              ))}
              <table>
                <thead>
                  <tr>
                    <th scope="col">QuickBooks customer</th>
                    <th scope="col">Verdict</th>
                    <th scope="col">Organization</th>
                    <th scope="col">Decision</th>
                  </tr>
                </thead>
                <tbody>
                  {p.rows.map((r) => (
                    <tr key={r.listId} className={r.verdict === 'CONFLICT' ? 'highlight' : undefined}>
                      <th scope="row">{r.fullName}</th>
                      <td>
                        {r.verdict}
                        {r.conflicts.map((c) => (
                          <div key={c.kind + c.message} className="muted">
                            {c.message}
                          </div>
                        ))}
                      </td>
                      <td>{r.organization?.name ?? '—'}</td>
                      <td>
                        {r.verdict === 'LINKED' ? (
                          'linked'
                        ) : (
                          <select
                            aria-label={`Decision for ${r.fullName}`}
                            value={decisions[r.listId] ? `${decisions[r.listId]!.action}:${decisions[r.listId]!.organizationId ?? ''}` : ''}
                            onChange={(e) => {
                              const [action, organizationId] = e.target.value.split(':');
                              setDecisions((d) => {
                                const next = { ...d };
                                if (!action) delete next[r.listId];
                                else next[r.listId] = { action: action as CustomerImportAction, organizationId: organizationId || undefined };
                                return next;
                              });
                            }}
                          >
                            <option value="">{r.defaultAction ? `Default: ${r.defaultAction}` : 'Default'}</option>
                            {[r.organization, ...r.conflicts.map((c) => c.organization)].filter((o): o is { id: string; name: string } => !!o).map((o) => (
                              <option key={o.id} value={`LINK:${o.id}`}>
                                Link to {o.name}
                              </option>
                            ))}
                            <option value="CREATE:">Create an organization</option>
                            <option value="SKIP:">Skip</option>
                          </select>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <label className="check">
                <input type="checkbox" checked={createNew} onChange={(e) => setCreateNew(e.target.checked)} /> Create organizations in Autotask for the NEW customers
              </label>
              <ApiError error={applied.error} />
              <button type="button" onClick={run} disabled={applied.fetching}>
                {applied.fetching ? 'Importing…' : 'Apply the import'}
              </button>
              {applied.data && (
                <p role="status">
                  {applied.data.applyCustomerImport.linked} linked, {applied.data.applyCustomerImport.created} created, {applied.data.applyCustomerImport.skipped} skipped,{' '}
                  {applied.data.applyCustomerImport.failed} failed.
                </p>
              )}
            </>
          )}
        </QueryState>
      )}
    </section>
  );
}
