import { Descriptions, Tag } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../api/types.ts';
import { DueTag } from './DueTag.tsx';

/** The read-only part of a ticket, as a judge needs it to answer. */
export function TicketDetails({ ticket, categoryName }: { ticket: Ticket; categoryName: string }) {
  const { t } = useTranslation();
  const time = (value: string | null) => (value ? dayjs(value).format('YYYY-MM-DD HH:mm') : t('common.none'));
  return (
    <Descriptions column={1} size="small" bordered>
      <Descriptions.Item label={t('inbox.number')}>{ticket.number}</Descriptions.Item>
      <Descriptions.Item label={t('inbox.stage')}>
        <Tag>{t(`stages.${ticket.stage}`)}</Tag> {ticket.acceptedAt ? <Tag color="blue">{t('inbox.accepted')}</Tag> : <Tag>{t('inbox.notAccepted')}</Tag>}
      </Descriptions.Item>
      <Descriptions.Item label={t('inbox.deadline')}>
        {time(ticket.deadline)} <DueTag ticket={ticket} />
      </Descriptions.Item>
      <Descriptions.Item label={t('inbox.category')}>{categoryName}</Descriptions.Item>
      <Descriptions.Item label={t('inbox.caseNumber')}>{ticket.caseNumber ?? t('common.none')}</Descriptions.Item>
      <Descriptions.Item label={t('inbox.caller')}>{[ticket.callerName, ticket.callerNumber].filter(Boolean).join(' ') || t('common.none')}</Descriptions.Item>
      <Descriptions.Item label={t('inbox.summary')}>{ticket.summary}</Descriptions.Item>
      <Descriptions.Item label={t('inbox.details')}>
        <div style={{ whiteSpace: 'pre-wrap' }}>{ticket.details || t('common.none')}</div>
      </Descriptions.Item>
      {ticket.extensionRequestedUntil && (
        <Descriptions.Item label={t('inbox.extension')}>
          {time(ticket.extensionRequestedUntil)} · {ticket.extensionReason}
        </Descriptions.Item>
      )}
      {ticket.chaseLevel > 0 && <Descriptions.Item label={t('inbox.chaseLevel')}>{ticket.chaseLevel}</Descriptions.Item>}
      {ticket.feedbackText && <Descriptions.Item label={t('inbox.replyText')}>{ticket.feedbackText}</Descriptions.Item>}
    </Descriptions>
  );
}
