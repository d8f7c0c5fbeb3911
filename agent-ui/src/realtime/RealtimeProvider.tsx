import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { RealtimeClient, type RealtimeEvent, type RealtimeStatus } from './realtime-client.ts';

type Listener = (event: RealtimeEvent) => void;

interface RealtimeContextValue {
  status: RealtimeStatus;
  /** Listen to events of these types ('resync' included when asked); returns the unsubscribe function. */
  subscribe: (types: string[], listener: Listener) => () => void;
}

const RealtimeContext = createContext<RealtimeContextValue | null>(null);

/** One websocket per signed-in console, shared by every page through subscribe(). */
export function RealtimeProvider({ children, onSessionEnded }: { children: ReactNode; onSessionEnded: () => void }) {
  const [status, setStatus] = useState<RealtimeStatus>('connecting');
  const listeners = useRef(new Set<{ types: string[]; listener: Listener }>());
  const sessionEnded = useRef(onSessionEnded);
  sessionEnded.current = onSessionEnded;

  useEffect(() => {
    const client = new RealtimeClient({
      onStatus: setStatus,
      onSessionEnded: () => sessionEnded.current(),
      onEvent: (event) => {
        for (const entry of listeners.current) if (entry.types.includes(event.type)) entry.listener(event);
      },
    });
    client.start();
    return () => client.stop();
  }, []);

  const subscribe = useCallback((types: string[], listener: Listener) => {
    const entry = { types, listener };
    listeners.current.add(entry);
    return () => void listeners.current.delete(entry);
  }, []);
  const value = useMemo<RealtimeContextValue>(() => ({ status, subscribe }), [status, subscribe]);
  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

export function useRealtimeStatus(): RealtimeStatus {
  return useRealtime().status;
}

/** Calls `listener` for each event of `types` while the component is mounted. */
export function useRealtimeEvents(types: string[], listener: Listener): void {
  const { subscribe } = useRealtime();
  const latest = useRef(listener);
  latest.current = listener;
  const key = types.join(',');
  useEffect(() => subscribe(key.split(','), (event) => latest.current(event)), [subscribe, key]);
}

function useRealtime(): RealtimeContextValue {
  const value = useContext(RealtimeContext);
  if (!value) throw new Error('useRealtime outside RealtimeProvider');
  return value;
}
