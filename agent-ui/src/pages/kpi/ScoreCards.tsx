import { Card, Col, Row, Space, Statistic, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { percent, target, type Figures, type Measure, type Rate } from '../../api/kpi.ts';
import { CountLink } from './CountLink.tsx';
import { completionMeasures, connectionMeasures, type DrillTarget } from './drill-target.ts';

const good = '#389e0d';
const bad = '#cf1322';
const colourOf = (rate: Rate) => (rate == null ? undefined : rate >= target ? good : bad);

/** The two scored KPIs against 95% and the score (seed 004 annex 2), each count opening its records. */
export function ScoreCards({ figures, closedNotYetDue, onDrill }: { figures: Figures; closedNotYetDue: number | null; onDrill: (target: DrillTarget) => void }) {
  const { t } = useTranslation();
  const { kpis, sums } = figures;
  const met = (rate: Rate) => (rate == null ? <Tag>{t('kpi.noData')}</Tag> : rate >= target ? <Tag color="success">{t('kpi.met')}</Tag> : <Tag color="error">{t('kpi.notMet')}</Tag>);
  const count = (measure: Measure, label: string, title: string, measures: Measure[]) => (
    <span>
      {label} <CountLink value={sums[measure] ?? 0} label={`${label} ${sums[measure] ?? 0}`} testId={`kpi-count-${measure}`} onOpen={() => onDrill({ title, measures: [measure, ...measures.filter((m) => m !== measure)] })} />
    </span>
  );
  const connection = kpis.connectionRate.combined;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={9}>
        <Card size="small" data-testid="kpi-connection">
          <Statistic title={<>{t('kpi.connectionRate')} · {t('kpi.target')} {met(connection)}</>} value={percent(connection)} styles={{ content: { color: colourOf(connection) } }} />
          <Space orientation="vertical" size={2}>
            <Typography.Text type="secondary">
              {t('kpi.inbound')} {percent(kpis.connectionRate.inbound)} · {t('kpi.transfer')} {percent(kpis.connectionRate.transfer)} · {t('kpi.raw')} {percent(kpis.connectionRate.combinedRaw)}
            </Typography.Text>
            <Space size="middle" wrap>
              {count('offered', t('kpi.offered'), t('kpi.connectionRate'), connectionMeasures)}
              {count('answered', t('kpi.answered'), t('kpi.connectionRate'), connectionMeasures)}
              {count('abandoned', t('kpi.abandoned'), t('kpi.connectionRate'), connectionMeasures)}
            </Space>
          </Space>
        </Card>
      </Col>
      <Col xs={24} lg={9}>
        <Card size="small" data-testid="kpi-completion">
          <Statistic title={<>{t('kpi.completionRate')} · {t('kpi.target')} {met(kpis.completionRate)}</>} value={percent(kpis.completionRate)} styles={{ content: { color: colourOf(kpis.completionRate) } }} />
          <Space orientation="vertical" size={2}>
            <Typography.Text type="secondary">
              {t('kpi.onTime')} {percent(kpis.onTimeRate)} · {t('kpi.onSpot')} {kpis.answeredOnSpot}
            </Typography.Text>
            <Space size="middle" wrap>
              {count('due', t('kpi.due'), t('kpi.completionRate'), completionMeasures)}
              {count('completed', t('kpi.completed'), t('kpi.completionRate'), completionMeasures)}
              {count('overdue', t('kpi.overdue'), t('kpi.completionRate'), completionMeasures)}
            </Space>
            {closedNotYetDue != null && closedNotYetDue > 0 && (
              <Typography.Text type="secondary" data-testid="kpi-closed-not-yet-due">
                <CountLink
                  value={<Typography.Text strong>{t('kpi.closedNotYetDue', { count: closedNotYetDue })}</Typography.Text>}
                  label={t('kpi.closedNotYetDue', { count: closedNotYetDue })}
                  testId="kpi-count-closed_not_yet_due"
                  onOpen={() => onDrill({ title: t('kpi.closedNotYetDueTab'), measures: ['closed_not_yet_due'] })}
                />{' '}
                · {t('kpi.closedNotYetDueHint')}
              </Typography.Text>
            )}
          </Space>
        </Card>
      </Col>
      <Col xs={24} lg={6}>
        <Card size="small" data-testid="kpi-score">
          <Statistic
            title={t('kpi.score')}
            value={kpis.score == null ? '—' : t('kpi.scoreOf', { score: kpis.score })}
            styles={{ content: { color: kpis.score == null ? undefined : kpis.score >= 6 ? good : bad } }}
          />
          <Typography.Text type="secondary">{t('kpi.target')} × 2</Typography.Text>
        </Card>
      </Col>
    </Row>
  );
}
