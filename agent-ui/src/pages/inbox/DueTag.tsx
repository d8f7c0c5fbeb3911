import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../api/types.ts';
import { dueState } from './due.ts';

export function DueTag({ ticket }: { ticket: Pick<Ticket, 'deadline' | 'stage'> }) {
  const { t } = useTranslation();
  const state = dueState(ticket);
  if (state === 'overdue') return <Tag color="red">{t('inbox.overdue')}</Tag>;
  if (state === 'due_soon') return <Tag color="orange">{t('inbox.dueSoon')}</Tag>;
  return null;
}
