import { HotlineError } from '../platform/errors.ts';

/** A request to telephony that cannot be done; `code` is stable, messages are Chinese first, English available. */
export class TelephonyError extends HotlineError {
  constructor(
    override readonly code:
      | 'operator_not_found'
      | 'not_an_operator'
      | 'no_softphone'
      | 'reason_required'
      | 'presence_conflict'
      | 'call_not_found'
      | 'not_your_call'
      | 'transfer_not_allowed'
      | 'call_not_connected'
      | 'transfer_target_invalid'
      | 'case_import_invalid',
    messageZh: string,
    messageEn: string,
    /** HTTP status the API answers with. */
    readonly status: 400 | 403 | 404 | 409 = 400,
  ) {
    super(code, status, messageEn, messageZh);
    this.name = 'TelephonyError';
  }
}
