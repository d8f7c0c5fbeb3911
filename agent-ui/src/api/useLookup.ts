import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useApi } from '../session/SessionProvider.tsx';
import { lookupRetryDelay } from './lookupRetryDelay.ts';
import { useReportUnread, type LookupName } from './unreadLookups.tsx';

export interface Lookup<T> {
  name: LookupName;
  /** The last answer read from `path` (kept while a later read fails), or undefined. */
  data: T | undefined;
  /** The last read failed: the shell's notice lists it and it is read again by itself. */
  failed: boolean;
  /** Reads it again now (settles when the read is done; a failure is reported, not thrown). */
  reload: () => Promise<void>;
}

interface State<T> {
  path: string | undefined;
  data?: T;
  failed: boolean;
}

/**
 * A list or setting the console reads to name things or fill a picker (GET `path`; no read while `path` is
 * undefined). When it cannot be read it is reported to the shell (UnreadLookupsProvider) and read again by itself,
 * after 5 s, doubling to 60 s, until it is read; a retry asked for by hand starts the backoff again.
 */
export function useLookup<T>(path: string | undefined, name: LookupName): Lookup<T> {
  const api = useApi();
  const report = useReportUnread();
  const key = useId();
  const [state, setState] = useState<State<T>>({ path, failed: false });
  const read = useRef<() => Promise<void>>(async () => undefined);

  useEffect(() => {
    if (!path) return;
    let live = true;
    let latest = 0;
    let failures = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const attempt = async () => {
      clearTimeout(timer);
      const mine = ++latest;
      try {
        const data = await api.get<T>(path);
        if (!live || mine !== latest) return;
        failures = 0;
        setState({ path, data, failed: false });
      } catch {
        if (!live || mine !== latest) return;
        failures += 1;
        setState((s) => (s.path === path ? { ...s, failed: true } : { path, failed: true }));
        timer = setTimeout(() => void attempt(), lookupRetryDelay(failures));
      }
    };
    // Asked for by a person (重试, or a page's reload): the backoff starts again, so a list back by then is not
    // kept waiting behind the longer waits its earlier failures earned.
    read.current = () => {
      failures = 0;
      return attempt();
    };
    void attempt();
    return () => {
      live = false;
      clearTimeout(timer);
      read.current = async () => undefined;
    };
  }, [api, path]);

  const current = state.path === path;
  const failed = current && state.failed;
  useEffect(() => (failed ? report(key, { name, retry: () => void read.current() }) : undefined), [failed, name, key, report]);
  const reload = useCallback(() => read.current(), []);
  return { name, data: current ? state.data : undefined, failed, reload };
}
