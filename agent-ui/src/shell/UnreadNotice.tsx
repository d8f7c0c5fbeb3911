import { Alert, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useUnreadLookups } from '../api/unreadLookups.tsx';

/**
 * One line naming what the console could not read ("部分信息暂时无法读取：部门名单、法官名单（正在重试）"), with a
 * button to read them again now; gone once all are read. It sits in the header bar, so it takes no height from a page.
 */
export function UnreadNotice() {
  const { t } = useTranslation();
  const unread = useUnreadLookups();
  if (unread.length === 0) return null;
  const namesOf = (list: typeof unread) => [...new Set(list.map((u) => u.name))].map((name) => t(`lookups.names.${name}`)).join(t('lookups.separator'));
  // "Retrying" only for what is being read again by itself; a refusal needs a person, and says so apart.
  const retrying = unread.filter((u) => !u.refused);
  const refused = unread.filter((u) => u.refused);
  const text = [retrying.length > 0 && t('lookups.notice', { names: namesOf(retrying) }), refused.length > 0 && t('lookups.noticeRefused', { names: namesOf(refused) })]
    .filter(Boolean)
    .join(t('lookups.clauseSeparator'));
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="lookups-unread"
      style={{ padding: '4px 12px', minWidth: 0, flex: '0 1 auto', lineHeight: 'normal' }}
      title={<span title={text} style={{ display: 'block', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>{text}</span>}
      action={
        <Button size="small" onClick={() => unread.forEach((u) => u.retry())} data-testid="lookups-retry">
          {t('lookups.retry')}
        </Button>
      }
    />
  );
}
