import { App, Card, Space, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLookup } from '../../api/useLookup.ts';
import { useApi, useProfile } from '../../session/SessionProvider.tsx';
import { LiveCallsCard } from '../dashboard/LiveCallsCard.tsx';
import { SupervisorPhone } from './SupervisorPhone.tsx';

interface CallSettings {
  supervisionNotice: boolean;
  recordingNotice: boolean;
}

/** The court's live calls to join (LiveCallsCard) from the supervisor's console softphone (SupervisorPhone) and, for managers, its call settings (GET/PUT /api/telephony/call-settings). */
export default function LiveCallsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const profile = useProfile();
  const { message } = App.useApp();
  const [now, setNow] = useState(Date.now());
  // As read (the shell's notice names them while they cannot be), then as saved.
  const [saved, setSaved] = useState<CallSettings>();
  const read = useLookup<CallSettings>('/api/telephony/call-settings', 'callSettings');
  const settings = saved ?? read.data;
  // A listen/whisper/barge click (LiveCallsCard's `supervise-<mode>-<callId>` buttons) arms the softphone's auto-answer.
  const [armedAt, setArmedAt] = useState(0);
  const arm = (event: React.MouseEvent) => {
    const button = (event.target as HTMLElement).closest('[data-testid^="supervise-"]');
    if (button && !button.getAttribute('data-testid')!.startsWith('supervise-leave')) setArmedAt(Date.now());
  };
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const change = async (patch: Partial<CallSettings>) => {
    setSaved(await api.put<CallSettings>('/api/telephony/call-settings', patch));
    message.success(t('liveCalls.saved'));
  };

  return (
    <Card title={t('liveCalls.title')}>
      {settings && (
        <Space orientation="vertical" size={4}>
          <Space>
            <Switch checked={settings.supervisionNotice} disabled={profile.role !== 'manager'} onChange={(on) => void change({ supervisionNotice: on })} data-testid="setting-supervision-notice" />
            <Typography.Text>{t('liveCalls.notice')}</Typography.Text>
          </Space>
          <Space>
            <Switch checked={settings.recordingNotice} disabled={profile.role !== 'manager'} onChange={(on) => void change({ recordingNotice: on })} data-testid="setting-recording-notice" />
            <Typography.Text>{t('liveCalls.recording')}</Typography.Text>
          </Space>
        </Space>
      )}
      <SupervisorPhone armedAt={armedAt} />
      <div onClickCapture={arm}>
        <LiveCallsCard now={now} />
      </div>
    </Card>
  );
}
