import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, session } from '../api/endpoints';
import type { User } from '../api/types';

interface AuthState {
  /** undefined while the session is being restored after a reload */
  user: User | null | undefined;
  login(email: string, password: string): Promise<User>;
  logout(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(session.active ? undefined : null);

  useEffect(() => {
    let cancelled = false;
    if (session.active) {
      api
        .me()
        .then((me) => !cancelled && setUser(me))
        .catch(() => !cancelled && setUser(null));
    }
    const stop = session.onEnded(() => setUser(null));
    // logging out (or in) in another tab changes the kept refresh token
    const onStorage = (e: StorageEvent) => {
      if (e.key === 'couponhub.refreshToken' && e.newValue === null) {
        session.forget();
        setUser(null);
      }
    };
    window.addEventListener('storage', onStorage);
    return () => {
      cancelled = true;
      stop();
      window.removeEventListener('storage', onStorage);
    };
  }, []);

  const login = useCallback(async (email: string, password: string) => {
    await session.login(email, password);
    const me = await api.me();
    setUser(me);
    return me;
  }, []);

  const logout = useCallback(async () => {
    await session.logout();
    setUser(null);
  }, []);

  const value = useMemo(() => ({ user, login, logout }), [user, login, logout]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) {
    throw new Error('useAuth outside AuthProvider');
  }
  return state;
}
