import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, session } from '../api/endpoints';
import { followStream, type StreamState } from '../api/sse';
import type { Notification } from '../api/types';
import { useAuth } from './auth';

interface AlertsState {
  unread: number;
  /** newest first: what arrived live plus the latest of the inbox */
  recent: Notification[];
  stream: StreamState;
  /** the newest alert that arrived live, for the screen-reader announcement */
  latest: Notification | null;
  markRead(id: number): Promise<void>;
  markAllRead(): Promise<void>;
  reload(): Promise<void>;
}

const AlertsContext = createContext<AlertsState | null>(null);

/** Keeps the alert bell current: the inbox's unread count, then every alert the SSE stream delivers. */
export function AlertsProvider({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  const [unread, setUnread] = useState(0);
  const [recent, setRecent] = useState<Notification[]>([]);
  const [stream, setStream] = useState<StreamState>('stopped');
  const [latest, setLatest] = useState<Notification | null>(null);
  const seen = useRef(new Set<number>());

  const reload = useCallback(async () => {
    const [unreadPage, latestPage] = await Promise.all([api.notifications(true, 0), api.notifications(false, 0)]);
    latestPage.content.forEach((n) => seen.current.add(n.id));
    setUnread(unreadPage.totalElements);
    setRecent(latestPage.content.slice(0, 20));
  }, []);

  useEffect(() => {
    seen.current = new Set();
    if (!user) {
      setUnread(0);
      setRecent([]);
      setStream('stopped');
      return;
    }
    reload().catch(() => undefined);
    const stop = followStream({
      url: '/api/v1/notifications/stream',
      token: () => session.validAccessToken(),
      renewToken: () => session.refresh(),
      onState: setStream,
      onEvent: (event) => {
        let alert: Notification;
        try {
          alert = JSON.parse(event.data) as Notification;
        } catch {
          return;
        }
        if (typeof alert?.id !== 'number') {
          return;
        }
        // a replay after a reconnect may repeat what the inbox already showed
        if (seen.current.has(alert.id)) {
          return;
        }
        seen.current.add(alert.id);
        if (!alert.readAt) {
          setUnread((n) => n + 1);
        }
        setRecent((list) => [alert, ...list].slice(0, 20));
        setLatest(alert);
      },
    });
    return stop;
  }, [user, reload]);

  const markRead = useCallback(async (id: number) => {
    await api.markRead(id);
    setRecent((list) => list.map((n) => (n.id === id && !n.readAt ? { ...n, readAt: new Date().toISOString() } : n)));
    setUnread((u) => Math.max(0, u - 1));
  }, []);

  const markAllRead = useCallback(async () => {
    await api.markAllRead();
    setUnread(0);
    setRecent((list) => list.map((n) => (n.readAt ? n : { ...n, readAt: new Date().toISOString() })));
  }, []);

  const value = useMemo(
    () => ({ unread, recent, stream, latest, markRead, markAllRead, reload }),
    [unread, recent, stream, latest, markRead, markAllRead, reload],
  );
  return <AlertsContext.Provider value={value}>{children}</AlertsContext.Provider>;
}

export function useAlerts(): AlertsState {
  const state = useContext(AlertsContext);
  if (!state) {
    throw new Error('useAlerts outside AlertsProvider');
  }
  return state;
}
