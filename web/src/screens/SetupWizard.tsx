/**
 * A connector's set-up, in Autotask's numbered steps, each its own URL (/connectors/<id>/setup/<n>):
 * 1 name and schedule → 2 the Web Connector credential → 3 users and their registrations → 4 QWC files →
 * 5 run the Web Connector and watch the live status → 6 enable transfers. Every step can be revisited.
 */
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation } from 'urql';
import { useApi } from '../api';
import { ApiError, Notice, Pager, QueryState, formatTime, useCursor } from '../components';
import {
  ApiCredentialsDocument,
  ConnectorSetupDocument,
  CreateApiCredentialDocument,
  CreateConnectorDocument,
  CreateRegistrationDocument,
  CreateUserDocument,
  IssueApiTokenDocument,
  ResolveConnectorAlertDocument,
  RevokeRegistrationDocument,
  RotateApiCredentialDocument,
  UpdateConnectorDocument,
  UpdateUserRoleDocument,
  UsersDocument,
  type ConnectorSetupQuery,
  type Role,
} from '../generated/graphql';
import { useSession } from '../session';
import { downloadQwc } from './qwc-download';

const STEPS = ['Name and schedule', 'Web Connector credential', 'Users and registrations', 'Download QWC files', 'Run the Web Connector', 'Enable transfers'];

type SetupConnector = NonNullable<ConnectorSetupQuery['connector']>;

export function NewConnector() {
  const navigate = useNavigate();
  return (
    <section aria-labelledby="wizard-title">
      <h1 id="wizard-title">Set up a connector</h1>
      <Stepper current={1} />
      <NameAndSchedule onSaved={(id) => navigate(`/connectors/${id}/setup/2`)} />
    </section>
  );
}

export function SetupWizard() {
  const { id = '', step = '1' } = useParams();
  const current = Math.min(Math.max(Number(step) || 1, 1), STEPS.length);
  // Live status polls while its step is open; the other steps refresh after their own changes.
  const [result, refresh] = useApi(ConnectorSetupDocument, { id }, { pollMs: current === 5 ? 2000 : undefined });
  const navigate = useNavigate();
  const next = () => navigate(`/connectors/${id}/setup/${current + 1}`);
  return (
    <section aria-labelledby="wizard-title">
      <QueryState result={result} what="the connector" isEmpty={(d) => !d.connector} empty="There is no such connector (or it was deleted).">
        {(data) => {
          const connector = data.connector!;
          return (
            <>
              <h1 id="wizard-title">Set up {connector.name}</h1>
              <Stepper current={current} connectorId={id} />
              {current === 1 && <NameAndSchedule connector={connector} onSaved={next} />}
              {current === 2 && <CredentialStep onDone={next} />}
              {current === 3 && <UsersStep connector={connector} onChanged={refresh} onDone={next} />}
              {current === 4 && <QwcStep connector={connector} onDone={next} />}
              {current === 5 && <LiveStatus connector={connector} onChanged={refresh} onDone={next} />}
              {current === 6 && <EnableStep connector={connector} onChanged={refresh} />}
            </>
          );
        }}
      </QueryState>
    </section>
  );
}

function Stepper({ current, connectorId }: { current: number; connectorId?: string }) {
  return (
    <ol className="stepper" aria-label="Set-up steps">
      {STEPS.map((label, i) => {
        const n = i + 1;
        const text = `${n}. ${label}`;
        return (
          <li key={label} aria-current={n === current ? 'step' : undefined} className={n === current ? 'current' : undefined}>
            {connectorId ? <Link to={`/connectors/${connectorId}/setup/${n}`}>{text}</Link> : text}
          </li>
        );
      })}
    </ol>
  );
}

