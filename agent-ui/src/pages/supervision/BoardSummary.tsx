import { Card, Col, Row, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Counts } from './board.ts';

/** The four counts a head or manager looks at first. */
export function BoardSummary({ totals }: { totals: Counts }) {
  const { t } = useTranslation();
  const items: { key: keyof Counts; colour?: string }[] = [
    { key: 'overdue', colour: totals.overdue > 0 ? '#cf1322' : undefined },
    { key: 'dueSoon', colour: totals.dueSoon > 0 ? '#d46b08' : undefined },
    { key: 'extensionRequested' },
    { key: 'open' },
  ];
  return (
    <Row gutter={12}>
      {items.map(({ key, colour }) => (
        <Col span={6} key={key}>
          <Card size="small" data-testid={`supervision-${key}`} styles={{ body: { padding: '8px 16px' } }}>
            <Statistic title={t(`supervision.${key}`)} value={totals[key]} styles={{ content: { color: colour, fontSize: 24 } }} />
          </Card>
        </Col>
      ))}
    </Row>
  );
}
