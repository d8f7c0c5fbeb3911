import { Alert } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRealtimeEvents } from '../../realtime/RealtimeProvider.tsx';
import { HeaderNotice } from '../../shell/HeaderNotice.tsx';

const words = {
  zh: { listen: '负责人正在监听本通话', whisper: '负责人正在对您耳语（来电人听不到）', barge: '负责人已加入本通话（三方通话）' },
  en: { listen: 'A supervisor is listening to this call', whisper: 'A supervisor is whispering to you (the caller cannot hear)', barge: 'A supervisor has joined this call (three-way)' },
};

/**
 * "A supervisor is listening": shown on the operator's desk only when the server sends `call.supervision` to the
 * operator, which it does only when the court's supervision notice setting is on; gone when the supervisor leaves or
 * the call ends. It sits in the header bar, beside the live-connection status, so it takes no height from the desk.
 */
export function SupervisionNotice({ callId }: { callId: string | undefined }) {
  const { i18n } = useTranslation();
  const w = i18n.language.startsWith('zh') ? words.zh : words.en;
  const [mode, setMode] = useState<'listen' | 'whisper' | 'barge'>();
  useEffect(() => setMode(undefined), [callId]);
  useRealtimeEvents(['call.supervision'], (event) => {
    const d = event.data as { callId: string; mode: 'listen' | 'whisper' | 'barge'; status: string };
    if (d.callId !== callId) return;
    setMode(d.status === 'stopped' ? undefined : d.mode);
  });
  if (!mode) return null;
  return (
    <HeaderNotice>
      <Alert type="info" showIcon title={w[mode]} data-testid="supervision-notice" style={{ padding: '4px 12px', minWidth: 0 }} />
    </HeaderNotice>
  );
}
