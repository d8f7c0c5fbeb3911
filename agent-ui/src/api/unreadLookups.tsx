import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

/** What a lookup is called in the console's words (i18n `lookups.names.*`). */
export type LookupName = 'categories' | 'softphone' | 'departments' | 'judges' | 'operators' | 'callSettings' | 'liveCalls';

/** A lookup that could not be read, and how to read it again now. */
export interface UnreadLookup {
  name: LookupName;
  retry: () => void;
  /** Refused by the server (a 4xx other than 408/429): not read again by itself, since it would be refused again. */
  refused: boolean;
}

type Report = (key: string, lookup: UnreadLookup) => () => void;

const ReportContext = createContext<Report>(() => () => undefined);
const UnreadContext = createContext<UnreadLookup[]>([]);

/**
 * Collects the lookups below it that could not be read (useLookup reports them), for one notice in the shell:
 * nothing fails silently. A lookup leaves the list when it is read or when its component goes away.
 */
export function UnreadLookupsProvider({ children }: { children: ReactNode }) {
  const [unread, setUnread] = useState<ReadonlyMap<string, UnreadLookup>>(new Map());
  const report = useCallback<Report>((key, lookup) => {
    setUnread((all) => new Map(all).set(key, lookup));
    return () =>
      setUnread((all) => {
        const rest = new Map(all);
        rest.delete(key);
        return rest;
      });
  }, []);
  const list = useMemo(() => [...unread.values()], [unread]);
  return (
    <ReportContext.Provider value={report}>
      <UnreadContext.Provider value={list}>{children}</UnreadContext.Provider>
    </ReportContext.Provider>
  );
}

/** Registers an unread lookup under `key`; the function returned takes it off the list. */
export const useReportUnread = (): Report => useContext(ReportContext);

/** The lookups that could not be read at their last try. */
export const useUnreadLookups = (): UnreadLookup[] => useContext(UnreadContext);
