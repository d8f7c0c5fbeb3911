import { HotlineError } from '../platform/errors.ts';

/** A request to telephony that cannot be done; `code` is stable, messages are Chinese first, English available. */
export class TelephonyError extends HotlineError {
  constructor(
    override readonly code: 'operator_not_found' | 'not_an_operator' | 'no_softphone' | 'reason_required' | 'presence_conflict',
    messageZh: string,
    messageEn: string,
    /** HTTP status the API answers with. */
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(code, status, messageEn, messageZh);
    this.name = 'TelephonyError';
  }
}
