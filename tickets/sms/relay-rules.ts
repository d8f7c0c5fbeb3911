import { and, eq, inArray } from 'drizzle-orm';
import { HotlineError } from '../../platform/errors.ts';
import type { Tx } from '../audit.ts';
import { deliveries } from '../outbox.sql.ts';

/** SMS relay asked for where no gateway is configured: refused (409, the deployment does not allow it) before anything is written. */
export const smsNotConfigured = () =>
  new HotlineError(
    'sms_not_configured',
    409,
    'No SMS gateway is configured: relay the reply by phone (an administrator sets SMS_GATEWAY, see docs/configuration.md)',
    '未配置短信网关，无法短信转告：请电话转告（管理员可设置 SMS_GATEWAY，见 docs/configuration.md）',
  );

/** "Delivered by SMS" typed in by a person: refused, an SMS counts as delivered only on the gateway's receipt. */
export const smsDeliveryByReceipt = () =>
  new HotlineError(
    'sms_delivery_by_receipt',
    400,
    "An SMS is recorded as delivered only by the gateway's delivery receipt, not by hand: relay it by SMS, or record a phone relay",
    '短信是否送达只以短信网关的送达回执为准，不能手工登记：请发送短信转告，或登记电话转告结果',
  );

/** Whether an SMS relay of the ticket is under way (not yet delivered or failed). */
export async function smsRelayPending(tx: Tx, ticketId: string): Promise<boolean> {
  const rows = await tx
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(and(eq(deliveries.ticketId, ticketId), eq(deliveries.purpose, 'feedback'), eq(deliveries.channel, 'sms'), inArray(deliveries.status, ['requested', 'sending', 'sent'])))
    .limit(1);
  return rows.length > 0;
}
