/**
 * The console's frame: sign-in, then the navigation the signed-in role may use and a URL per screen. Hiding
 * a screen is only courtesy: every operation is still authorized by the server, whose refusal a screen shows.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { NavLink, Navigate, Route, Routes, useLocation } from 'react-router';
import { useApi, isUnauthenticated } from './api';
import { ApiError, Loading } from './components';
import { MeDocument, type Role } from './generated/graphql';
import { roleAtLeast, useSession, useViewer, ViewerContext } from './session';
import { ConnectorsScreen } from './screens/Connectors';
import { SetupWizard, NewConnector } from './screens/SetupWizard';
import { TransfersScreen } from './screens/Transfers';
import { MappingsScreen } from './screens/Mappings';
import { RoutingScreen } from './screens/Routing';
import { CustomerImportScreen } from './screens/CustomerImport';
import { AutotaskScreen } from './screens/Autotask';
import { AuditScreen } from './screens/Audit';
import { MyQwcFilesScreen } from './screens/MyQwcFiles';

interface Screen {
  readonly path: string;
  readonly label: string;
  readonly role: Role;
  readonly element: ReactNode;
  readonly inNav: boolean;
}

const SCREENS: Screen[] = [
  { path: '/transfers', label: 'Transfers', role: 'VIEWER', element: <TransfersScreen />, inNav: true },
  { path: '/connectors', label: 'Connectors', role: 'VIEWER', element: <ConnectorsScreen />, inNav: true },
  { path: '/connectors/new', label: 'New connector', role: 'ADMIN', element: <NewConnector />, inNav: false },
  { path: '/connectors/:id/setup/:step', label: 'Set-up', role: 'ADMIN', element: <SetupWizard />, inNav: false },
  { path: '/connectors/:id/mappings', label: 'Mappings', role: 'VIEWER', element: <MappingsScreen />, inNav: false },
  { path: '/qwc-files', label: 'My QWC files', role: 'ACCOUNTANT', element: <MyQwcFilesScreen />, inNav: true },
  { path: '/routing', label: 'Routing', role: 'VIEWER', element: <RoutingScreen />, inNav: true },
  { path: '/customer-import', label: 'Customer import', role: 'ADMIN', element: <CustomerImportScreen />, inNav: true },
  { path: '/autotask', label: 'Autotask', role: 'ADMIN', element: <AutotaskScreen />, inNav: true },
  { path: '/audit', label: 'Audit log', role: 'ADMIN', element: <AuditScreen />, inNav: true },
];

export function App() {
  const session = useSession();
  if (!session.token) return <SignIn />;
  return <SignedIn />;
}

function SignIn() {
  const session = useSession();
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) session.signIn(token.trim());
  };
  return (
    <main className="sign-in">
      <h1>qbd-bridge</h1>
      <form onSubmit={submit} aria-label="Sign in">
        <label htmlFor="token">API token</label>
        <input id="token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} placeholder="qbdb_…" autoFocus />
        <button type="submit">Sign in</button>
        <p className="muted">
          The first admin's token comes from <code>npx qbd-bridge user create --name "…" --role ADMIN</code>; an admin gives everyone else theirs.
        </p>
        {session.signedOutReason && (
          <div className="error" role="alert">
            {session.signedOutReason}
          </div>
        )}
      </form>
    </main>
  );
}

function SignedIn() {
  const session = useSession();
  const [me] = useApi(MeDocument, {});
  useEffect(() => {
    if (isUnauthenticated(me.error)) session.signOut(me.error?.graphQLErrors[0]?.message ?? 'The token was refused.');
  }, [me.error, session]);
  if (!me.data) return me.error ? <ApiError error={me.error} /> : <Loading what="your account" />;
  return (
    <ViewerContext.Provider value={me.data.me}>
      <Frame />
    </ViewerContext.Provider>
  );
}

function Frame() {
  const viewer = useViewer();
  const session = useSession();
  const location = useLocation();
  const home = roleAtLeast(viewer.role, 'ADMIN') ? '/connectors' : '/transfers';
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">qbd-bridge</span>
        <nav aria-label="Screens">
          {SCREENS.filter((s) => s.inNav && roleAtLeast(viewer.role, s.role)).map((s) => (
            <NavLink key={s.path} to={s.path}>
              {s.label}
            </NavLink>
          ))}
        </nav>
        <span className="who">
          {viewer.name} · <span data-testid="role">{viewer.role}</span>
        </span>
        <button type="button" onClick={() => session.signOut()}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1} key={location.pathname}>
        <Routes>
          <Route path="/" element={<Navigate to={home} replace />} />
          {SCREENS.map((s) => (
            <Route key={s.path} path={s.path} element={roleAtLeast(viewer.role, s.role) ? s.element : <NotForRole screen={s.label} role={s.role} />} />
          ))}
          <Route path="*" element={<p>There is no such screen. <NavLink to={home}>Go to the start</NavLink>.</p>} />
        </Routes>
      </main>
    </>
  );
}

function NotForRole({ screen, role }: { screen: string; role: Role }) {
  const viewer = useViewer();
  return (
    <div className="error" role="alert">
      {screen} is for the {role} role and up; you are signed in as {viewer.role}.
    </div>
  );
}
