/**
 * Routing: organizations and resources sent to a connector other than the default. "Which connector?" explains
 * the effective connector of any Autotask ids (their route, else the default).
 */
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { useApi } from '../api';
import { ApiError, Pager, QueryState, useCursor } from '../components';
import { ConnectorsDocument, EffectiveConnectorsDocument, RemoveRoutesDocument, RoutesDocument, SetRoutesDocument, type RouteSubject } from '../generated/graphql';
import { roleAtLeast, useViewer } from '../session';

export function RoutingScreen() {
  const viewer = useViewer();
  const admin = roleAtLeast(viewer.role, 'ADMIN');
  const cursor = useCursor();
  const [subject, setSubject] = useState<RouteSubject>('ORGANIZATION');
  const [routes, refresh] = useApi(RoutesDocument, { first: 50, after: cursor.after, subject });
  const [connectors] = useApi(ConnectorsDocument, { first: 200 });
  const [autotaskId, setAutotaskId] = useState('');
  const [connectorId, setConnectorId] = useState('');
  const [set, setRoutes] = useMutation(SetRoutesDocument);
  const [removed, removeRoutes] = useMutation(RemoveRoutesDocument);
  const [explainIds, setExplainIds] = useState('');
  const ids = explainIds.split(/[\s,]+/).map(Number).filter((n) => Number.isInteger(n) && n > 0);
  const [effective] = useApi(EffectiveConnectorsDocument, { subject, autotaskIds: ids }, { pause: ids.length === 0 });
  const add = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await setRoutes({ input: { routes: [{ subject, autotaskId: Number(autotaskId), connectorId }] } });
    if (answer.data) {
      setAutotaskId('');
      refresh();
    }
  };
  return (
    <section aria-labelledby="routing-title">
      <h1 id="routing-title">Routing</h1>
      <div className="inline">
        <label htmlFor="route-subject">Subject</label>
        <select id="route-subject" value={subject} onChange={(e) => { setSubject(e.target.value as RouteSubject); cursor.reset(); }}>
          <option value="ORGANIZATION">Organizations (their invoices and payments)</option>
          <option value="RESOURCE">Resources (their timesheets and expenses)</option>
        </select>
      </div>
      <ApiError error={set.error ?? removed.error} />
      <QueryState result={routes} what="routes" isEmpty={(d) => d.routes.nodes.length === 0} empty="No route: everything goes to the default connector.">
        {(data) => (
          <>
            <table>
              <thead>
                <tr>
                  <th scope="col">Autotask id</th>
                  <th scope="col">Connector</th>
                  {admin && <th scope="col">Actions</th>}
                </tr>
              </thead>
              <tbody>
                {data.routes.nodes.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">{r.autotaskId}</th>
                    <td>{r.connector.name}</td>
                    {admin && (
                      <td>
                        <button type="button" onClick={async () => { await removeRoutes({ keys: [{ subject: r.subject, autotaskId: r.autotaskId }] }); refresh(); }}>
                          Remove route of {r.autotaskId}
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager cursor={cursor} pageInfo={data.routes.pageInfo} totalCount={data.routes.totalCount} label="routes" />
          </>
        )}
      </QueryState>
      {admin && (
        <form className="inline" onSubmit={add} aria-label="Add a route">
          <label htmlFor="route-id">Autotask id</label>
          <input id="route-id" inputMode="numeric" value={autotaskId} onChange={(e) => setAutotaskId(e.target.value)} required />
          <label htmlFor="route-connector">Connector</label>
          <select id="route-connector" value={connectorId} onChange={(e) => setConnectorId(e.target.value)} required>
            <option value="">Choose…</option>
            {connectors.data?.connectors.nodes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <button type="submit" disabled={set.fetching}>
            Route
          </button>
        </form>
      )}
      <h2>Which connector?</h2>
      <div className="inline">
        <label htmlFor="explain-ids">Autotask ids</label>
        <input id="explain-ids" value={explainIds} onChange={(e) => setExplainIds(e.target.value)} placeholder="174, 175" />
      </div>
      {ids.length > 0 && (
        <QueryState result={effective} what="effective connectors">
          {(data) => (
            <ul className="plain">
              {data.effectiveConnectors.map((e) => (
                <li key={e.autotaskId}>
                  {e.autotaskId} → {e.connector ? e.connector.name : 'no connector yet'} ({e.routed ? 'its route' : e.connector ? 'the default' : 'no default connector exists'})
                </li>
              ))}
            </ul>
          )}
        </QueryState>
      )}
    </section>
  );
}