function NameAndSchedule({ connector, onSaved }: { connector?: SetupConnector; onSaved: (id: string) => void }) {
  const [name, setName] = useState(connector?.name ?? '');
  const [minutes, setMinutes] = useState(String(connector?.runEveryMinutes ?? 30));
  const [created, createMutation] = useMutation(CreateConnectorDocument);
  const [updated, updateMutation] = useMutation(UpdateConnectorDocument);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = { name, runEveryMinutes: Number(minutes) };
    if (connector) {
      const answer = await updateMutation({ id: connector.id, input });
      if (answer.data) onSaved(connector.id);
    } else {
      const answer = await createMutation({ input });
      if (answer.data) onSaved(answer.data.createConnector.id);
    }
  };
  return (
    <form onSubmit={submit} aria-label="Name and schedule">
      <p className="muted">One connector per QuickBooks company file. The first connector becomes the default.</p>
      <label htmlFor="connector-name">Connector name</label>
      <input id="connector-name" value={name} onChange={(e) => setName(e.target.value)} required />
      <label htmlFor="connector-minutes">Run the Web Connector every (minutes)</label>
      <input id="connector-minutes" type="number" min={0} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
      <ApiError error={created.error ?? updated.error} />
      <button type="submit" disabled={created.fetching || updated.fetching}>
        Save and continue
      </button>
    </form>
  );
}

