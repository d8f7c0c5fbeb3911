import { Alert, Col, Row, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRealtimeEvents } from '../../realtime/RealtimeProvider.tsx';
import { Softphone } from '../../softphone/Softphone.tsx';
import { CallerHistory } from './CallerHistory.tsx';
import { KnowledgePanel } from './KnowledgePanel.tsx';
import { MyQueue } from './MyQueue.tsx';
import { PresenceControl } from './PresenceControl.tsx';
import { screenPopEvents, screenPopFromEvent, type ScreenPop } from './screen-pop.ts';
import { TicketForm } from './TicketForm.tsx';
import { TransferPanel } from './TransferPanel.tsx';

/** The operator's desk: softphone, presence and my queue; the work-order form; the knowledge base and the caller's history. */
export function DeskPage() {
  const { t } = useTranslation();
  const [pop, setPop] = useState<ScreenPop>();
  const [filed, setFiled] = useState(0);
  const [suggestedAnswer, setSuggestedAnswer] = useState<{ text: string }>();
  useRealtimeEvents(screenPopEvents, (event) => {
    const next = screenPopFromEvent(event.data);
    if (next) setPop(next);
  });

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={7}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Softphone />
          <PresenceControl />
          <TransferPanel callId={pop?.callId} />
          <MyQueue currentCall={pop} />
        </Space>
      </Col>
      <Col xs={24} lg={10}>
        {pop && <Alert type="info" showIcon title={`${t('desk.screenPop')}: ${pop.callerNumber}`} style={{ marginBottom: 12 }} data-testid="screen-pop" />}
        <TicketForm
          key={pop?.callId ?? 'manual'}
          callerNumber={pop?.callerNumber}
          callId={pop?.callId}
          draftTicketId={pop?.draftTicketId}
          suggestedAnswer={suggestedAnswer}
          onDone={() => setFiled((n) => n + 1)}
        />
      </Col>
      <Col xs={24} lg={7}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <KnowledgePanel onUse={(text) => setSuggestedAnswer({ text })} />
          <CallerHistory number={pop?.callerNumber} previousCalls={pop?.previousCalls} refreshKey={filed} />
        </Space>
      </Col>
    </Row>
  );
}
