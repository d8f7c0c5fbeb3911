import { useEffect, useState } from 'react';

const outboundPath = '/api/telephony/outbound';
let known: Promise<boolean> | undefined;

/**
 * Whether the server offers outbound calling (POST /api/telephony/outbound), read once from its OpenAPI
 * description (public, generated from the routes it actually mounts). Until it does, the callback button
 * stays disabled and says why.
 */
export function useOutboundAvailable(): boolean {
  const [available, setAvailable] = useState(false);
  useEffect(() => {
    known ??= fetch('/docs/json')
      .then((response) => (response.ok ? response.json() : {}))
      .then((doc: { paths?: Record<string, Record<string, unknown>> }) => Boolean(doc.paths?.[outboundPath]?.post))
      .catch(() => false);
    let current = true;
    void known.then((value) => current && setAvailable(value));
    return () => void (current = false);
  }, []);
  return available;
}
