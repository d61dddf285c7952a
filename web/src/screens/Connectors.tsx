/** Every connector (one per QuickBooks company file): default badge, change default, pause, delete, clear binding. */
import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation } from 'urql';
import { useApi } from '../api';
import { ApiError, Notice, Pager, QueryState, formatTime, useCursor } from '../components';
import {
  ClearCompanyBindingDocument,
  ConnectorsDocument,
  DefaultConnectorMoveDocument,
  DeleteConnectorDocument,
  SetDefaultConnectorDocument,
  UpdateConnectorDocument,
  type ConnectorSummaryFragment,
} from '../generated/graphql';
import { roleAtLeast, useViewer } from '../session';

export function ConnectorsScreen() {
  const viewer = useViewer();
  const admin = roleAtLeast(viewer.role, 'ADMIN');
  const cursor = useCursor();
  const [result, refresh] = useApi(ConnectorsDocument, { first: 20, after: cursor.after });
  const [moving, setMoving] = useState<ConnectorSummaryFragment | null>(null);
  const [notice, setNotice] = useState('');
  const [update, updateMutation] = useMutation(UpdateConnectorDocument);
  const [del, deleteMutation] = useMutation(DeleteConnectorDocument);
  const [clear, clearMutation] = useMutation(ClearCompanyBindingDocument);
  const lastError = update.error ?? del.error ?? clear.error;
  const act = async (run: () => Promise<{ error?: unknown }>, done: string) => {
    const answer = await run();
    if (!answer.error) setNotice(done);
    refresh();
  };
  return (
    <section aria-labelledby="connectors-title">
      <h1 id="connectors-title">Connectors</h1>
      <p className="muted">One connector per QuickBooks company file. Invoices go to an organization's routed connector, else to the default.</p>
      {admin && (
        <p>
          <Link className="button" to="/connectors/new">
            Set up a new connector
          </Link>
        </p>
      )}
      <Notice>{notice}</Notice>
      <ApiError error={lastError} />
      {moving && <DefaultMove connector={moving} onDone={(message) => { setMoving(null); if (message) setNotice(message); refresh(); }} />}
      <QueryState result={result} what="connectors" isEmpty={(d) => d.connectors.nodes.length === 0} empty={admin ? 'No connector yet: set up the first one (it becomes the default).' : 'No connector yet; an admin sets them up.'}>
        {(data) => (
          <>
            <table>
              <caption className="sr-only">Connectors</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Status</th>
                  <th scope="col">Company file</th>
                  <th scope="col">Last contact</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {data.connectors.nodes.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">
                      {c.name} {c.isDefault && <span className="badge default">Default</span>}
                    </th>
                    <td>{c.enabled ? `Runs every ${c.runEveryMinutes} min` : <span className="badge paused">Paused</span>}</td>
                    <td>{c.company ? `${c.company.companyName ?? ''} ${c.company.filePath ?? ''}`.trim() || 'bound' : 'not bound yet'}</td>
                    <td>{formatTime(c.lastContactAt)}</td>
                    <td className="actions">
                      <Link to={`/connectors/${c.id}/mappings`}>Mappings</Link>
                      {admin && (
                        <>
                          <Link to={`/connectors/${c.id}/setup/1`}>Set-up</Link>
                          {!c.isDefault && (
                            <button type="button" onClick={() => setMoving(c)}>
                              Make default
                            </button>
                          )}
                          <button type="button" onClick={() => act(() => updateMutation({ id: c.id, input: { enabled: !c.enabled } }), `${c.name} ${c.enabled ? 'paused' : 'enabled'}.`)}>
                            {c.enabled ? 'Pause' : 'Enable'}
                          </button>
                          {c.company && (
                            <button type="button" onClick={() => act(() => clearMutation({ connectorId: c.id }), `${c.name}'s company file binding cleared.`)}>
                              Clear company binding
                            </button>
                          )}
                          <button type="button" className="danger" onClick={() => act(() => deleteMutation({ id: c.id }), `${c.name} deleted.`)}>
                            Delete
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager cursor={cursor} pageInfo={data.connectors.pageInfo} totalCount={data.connectors.totalCount} label="connectors" />
          </>
        )}
      </QueryState>
    </section>
  );
}

/** Moving the default is deliberate: what it does first (organizations kept on the old default), then confirm. */
function DefaultMove({ connector, onDone }: { connector: ConnectorSummaryFragment; onDone: (message?: string) => void }) {
  const [move] = useApi(DefaultConnectorMoveDocument, { id: connector.id });
  const [setDefault, setDefaultMutation] = useMutation(SetDefaultConnectorDocument);
  const confirm = async () => {
    const answer = await setDefaultMutation({ id: connector.id });
    if (!answer.error) onDone(`${connector.name} is the default connector now.`);
  };
  return (
    <div className="panel" role="dialog" aria-labelledby="move-title">
      <h2 id="move-title">Make {connector.name} the default?</h2>
      <QueryState result={move} what="what the move does">
        {(data) => (
          <>
            <p>
              Organizations without a route go to {data.defaultConnectorMove.to.name} from now on
              {data.defaultConnectorMove.from ? ` instead of ${data.defaultConnectorMove.from.name}` : ''}.
            </p>
            {data.defaultConnectorMove.organizationsKeptOnCurrentDefault.length > 0 && (
              <p>
                These already have a customer in {data.defaultConnectorMove.from?.name}'s company file and are routed there to avoid duplicates:{' '}
                {data.defaultConnectorMove.organizationsKeptOnCurrentDefault.map((o) => o.name).join(', ')}.
              </p>
            )}
          </>
        )}
      </QueryState>
      <ApiError error={setDefault.error} />
      <button type="button" onClick={confirm} disabled={setDefault.fetching}>
        Confirm: make {connector.name} the default
      </button>{' '}
      <button type="button" onClick={() => onDone()}>
        Cancel
      </button>
    </div>
  );
}
