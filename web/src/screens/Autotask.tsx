/** The Autotask REST connection and its scheduler (admins): API user, pull interval, last pull, pull now. */
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { useApi } from '../api';
import { ApiError, Notice, QueryState, formatTime } from '../components';
import { AutotaskConnectionDocument, PullFromAutotaskDocument, SetAutotaskConnectionDocument, type AutotaskConnectionQuery } from '../generated/graphql';

export function AutotaskScreen() {
  const [result, refresh] = useApi(AutotaskConnectionDocument, {});
  return (
    <section aria-labelledby="autotask-title">
      <h1 id="autotask-title">Autotask connection</h1>
      <QueryState result={result} what="the Autotask connection">
        {(data) => <ConnectionForm key={data.autotaskConnection?.id ?? 'new'} connection={data.autotaskConnection} onSaved={refresh} />}
      </QueryState>
    </section>
  );
}

function ConnectionForm({ connection, onSaved }: { connection: AutotaskConnectionQuery['autotaskConnection']; onSaved: () => void }) {
  const [userName, setUserName] = useState(connection?.userName ?? '');
  const [integrationCode, setIntegrationCode] = useState(connection?.integrationCode ?? '');
  const [secret, setSecret] = useState('');
  const [enabled, setEnabled] = useState(connection?.enabled ?? true);
  const [minutes, setMinutes] = useState(String(connection?.pullEveryMinutes ?? 60));
  const [invoicesFrom, setInvoicesFrom] = useState(connection?.invoicesFrom ?? '');
  const [saved, save] = useMutation(SetAutotaskConnectionDocument);
  const [pulled, pull] = useMutation(PullFromAutotaskDocument);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await save({
      input: { userName, integrationCode, secret: secret || undefined, enabled, pullEveryMinutes: Number(minutes), invoicesFrom: invoicesFrom || undefined },
    });
    if (answer.data) {
      setSecret('');
      onSaved();
    }
  };
  return (
    <>
      {connection ? (
        <p>
          Zone {connection.zoneName ?? 'not looked up yet'} · last pull {connection.lastPullOutcome ?? 'never'} {formatTime(connection.lastPullFinishedAt)}
          {connection.lastPullMessage ? ` · ${connection.lastPullMessage}` : ''}
        </p>
      ) : (
        <p className="empty">Not connected: invoices arrive only from scripts (upsertInvoices) until the connection is set.</p>
      )}
      <form onSubmit={submit} aria-label="Autotask connection">
        <label htmlFor="at-user">API user name</label>
        <input id="at-user" value={userName} onChange={(e) => setUserName(e.target.value)} required />
        <label htmlFor="at-secret">API secret {connection?.secretSet ? '(stored; leave empty to keep it)' : ''}</label>
        <input id="at-secret" type="password" autoComplete="off" value={secret} onChange={(e) => setSecret(e.target.value)} />
        <label htmlFor="at-code">Integration code</label>
        <input id="at-code" value={integrationCode} onChange={(e) => setIntegrationCode(e.target.value)} required />
        <label htmlFor="at-minutes">Pull every (minutes)</label>
        <input id="at-minutes" type="number" min={1} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
        <label htmlFor="at-from">Only invoices dated on or after</label>
        <input id="at-from" type="date" value={invoicesFrom} onChange={(e) => setInvoicesFrom(e.target.value)} />
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Scheduled pulls enabled
        </label>
        <ApiError error={saved.error} />
        {saved.data && <Notice>Saved.</Notice>}
        <button type="submit" disabled={saved.fetching}>
          Save the connection
        </button>
      </form>
      {connection && (
        <>
          <button type="button" onClick={async () => { await pull({}); onSaved(); }} disabled={pulled.fetching}>
            {pulled.fetching ? 'Pulling…' : 'Pull from Autotask now'}
          </button>
          <ApiError error={pulled.error} />
          {pulled.data && (
            <Notice>
              {pulled.data.pullFromAutotask.ran ? `${pulled.data.pullFromAutotask.outcome}: ${pulled.data.pullFromAutotask.invoicesFound} invoices found, ${pulled.data.pullFromAutotask.invoicesQueued} queued.` : `Not run: ${pulled.data.pullFromAutotask.message ?? 'another pull is running'}.`}
            </Notice>
          )}
        </>
      )}
    </>
  );
}
