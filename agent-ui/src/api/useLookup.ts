import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useApi } from '../session/SessionProvider.tsx';
import { ApiError } from './client.ts';
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
  refused: boolean;
}

/** A refusal (4xx but a timeout or a rate limit) would be refused again: not worth reading again by itself. */
const refusal = (err: unknown) => err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429;

/**
 * A list or setting the console reads to name things or fill a picker (GET `path`; no read while `path` is
 * undefined). When it cannot be read it is reported to the shell (UnreadLookupsProvider) and read again by itself,
 * after 5 s, doubling to 60 s, until it is read; a retry asked for by hand starts the backoff again. A refusal
 * (403, say) is reported but not read again by itself: it would be refused again.
 */
export function useLookup<T>(path: string | undefined, name: LookupName): Lookup<T> {
  const api = useApi();
  const report = useReportUnread();
  const key = useId();
  const [state, setState] = useState<State<T>>({ path, failed: false, refused: false });
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
        setState({ path, data, failed: false, refused: false });
      } catch (err) {
        if (!live || mine !== latest) return;
        failures += 1;
        const refused = refusal(err);
        setState((s) => (s.path === path ? { ...s, failed: true, refused } : { path, failed: true, refused }));
        if (!refused) timer = setTimeout(() => void attempt(), lookupRetryDelay(failures));
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
  const refused = failed && state.refused;
  useEffect(() => (failed ? report(key, { name, refused, retry: () => void read.current() }) : undefined), [failed, refused, name, key, report]);
  const reload = useCallback(() => read.current(), []);
  return { name, data: current ? state.data : undefined, failed, reload };
}
