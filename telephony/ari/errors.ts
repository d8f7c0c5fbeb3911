/**
 * Domain errors for ARI commands. ari-client rejects with the response body as the message and drops the
 * HTTP status, so the mapping reads Asterisk's messages (see ../shared/asterisk-reference README, "Errors").
 * This is the one place that knows them.
 */
export class AriError extends Error {
  override name = 'AriError';
}

/** The channel, bridge, playback or recording no longer exists (usually: the caller hung up). */
export class AriGone extends AriError {
  override name = 'AriGone';
}

/** The endpoint could not be dialled (unknown or unregistered softphone: "Allocation failed"). */
export class AriEndpointUnavailable extends AriError {
  override name = 'AriEndpointUnavailable';
}

/** Asterisk is not reachable or not connected. */
export class AriUnavailable extends AriError {
  override name = 'AriUnavailable';
}

const goneMessages = ['Channel not found', 'Bridge not found', 'Playback not found', 'Recording not found', 'Channel not in Stasis application'];

export function toAriError(err: unknown, what: string): AriError {
  if (err instanceof AriError) return err;
  const text = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: string }).code;
  let message = text;
  try {
    const body = JSON.parse(text) as { message?: string; error?: string };
    message = body.message ?? body.error ?? text;
  } catch {
    // not a JSON body: a network error or a plain message
  }
  if (goneMessages.some((m) => message.includes(m))) return new AriGone(`${what}: ${message}`);
  if (message.includes('Allocation failed') || message.includes('Endpoint not found')) return new AriEndpointUnavailable(`${what}: ${message}`);
  // undici's own codes (UND_ERR_…): the connection closed, or no answer within the timeout.
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT' || code?.startsWith('UND_ERR_') || /ECONNREFUSED|ECONNRESET|socket hang up/.test(message)) {
    return new AriUnavailable(`${what}: ${message}`);
  }
  return new AriError(`${what}: ${message}`);
}
