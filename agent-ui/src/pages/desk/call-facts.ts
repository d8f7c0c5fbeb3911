import { useEffect, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { useApi } from '../../session/SessionProvider.tsx';

/** What the desk shows of the call being taken (GET /api/telephony/calls/:callId, the operator who answered it). */
export interface CallFacts {
  menuOption: string | null;
  skill: string | null;
  queuedAt: string | null;
  answeredAt: string | null;
  waitSeconds: number | null;
}

/** The ticket category a menu choice suggests (telephony/menu.ts options → tickets/vocabulary.ts categories). */
export const categoryOfMenuOption: Record<string, string> = { judge_contact: 'contact_judge', enquiry: 'enquiry', complaint: 'complaint' };

/**
 * The answered call's menu choice and wait. The call's record is written a moment after the answer (the call
 * journal batches its writes), so a 404 or 403 right after the screen pop is asked again, a few times.
 */
export function useCallFacts(callId: string | undefined): CallFacts | undefined {
  const api = useApi();
  const [facts, setFacts] = useState<CallFacts>();
  useEffect(() => {
    setFacts(undefined);
    if (!callId) return;
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = (attempt: number) =>
      api.get<CallFacts>(`/api/telephony/calls/${callId}`).then(
        (found) => current && setFacts(found),
        (err) => {
          const notYet = err instanceof ApiError && (err.status === 404 || err.status === 403);
          if (current && notYet && attempt < 5) timer = setTimeout(() => void load(attempt + 1), 400 * (attempt + 1));
        },
      );
    void load(0);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, callId]);
  return facts;
}
