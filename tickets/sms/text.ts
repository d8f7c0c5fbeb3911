import { maskPersonalText, maskPhone } from '../../platform/masking.ts';
import type { SmsMessage } from '../ports.ts';

/** The fields of an SMS fit for a log line: the number masked, the text never written (only its length). */
export function smsLogFields(message: Pick<SmsMessage, 'to' | 'text' | 'idempotencyKey'>): { to: string | null; text: string; deliveryId: string } {
  return { to: maskPhone(message.to), text: `<${[...message.text].length} chars>`, deliveryId: message.idempotencyKey };
}

/** A gateway's error text may echo the number or the message: masked before it reaches a log or a row. */
export function maskGatewayText(text: string): string {
  return maskPersonalText(text).slice(0, 500);
}

/** The reply relayed to the caller (反馈). */
export function feedbackText(ticketNumber: string, reply: string): string {
  return `【12368】您的来电事项（工单号 ${ticketNumber}）答复如下：${reply}`;
}

const chinaDate = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });

/** The caller told at hand-off (首问负责, seed 001 §4.1): the ticket number, who handles it and by when. */
export function handoffText(ticketNumber: string, handler: string, deadline: Date | null): string {
  const by = deadline ? `，办理期限至 ${chinaDate.format(deadline)}` : '';
  return `【12368】您反映的事项已登记（工单号 ${ticketNumber}），已交由${handler}办理${by}。如需查询，请拨打12368并提供工单号。`;
}
