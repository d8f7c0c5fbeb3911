import { Alert, Button, Input, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { ItemsInput, type Scores } from './ScoreForm.tsx';
import type { ReviewDetail } from './types.ts';

/** Runs one change of the review and reloads it, showing the API's refusal if any. */
function useChange(onDone: () => void) {
  const api = useApi();
  const errorText = useErrorText();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = (path: string, body?: unknown) => {
    setBusy(true);
    setError(undefined);
    api.post(path, body).then(onDone, (err) => setError(errorText(err))).finally(() => setBusy(false));
  };
  return { error, busy, run };
}

/** The operator's answer to a scored review: accept it (locked), or appeal once with a reason. */
export function OperatorActions({ review, onDone }: { review: ReviewDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const { error, busy, run } = useChange(onDone);
  const [reason, setReason] = useState('');
  const base = `/api/telephony/quality/reviews/${review.id}`;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="quality-operator-actions">
      <Button type="primary" loading={busy} onClick={() => run(`${base}/accept`)}>
        {t('quality.act.accept')}
      </Button>
      {!review.appealReason && (
        <>
          <Typography.Text type="secondary">{t('quality.act.appealHint')}</Typography.Text>
          <Input.TextArea aria-label={t('quality.act.appealReason')} placeholder={t('quality.act.appealReason')} rows={2} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} />
          <Button danger loading={busy} onClick={() => run(`${base}/appeal`, { reason })}>
            {t('quality.act.appeal')}
          </Button>
        </>
      )}
      {error && <Alert type="error" showIcon title={error} data-testid="quality-action-error" />}
    </Space>
  );
}

/** The manager's decision on an appeal: uphold, or revise on the same form; either locks the review. */
export function DecisionForm({ review, onDone }: { review: ReviewDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const { error, busy, run } = useChange(onDone);
  const [outcome, setOutcome] = useState<'upheld' | 'revised'>('upheld');
  const [comment, setComment] = useState('');
  const [scores, setScores] = useState<Scores>({ points: review.points ?? {}, fatalFailed: review.fatalFailed ?? [] });
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="quality-decision">
      <Radio.Group value={outcome} onChange={(e) => setOutcome(e.target.value)}>
        <Radio value="upheld">{t('quality.act.upheld')}</Radio>
        <Radio value="revised">{t('quality.act.revised')}</Radio>
      </Radio.Group>
      {outcome === 'revised' && review.form && <ItemsInput items={review.form.items} value={scores} onChange={setScores} />}
      <Input.TextArea aria-label={t('quality.act.decisionComment')} placeholder={t('quality.act.decisionComment')} rows={2} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
      <Button type="primary" loading={busy} onClick={() => run(`/api/telephony/quality/reviews/${review.id}/decision`, outcome === 'upheld' ? { outcome, comment } : { outcome, comment, ...scores })}>
        {t('quality.act.decide')}
      </Button>
      {error && <Alert type="error" showIcon title={error} data-testid="quality-action-error" />}
    </Space>
  );
}

/** A manager's note on a locked review: recorded as a new sealed event, the review unchanged. */
export function AmendForm({ review, onDone }: { review: ReviewDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const { error, busy, run } = useChange(onDone);
  const [note, setNote] = useState('');
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="quality-amend">
      <Typography.Text type="secondary">{t('quality.act.amendHint')}</Typography.Text>
      <Input.TextArea aria-label={t('quality.act.note')} placeholder={t('quality.act.note')} rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      <Button loading={busy} onClick={() => run(`/api/telephony/quality/reviews/${review.id}/amendments`, { note })}>
        {t('quality.act.amend')}
      </Button>
      {error && <Alert type="error" showIcon title={error} />}
    </Space>
  );
}
