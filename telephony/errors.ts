/** A request to telephony that cannot be done; `code` is stable, messages are Chinese first, English available. */
export class TelephonyError extends Error {
  override name = 'TelephonyError';
  constructor(
    readonly code: 'operator_not_found' | 'not_an_operator' | 'no_softphone' | 'reason_required' | 'presence_conflict',
    readonly messageZh: string,
    messageEn: string,
    /** HTTP status the API should answer with. */
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(messageEn);
  }
}
