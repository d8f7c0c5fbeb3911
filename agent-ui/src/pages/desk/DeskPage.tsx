import { App, Col, Grid, Row, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRealtimeEvents } from '../../realtime/RealtimeProvider.tsx';
import { Softphone } from '../../softphone/Softphone.tsx';
import { categoryOfMenuOption, useCallFacts } from './call-facts.ts';
import { CallerHistory } from './CallerHistory.tsx';
import { KnowledgePanel } from './KnowledgePanel.tsx';
import { MyQueue } from './MyQueue.tsx';
import { PresenceControl } from './PresenceControl.tsx';
import { screenPopEvents, screenPopFromEvent, type ScreenPop } from './screen-pop.ts';
import { ScreenPopCard } from './ScreenPopCard.tsx';
import { SupervisionNotice } from './SupervisionNotice.tsx';
import { TicketForm } from './TicketForm.tsx';
import { TransferPanel } from './TransferPanel.tsx';

/** The window less AppShell's header (64 px) and the content's padding above and below (16 px each). */
const middleColumn = { display: 'flex', flexDirection: 'column', maxHeight: 'calc(100vh - 96px)' } as const;

/**
 * The operator's desk, one 1366×768 screen: softphone, presence and my queue; the screen pop (menu choice, wait,
 * call timer) over the work-order form; transfers, the knowledge base and the caller's past calls and tickets.
 * Notices never push it past the screen: the supervision notice sits in the header bar, and in three columns the
 * middle one is held to the window, so a notice inside the form scrolls the form's fields, not the page, and its
 * submit button stays in sight.
 */
export function DeskPage() {
  const wide = Grid.useBreakpoint().lg;
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [pop, setPop] = useState<ScreenPop>();
  // Tickets filed during the call being taken: they are this call's, not the caller's history.
  const [filed, setFiled] = useState<string[]>([]);
  const [filedCount, setFiledCount] = useState(0);
  const [suggestedAnswer, setSuggestedAnswer] = useState<{ text: string }>();
  const facts = useCallFacts(pop?.callId);
  useRealtimeEvents(screenPopEvents, (event) => {
    const next = screenPopFromEvent(event.data);
    if (next) {
      setPop(next);
      setFiled([]);
    }
  });
  // Ended, or never connected (the caller went back to the queue): the pop stops, the form lets the caller go.
  useRealtimeEvents(['call.ended', 'call.not_connected'], (event) => {
    const notConnected = event.type === 'call.not_connected';
    if (notConnected && pop && event.data.callId === pop.callId && !pop.endedAt) void message.warning(t('desk.notConnected'));
    setPop((current) => (current && event.data.callId === current.callId && !current.endedAt ? { ...current, endedAt: Date.now(), ...(notConnected ? { notConnected: true as const } : {}) } : current));
  });
  const callLive = Boolean(pop && !pop.endedAt);

  return (
    <Row gutter={[12, 12]}>
      <Col xs={24} lg={7}>
        <Space orientation="vertical" size={8} style={{ width: '100%' }}>
          <Softphone />
          <PresenceControl />
          <MyQueue currentCall={callLive ? pop : undefined} />
        </Space>
      </Col>
      <Col xs={24} lg={10} style={wide ? middleColumn : undefined}>
        <SupervisionNotice callId={callLive ? pop?.callId : undefined} />
        {pop && <ScreenPopCard pop={pop} facts={facts} />}
        <TicketForm
          key={pop?.callId ?? 'manual'}
          callerNumber={pop?.callerNumber}
          callId={pop?.callId}
          draftTicketId={pop?.draftTicketId}
          suggestedAnswer={suggestedAnswer}
          suggestedCategory={facts?.menuOption ? categoryOfMenuOption[facts.menuOption] : undefined}
          callLive={callLive}
          onDone={(ticket) => {
            setFiledCount((n) => n + 1);
            if (pop) setFiled((ids) => [...ids, ticket.id]);
          }}
        />
      </Col>
      <Col xs={24} lg={7}>
        <Space orientation="vertical" size={8} style={{ width: '100%' }}>
          <TransferPanel callId={callLive ? pop?.callId : undefined} />
          <KnowledgePanel onUse={(text) => setSuggestedAnswer({ text })} />
          <CallerHistory number={pop?.callerNumber} currentCallId={pop?.callId} currentTicketIds={[...(pop?.draftTicketId ? [pop.draftTicketId] : []), ...filed]} refreshKey={filedCount} />
        </Space>
      </Col>
    </Row>
  );
}
