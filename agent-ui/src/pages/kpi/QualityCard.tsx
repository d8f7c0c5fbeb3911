import { Alert, Card, Col, Row, Statistic } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Span } from '../../api/kpi.ts';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';

/** The team's line of GET /api/telephony/quality/figures (the quality page reads the per-operator lines). */
interface TeamFigures {
  from: string;
  to: string;
  team: { answered: number; reviewed: number; meanScore: number | null; fatalErrors: number; coverage: number | null };
}

/** Reviews are drawn by week (Monday to Sunday, China time): the Monday a day's week starts on. */
const mondayOf = (day: Dayjs) => day.subtract((day.day() + 6) % 7, 'day').format('YYYY-MM-DD');

/**
 * 录音质检 beside the scored rates: the team's mean score, fatal errors and coverage over the weeks the period
 * touches (the QA figures count whole weeks, the period's first and last included), linked to the quality page.
 */
export function QualityCard({ span }: { span: Span }) {
  const { t } = useTranslation();
  const api = useApi();
  const errorText = useErrorText();
  const [from, to] = [mondayOf(span.from), mondayOf(span.to.subtract(1, 'day'))];
  const [data, setData] = useState<TeamFigures>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let current = true;
    setError(undefined);
    api.get<TeamFigures>(`/api/telephony/quality/figures?from=${from}&to=${to}`).then(
      (figures) => current && setData(figures),
      (err) => current && setError(errorText(err)),
    );
    return () => void (current = false);
  }, [api, from, to]);
  const weeks = t('kpi.quality.weeks', { from, to: dayjs(to).add(6, 'day').format('YYYY-MM-DD') });
  return (
    <Card size="small" title={t('kpi.quality.title')} extra={<Link to="/quality">{t('kpi.quality.open')}</Link>} data-testid="kpi-quality">
      {error && <Alert type="error" showIcon title={error} />}
      {data && (
        <Row gutter={16}>
          <Col span={6}>
            <Statistic title={t('kpi.quality.mean')} value={data.team.meanScore ?? '—'} />
          </Col>
          <Col span={6}>
            <Statistic title={t('kpi.quality.fatal')} value={data.team.fatalErrors} />
          </Col>
          <Col span={6}>
            <Statistic title={t('kpi.quality.coverage')} value={data.team.coverage === null ? '—' : `${(data.team.coverage * 100).toFixed(1)}%`} />
          </Col>
          <Col span={6}>
            <Statistic title={t('kpi.quality.reviewed')} value={`${data.team.reviewed} / ${data.team.answered}`} />
          </Col>
        </Row>
      )}
      <div style={{ marginTop: 8, color: 'rgba(0,0,0,0.45)' }}>{weeks}</div>
    </Card>
  );
}
