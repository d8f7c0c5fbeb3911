import { createContext, useContext, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

/**
 * The header bar's free space, left of the live-connection status: where a page shows a notice that must not take
 * height from the page itself (the operator desk fills one 1366×768 screen exactly).
 */
const Slot = createContext<HTMLElement | null>(null);

/** Gives the pages below it the header's notice area (an element of AppShell's header). */
export function HeaderNoticeArea({ slot, children }: { slot: HTMLElement | null; children: ReactNode }) {
  return <Slot.Provider value={slot}>{children}</Slot.Provider>;
}

/** Shows its children in the header bar while the page that renders it is open. */
export function HeaderNotice({ children }: { children: ReactNode }) {
  const slot = useContext(Slot);
  return slot ? createPortal(children, slot) : null;
}