function CredentialStep({ onDone }: { onDone: () => void }) {
  const [result, refresh] = useApi(ApiCredentialsDocument, {});
  const [userName, setUserName] = useState('qbwc');
  const [created, createMutation] = useMutation(CreateApiCredentialDocument);
  const [rotated, rotateMutation] = useMutation(RotateApiCredentialDocument);
  const [password, setPassword] = useState<string | null>(null);
  const create = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await createMutation({ input: { userName } });
    setPassword(answer.data?.createApiCredential.generatedPassword ?? null);
    refresh();
  };
  const rotate = async (id: string) => {
    const answer = await rotateMutation({ input: { id } });
    setPassword(answer.data?.rotateApiCredentialPassword.generatedPassword ?? null);
    refresh();
  };
  return (
    <div>
      <p className="muted">One credential serves every connector and user: its password is typed into the Web Connector once per QWC file.</p>
      {password && (
        <div className="panel secret" role="status">
          <p>
            <strong>The Web Connector password, shown once.</strong> Copy it now; it cannot be shown again (rotate to get a new one).
          </p>
          <output aria-label="Generated password" data-testid="generated-password">
            {password}
          </output>
        </div>
      )}
      <ApiError error={created.error ?? rotated.error} />
      <QueryState result={result} what="credentials">
        {(data) =>
          data.apiCredentials.length === 0 ? (
            <form onSubmit={create} aria-label="Create the credential">
              <label htmlFor="credential-user">Web Connector user name</label>
              <input id="credential-user" value={userName} onChange={(e) => setUserName(e.target.value)} required />
              <button type="submit" disabled={created.fetching}>
                Generate the credential
              </button>
            </form>
          ) : (
            <ul className="plain">
              {data.apiCredentials.map((c) => (
                <li key={c.id}>
                  User name <strong>{c.userName}</strong> {c.active ? '' : '(inactive)'} · rotated {formatTime(c.rotatedAt ?? c.createdAt)}{' '}
                  <button type="button" onClick={() => rotate(c.id)} disabled={rotated.fetching}>
                    Rotate password
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
      <button type="button" onClick={onDone}>
        Continue
      </button>
    </div>
  );
}

function UsersStep({ connector, onChanged, onDone }: { connector: SetupConnector; onChanged: () => void; onDone: () => void }) {
  const cursor = useCursor();
  const [users, refreshUsers] = useApi(UsersDocument, { first: 20, after: cursor.after });
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('ACCOUNTANT');
  const [createdUser, createUser] = useMutation(CreateUserDocument);
  const [createdRegistration, createRegistration] = useMutation(CreateRegistrationDocument);
  const [revoked, revoke] = useMutation(RevokeRegistrationDocument);
  const [roleChanged, changeRole] = useMutation(UpdateUserRoleDocument);
  const [issued, issueToken] = useMutation(IssueApiTokenDocument);
  const [notice, setNotice] = useState('');
  const active = connector.registrations.filter((r) => !r.revokedAt);
  const add = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await createUser({ input: { name, role, email: email || undefined } });
    if (answer.data) {
      setNotice(`${name} added.`);
      setName('');
      setEmail('');
      refreshUsers();
    }
  };
  const register = async (userId: string, userName: string) => {
    const answer = await createRegistration({ input: { connectorId: connector.id, userId } });
    if (answer.data) setNotice(`QWC file created for ${userName}.`);
    onChanged();
  };
  return (
    <div>
      <p className="muted">Each person who runs the Web Connector for this company file gets a registration: their own QWC file.</p>
      <Notice>{notice}</Notice>
      <ApiError error={createdUser.error ?? createdRegistration.error ?? revoked.error ?? roleChanged.error ?? issued.error} />
      {issued.data && (
        <div className="panel secret" role="status">
          <p>
            <strong>{issued.data.createApiToken.apiToken.user.name}'s sign-in token, shown once.</strong> Hand it over safely; revoke it with <code>revokeApiToken</code> if it leaks.
          </p>
          <output aria-label="Issued token" data-testid="issued-token">
            {issued.data.createApiToken.secret}
          </output>
        </div>
      )}
      <QueryState result={users} what="users" isEmpty={(d) => d.users.nodes.length === 0}>
        {(data) => (
          <>
            <table>
              <caption className="sr-only">Users</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Registration on {connector.name}</th>
                  <th scope="col">Sign-in</th>
                </tr>
              </thead>
              <tbody>
                {data.users.nodes.map((u) => {
                  const registration = active.find((r) => r.user.id === u.id);
                  return (
                    <tr key={u.id}>
                      <th scope="row">{u.name}</th>
                      <td>
                        <select aria-label={`Role of ${u.name}`} value={u.role} disabled={roleChanged.fetching}
                          onChange={async (e) => { const answer = await changeRole({ id: u.id, role: e.target.value as Role }); if (answer.data) { setNotice(`${u.name} is ${answer.data.updateUser.role} now.`); refreshUsers(); } }}>
                          <option value="ADMIN">ADMIN</option>
                          <option value="ACCOUNTANT">ACCOUNTANT</option>
                          <option value="VIEWER">VIEWER</option>
                        </select>
                      </td>
                      <td>
                        {registration ? (
                          <>
                            registered {formatTime(registration.createdAt)}{' '}
                            <button type="button" onClick={async () => { await revoke({ id: registration.id }); onChanged(); }}>
                              Revoke {u.name}'s registration
                            </button>
                          </>
                        ) : u.role === 'VIEWER' ? (
                          'viewers run no Web Connector'
                        ) : (
                          <button type="button" onClick={() => register(u.id, u.name)} disabled={createdRegistration.fetching}>
                            Create QWC file for {u.name}
                          </button>
                        )}
                      </td>
                      <td>
                        <button type="button" onClick={() => issueToken({ input: { userId: u.id, label: `console ${new Date().toISOString().slice(0, 10)}` } })} disabled={issued.fetching}>
                          Issue a token for {u.name}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <Pager cursor={cursor} pageInfo={data.users.pageInfo} totalCount={data.users.totalCount} label="users" />
          </>
        )}
      </QueryState>
      <form onSubmit={add} aria-label="Add a user" className="inline">
        <label htmlFor="user-name">Name</label>
        <input id="user-name" value={name} onChange={(e) => setName(e.target.value)} required />
        <label htmlFor="user-email">E-mail (optional)</label>
        <input id="user-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        <label htmlFor="user-role">Role</label>
        <select id="user-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          <option value="ACCOUNTANT">Accountant</option>
          <option value="ADMIN">Admin</option>
          <option value="VIEWER">Viewer</option>
        </select>
        <button type="submit" disabled={createdUser.fetching}>
          Add user
        </button>
      </form>
      <button type="button" onClick={onDone}>
        Continue
      </button>
    </div>
  );
}

function QwcStep({ connector, onDone }: { connector: SetupConnector; onDone: () => void }) {
  const { token } = useSession();
  const [error, setError] = useState<string | null>(null);
  const active = connector.registrations.filter((r) => !r.revokedAt);
  const download = (id: string) => downloadQwc(id, token ?? '').then(() => setError(null), (e: Error) => setError(e.message));
  return (
    <div>
      <p className="muted">
        In the Web Connector: <em>Add an application</em>, pick the <code>.qwc</code> file, and type the credential's password.
      </p>
      {error && <div className="error" role="alert">{error}</div>}
      {active.length === 0 ? (
        <p className="empty">
          No registration yet: <Link to={`/connectors/${connector.id}/setup/3`}>create one in step 3</Link>.
        </p>
      ) : (
        <ul className="plain">
          {active.map((r) => (
            <li key={r.id}>
              <button type="button" onClick={() => download(r.id)}>
                Download QWC for {r.user.name}
              </button>{' '}
              <span className="muted">(Web Connector user name {r.credentialUserName})</span>
            </li>
          ))}
        </ul>
      )}
      <button type="button" onClick={onDone}>
        Continue
      </button>
    </div>
  );
}

function LiveStatus({ connector, onChanged, onDone }: { connector: SetupConnector; onChanged: () => void; onDone: () => void }) {
  const [resolved, resolve] = useMutation(ResolveConnectorAlertDocument);
  const session = connector.lastSession;
  return (
    <div>
      <p className="muted">Run the Web Connector now (Update Selected). This page follows it as it talks to the service.</p>
      <dl className="status" aria-live="polite">
        <dt>Last contact</dt>
        <dd data-testid="last-contact">{connector.lastContactAt ? formatTime(connector.lastContactAt) : 'never'}</dd>
        <dt>Company file bound</dt>
        <dd data-testid="company-bound">{connector.company ? `${connector.company.companyName ?? 'yes'} ${connector.company.filePath ?? ''}`.trim() : 'not yet: the first Web Connector contact binds it'}</dd>
        <dt>Last session</dt>
        <dd data-testid="last-session">
          {session ? `${session.state} (${session.phase}) · ${session.succeededCount} succeeded, ${session.failedCount} failed of ${session.sentCount} sent${session.lastError ? ` · ${session.lastError}` : ''}` : 'none yet'}
        </dd>
      </dl>
      <h2>Alerts</h2>
      <ApiError error={resolved.error} />
      {connector.alerts.length === 0 ? (
        <p className="empty">No open alert.</p>
      ) : (
        <ul className="plain">
          {connector.alerts.map((a) => (
            <li key={a.id} className="alert">
              <strong>{a.kind}</strong>: {a.message} ({formatTime(a.createdAt)}){' '}
              <button type="button" onClick={async () => { await resolve({ id: a.id }); onChanged(); }}>
                Mark as dealt with
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="button" onClick={onDone}>
        Continue
      </button>
    </div>
  );
}

function EnableStep({ connector, onChanged }: { connector: SetupConnector; onChanged: () => void }) {
  const [updated, update] = useMutation(UpdateConnectorDocument);
  const toggle = async () => {
    await update({ id: connector.id, input: { enabled: !connector.enabled } });
    onChanged();
  };
  return (
    <div>
      <p data-testid="enabled-state">
        {connector.enabled ? `${connector.name} accepts Web Connector sessions: queued transfers go on its next run.` : `${connector.name} is paused: the Web Connector is refused until it is enabled.`}
      </p>
      <ApiError error={updated.error} />
      <button type="button" onClick={toggle} disabled={updated.fetching}>
        {connector.enabled ? 'Pause transfers' : 'Enable transfers'}
      </button>
      <p>
        Next: <Link to={`/connectors/${connector.id}/mappings`}>map items, classes and terms</Link>, then <Link to="/transfers">queue invoices</Link>.
      </p>
    </div>
  );
}
