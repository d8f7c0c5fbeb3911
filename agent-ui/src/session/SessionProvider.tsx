import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiClient } from '../api/client.ts';
import type { Profile } from '../api/types.ts';

export type SessionState = { kind: 'loading' } | { kind: 'signed-out'; reason?: 'expired' | 'signed-out' } | { kind: 'signed-in'; profile: Profile };

interface SessionContextValue {
  state: SessionState;
  api: ApiClient;
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** The server says the session is over (401 on a request, 4401 on the websocket). */
  sessionEnded: () => void;
  /** The user changed their password: the profile the server answered (mustChangePassword now false). */
  passwordChanged: (profile: Profile) => void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/** Who is signed in: asked of /api/auth/me on load, set by sign-in, cleared by sign-out or when the server ends the session. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ kind: 'loading' });
  const sessionEnded = useCallback(() => setState((current) => (current.kind === 'signed-in' ? { kind: 'signed-out', reason: 'expired' } : current)), []);
  const api = useMemo(() => new ApiClient({ onSessionEnded: sessionEnded }), [sessionEnded]);

  useEffect(() => {
    api.get<Profile>('/api/auth/me').then(
      (profile) => setState({ kind: 'signed-in', profile }),
      () => setState({ kind: 'signed-out' }),
    );
  }, [api]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      const profile = await api.post<Profile>('/api/auth/sign-in', { username, password });
      setState({ kind: 'signed-in', profile });
    },
    [api],
  );
  const signOut = useCallback(async () => {
    await api.post('/api/auth/sign-out').catch(() => undefined);
    setState({ kind: 'signed-out', reason: 'signed-out' });
  }, [api]);

  const passwordChanged = useCallback((profile: Profile) => setState({ kind: 'signed-in', profile }), []);

  const value = useMemo(() => ({ state, api, signIn, signOut, sessionEnded, passwordChanged }), [state, api, signIn, signOut, sessionEnded, passwordChanged]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in user's profile (only inside the signed-in part of the app). */
export function useProfile(): Profile {
  const { state } = useSession();
  if (state.kind !== 'signed-in') throw new Error('useProfile while signed out');
  return state.profile;
}

export function useApi(): ApiClient {
  return useSession().api;
}
