/**
 * Signing in: the API token (from `npx qbd-bridge user create` or `createApiToken`) is kept in sessionStorage,
 * so it goes with the browser tab and never into a URL or cookie. Who signed in (`me`) shapes the screens; a
 * token the server stops accepting signs the tab out.
 */
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { Provider } from 'urql';
import { createApiClient } from './api';
import type { Role } from './generated/graphql';

const TOKEN_KEY = 'qbd-bridge.token';

export interface Session {
  readonly token: string | null;
  signIn(token: string): void;
  signOut(reason?: string): void;
  /** Why the last session ended (a refused token), shown on the sign-in screen. */
  readonly signedOutReason: string | null;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(TOKEN_KEY));
  const [signedOutReason, setReason] = useState<string | null>(null);
  const session = useMemo<Session>(
    () => ({
      token,
      signedOutReason,
      signIn(next) {
        sessionStorage.setItem(TOKEN_KEY, next);
        setReason(null);
        setToken(next);
      },
      signOut(reason) {
        sessionStorage.removeItem(TOKEN_KEY);
        setReason(reason ?? null);
        setToken(null);
      },
    }),
    [token, signedOutReason],
  );
  // A new client per token: nothing cached for one person is shown to the next.
  const client = useMemo(() => createApiClient(token ?? ''), [token]);
  return (
    <SessionContext.Provider value={session}>
      <Provider value={client}>{children}</Provider>
    </SessionContext.Provider>
  );
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

export interface Viewer {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
}

export const ViewerContext = createContext<Viewer | null>(null);

export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useViewer outside a signed-in screen');
  return viewer;
}

const RANK: Record<Role, number> = { VIEWER: 0, ACCOUNTANT: 1, ADMIN: 2 };

/** The same order as the server's roles (src/modules/user/role.ts); the server still decides. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}
