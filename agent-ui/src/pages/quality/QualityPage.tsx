import { Card, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useProfile } from '../../session/SessionProvider.tsx';
import { FiguresTab } from './FiguresTab.tsx';
import { FormsTab } from './FormsTab.tsx';
import { QueueTab } from './QueueTab.tsx';

/** 录音质检: what each role does here — operators their own reviews; heads score and read figures; managers also keep forms and decide appeals. */
export default function QualityPage() {
  const { t } = useTranslation();
  const { role } = useProfile();
  const tabs =
    role === 'operator'
      ? [{ key: 'mine', label: t('quality.tabs.mine'), children: <QueueTab testId="quality-mine" /> }]
      : [
          { key: 'queue', label: t('quality.tabs.queue'), children: <QueueTab testId="quality-queue" /> },
          ...(role === 'manager' ? [{ key: 'appeals', label: t('quality.tabs.appeals'), children: <QueueTab fixedStatus="appealed" testId="quality-appeals" /> }] : []),
          { key: 'figures', label: t('quality.tabs.figures'), children: <FiguresTab /> },
          ...(role === 'manager' ? [{ key: 'forms', label: t('quality.tabs.forms'), children: <FormsTab /> }] : []),
        ];
  return (
    <Card title={t('quality.title')} data-testid="quality-page">
      <Tabs items={tabs} destroyOnHidden />
    </Card>
  );
}
