/**
 * The signed-in session: the access token and user, kept in localStorage so a reload keeps the
 * labeler working, dropped when the token expires or the API answers 401.
 */
import type { LoginResponse, UserView } from '@borda/api-contract';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { ApiClient } from '../api/client';

const STORAGE_KEY = 'borda.session';

export interface StoredSession {
  readonly accessToken: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  readonly user: UserView;
}

export interface SessionContextValue {
  readonly session: StoredSession | null;
  readonly user: UserView | null;
  readonly api: ApiClient;
  login(email: string, password: string): Promise<UserView>;
  logout(): void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

function readStored(): StoredSession | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as StoredSession;
    return parsed.expiresAt > Date.now() ? parsed : null;
  } catch {
    return null;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<StoredSession | null>(readStored);

  /** Drops the session here only (what a 401 does: the server has already ended it). */
  const forget = useCallback(() => {
    localStorage.removeItem(STORAGE_KEY);
    setSession(null);
  }, []);

  // The client reads the token at call time, so one instance serves the whole session's lifetime.
  const api = useMemo(() => new ApiClient(() => readStored()?.accessToken ?? null, forget), [forget]);

  /**
   * Signing out ends the session on the server too, so the token is useless if it was copied. The
   * request reads the token before its first await, that is before `forget` below removes it.
   */
  const logout = useCallback(() => {
    if (readStored()) void api.post('/auth/logout').catch(() => undefined);
    forget();
  }, [api, forget]);

  const login = useCallback(
    async (email: string, password: string) => {
      const response = await api.post<LoginResponse>('/auth/login', { email, password });
      const stored: StoredSession = {
        accessToken: response.accessToken,
        expiresAt: Date.now() + response.expiresIn * 1000,
        user: response.user,
      };
      localStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
      setSession(stored);
      return response.user;
    },
    [api],
  );

  const value = useMemo<SessionContextValue>(
    () => ({ session, user: session?.user ?? null, api, login, logout }),
    [session, api, login, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The API client of the signed-in session. */
export function useApi(): ApiClient {
  return useSession().api;
}

/** A provider with a fixed session, for component tests. */
export function TestSessionProvider({ value, children }: { value: SessionContextValue; children: ReactNode }) {
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
