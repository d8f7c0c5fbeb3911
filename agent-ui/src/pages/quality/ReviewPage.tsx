import { Alert, Button, Card, Col, Descriptions, Row, Space, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useApi, useProfile } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { AmendForm, DecisionForm, OperatorActions } from './Actions.tsx';
import { Player } from './Player.tsx';
import { ScoreForm } from './ScoreForm.tsx';
import { StatusTag } from './ReviewTable.tsx';
import type { ReviewDetail } from './types.ts';

const when = (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm:ss');

/** One review: the call's recording, the score, and what the viewer may do with it (score, accept, appeal, decide, note). */
export default function ReviewPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const api = useApi();
  const profile = useProfile();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const [review, setReview] = useState<ReviewDetail>();
  const [error, setError] = useState<string>();
  const load = useCallback(() => {
    api.get<ReviewDetail>(`/api/telephony/quality/reviews/${id}`).then(setReview, (err) => setError(errorText(err)));
  }, [api, id]);
  useEffect(load, [load]);
  if (error) return <Alert type="error" showIcon title={error} />;
  if (!review) return null;

  const reviewer = profile.role === 'department_head' || profile.role === 'manager';
  const own = profile.role === 'operator' && review.operator.id === profile.id;
  return (
    <Card
      title={`${t('quality.title')} · ${review.operator.name} · ${when(review.callArrivedAt)}`}
      extra={<Button onClick={() => void navigate('/quality')}>{t('quality.back')}</Button>}
      data-testid="quality-review-page"
    >
      <Row gutter={24}>
        <Col span={14}>
          <Space orientation="vertical" style={{ width: '100%' }} size="large">
            <Descriptions size="small" column={2} bordered>
              <Descriptions.Item label={t('quality.caller')}>{review.callerNumber ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('quality.reason')}>{review.reasons.map((r) => <Tag key={r}>{t(`quality.reasons.${r}`)}</Tag>)}</Descriptions.Item>
              <Descriptions.Item label={t('quality.status')}>
                <StatusTag review={review} />
              </Descriptions.Item>
              <Descriptions.Item label={t('quality.score')}>
                <span data-testid="quality-review-score">{review.score ?? '—'}</span> {review.fatal && <Tag color="red">{t('quality.fatal')}</Tag>}
              </Descriptions.Item>
              {review.comment && <Descriptions.Item label={t('quality.scoreForm.comment')} span={2}>{review.comment}</Descriptions.Item>}
              {review.appealReason && <Descriptions.Item label={t('quality.act.appealReason')} span={2}>{review.appealReason}</Descriptions.Item>}
              {review.decision && <Descriptions.Item label={t('quality.act.decide')} span={2}>{`${t(`quality.act.${review.decision}`)} · ${review.decisionComment ?? ''}`}</Descriptions.Item>}
            </Descriptions>
            <Player src={`/api/telephony/quality/reviews/${review.id}/audio`} />
            <Card size="small" title={t('quality.trail')}>
              <Timeline
                data-testid="quality-trail"
                items={review.events.map((e) => ({ key: e.seq, children: `${when(e.at)} · ${e.actor} · ${t(`quality.events.${e.kind}`, { defaultValue: e.kind })}${typeof e.data.note === 'string' ? ` · ${e.data.note}` : ''}` }))}
              />
            </Card>
          </Space>
        </Col>
        <Col span={10}>
          {reviewer && (review.status === 'sampled' || review.status === 'scored') && (
            <ScoreForm reviewId={review.id} current={{ formId: review.form?.id, scores: { points: review.points ?? {}, fatalFailed: review.fatalFailed ?? [] }, comment: review.comment ?? '' }} onDone={load} />
          )}
          {own && review.status === 'scored' && <OperatorActions review={review} onDone={load} />}
          {profile.role === 'manager' && review.status === 'appealed' && <DecisionForm review={review} onDone={load} />}
          {profile.role === 'manager' && review.locked && <AmendForm review={review} onDone={load} />}
          {review.locked && <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>{t('quality.locked')}</Typography.Paragraph>}
        </Col>
      </Row>
    </Card>
  );
}
