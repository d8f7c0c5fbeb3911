import { Alert, Button, Select, Space, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useProfile } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { ReviewTable } from './ReviewTable.tsx';
import type { ReviewRow } from './types.ts';
import { recentWeeks } from './weeks.ts';

/**
 * A list of reviews: the reviewers' queue (a week, a status; a manager draws a week now), the manager's appeals, or
 * an operator's own reviews (the API answers only theirs).
 */
export function QueueTab({ fixedStatus, testId }: { fixedStatus?: ReviewRow['status']; testId: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const profile = useProfile();
  const errorText = useErrorText();
  const weeks = recentWeeks(8);
  const [week, setWeek] = useState<string>(profile.role === 'operator' || fixedStatus ? '' : weeks[1]!);
  const [status, setStatus] = useState<string>(fixedStatus ?? '');
  const [rows, setRows] = useState<ReviewRow[]>([]);
  const [note, setNote] = useState<string>();
  const [error, setError] = useState<string>();
  const load = useCallback(() => {
    const query = new URLSearchParams({ ...(week ? { week } : {}), ...(status ? { status } : {}) });
    api.get<ReviewRow[]>(`/api/telephony/quality/reviews?${query}`).then(setRows, (err) => setError(errorText(err)));
  }, [api, week, status]);
  useEffect(load, [load]);
  const draw = () => {
    setError(undefined);
    api.post<{ week: string; added: number; total: number; sharePercent: number; seed: string }>('/api/telephony/quality/draws', week ? { week } : {}).then((r) => {
      setNote(t('quality.drawn', { week: r.week, added: r.added, total: r.total, share: r.sharePercent, seed: r.seed }));
      load();
    }, (err) => setError(errorText(err)));
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {!fixedStatus && (
        <Space wrap>
          <Typography.Text>{t('quality.week')}</Typography.Text>
          <Select aria-label={t('quality.week')} style={{ width: 200 }} value={week} onChange={setWeek} options={[{ value: '', label: t('quality.allWeeks') }, ...weeks.map((w) => ({ value: w, label: t('quality.weekOf', { week: w }) }))]} />
          <Typography.Text>{t('quality.status')}</Typography.Text>
          <Select aria-label={t('quality.status')} style={{ width: 140 }} value={status} onChange={setStatus} options={[{ value: '', label: '—' }, ...(['sampled', 'scored', 'appealed', 'accepted', 'decided'] as const).map((s) => ({ value: s, label: t(`quality.statuses.${s}`) }))]} />
          {profile.role === 'manager' && week && (
            <Button onClick={draw} data-testid="quality-draw">
              {t('quality.drawNow')}
            </Button>
          )}
        </Space>
      )}
      {note && <Alert type="success" showIcon title={note} data-testid="quality-drawn" />}
      {error && <Alert type="error" showIcon title={error} />}
      <ReviewTable rows={rows} showOperator={profile.role !== 'operator'} testId={testId} />
    </Space>
  );
}
