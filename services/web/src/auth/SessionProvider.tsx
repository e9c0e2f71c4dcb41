import { useQueryClient } from '@tanstack/react-query';
import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, call, CallOptions, Service } from '../api/http';
import { Acting, deserialize, refreshDelay, serialize, Session, sessionFrom, TokenResponse } from './session';

const STORAGE_KEY = 'cbme.session';

export type Api = <T>(service: Service, path: string, options?: CallOptions) => Promise<T>;

interface SessionContextValue {
  session?: Session;
  /** why the last session ended without the user signing out ("expired") */
  ended?: string;
  signIn(email: string, password: string): Promise<void>;
  completeSso(query: string): Promise<string | undefined>;
  signOut(reason?: string): void;
  act(acting: Acting): void;
  api: Api;
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [session, setSession] = useState<Session | undefined>(() => deserialize(sessionStorage.getItem(STORAGE_KEY)));
  const [ended, setEnded] = useState<string>();
  const current = useRef(session);
  const refreshing = useRef<Promise<Session | undefined> | undefined>(undefined);

  const keep = useCallback((next: Session | undefined) => {
    current.current = next;
    if (next) sessionStorage.setItem(STORAGE_KEY, serialize(next));
    else sessionStorage.removeItem(STORAGE_KEY);
    setSession(next);
  }, []);

  const signOut = useCallback(
    (reason?: string) => {
      keep(undefined);
      setEnded(reason);
      queryClient.clear();
    },
    [keep, queryClient],
  );

  /** One refresh at a time: the refresh token is single-use. */
  const refresh = useCallback((): Promise<Session | undefined> => {
    const before = current.current;
    if (!before) return Promise.resolve(undefined);
    refreshing.current ??= call<TokenResponse>('identity', '/auth/refresh', { body: { refreshToken: before.refreshToken } })
      .then((tokens) => {
        const next = sessionFrom(tokens, Date.now(), before.acting);
        keep(next);
        return next;
      })
      .catch((error) => {
        if (error instanceof ApiError) signOut('Your session has expired. Sign in again to continue.');
        return undefined;
      })
      .finally(() => {
        refreshing.current = undefined;
      });
    return refreshing.current;
  }, [keep, signOut]);

  // refresh the access token before it expires
  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(() => void refresh(), refreshDelay(session, Date.now()));
    return () => clearTimeout(timer);
  }, [session, refresh]);

  const api = useCallback<Api>(
    async <T,>(service: Service, path: string, options: CallOptions = {}) => {
      const send = (s: Session) =>
        call<T>(service, path, {
          ...options,
          headers: { authorization: `Bearer ${s.accessToken}`, 'x-school-id': s.acting.schoolId, 'x-acting-role': s.acting.role, ...options.headers },
        });
      const s = current.current;
      if (!s) throw new ApiError(401, 'You are signed out.');
      try {
        return await send(s);
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 401) throw error;
        const renewed = await refresh();
        if (!renewed) throw error;
        return send(renewed);
      }
    },
    [refresh],
  );

  const value = useMemo<SessionContextValue>(
    () => ({
      session,
      ended,
      api,
      signOut,
      async signIn(email, password) {
        const tokens = await call<TokenResponse>('identity', '/auth/login', { body: { email, password } });
        setEnded(undefined);
        keep(sessionFrom(tokens, Date.now()));
      },
      async completeSso(query) {
        const answer = await call<TokenResponse & { returnTo?: string }>('identity', `/auth/sso/callback?${query}`);
        setEnded(undefined);
        keep(sessionFrom(answer, Date.now()));
        return answer.returnTo;
      },
      act(acting) {
        const s = current.current;
        if (!s) return;
        keep({ ...s, acting });
        queryClient.clear();
      },
    }),
    [session, ended, api, signOut, keep, queryClient],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in session (inside RequireSession, it is always there). */
export function useSignedIn(): Session & { api: Api } {
  const { session, api } = useSession();
  if (!session) throw new Error('useSignedIn outside RequireSession');
  return { ...session, api };
}

/**
 * The pages inside act in one school (the institution admin, whose own acting school is "*", opening a learner's
 * page of a school): every call names that school, and the pages read it as the acting school.
 */
export function InSchool({ schoolId, children }: { schoolId: string; children: ReactNode }) {
  const outer = useSession();
  const value = useMemo<SessionContextValue>(() => ({
    ...outer,
    session: outer.session && { ...outer.session, acting: { ...outer.session.acting, schoolId } },
    api: (service, path, options = {}) => outer.api(service, path, { ...options, headers: { 'x-school-id': schoolId, ...options.headers } }),
  }), [outer, schoolId]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
