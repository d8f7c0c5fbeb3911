import { App, Button, Card, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { useLookup } from '../../api/useLookup.ts';
import { useUnreadPicker } from '../../api/useUnreadPicker.ts';
import { useRealtimeEvents } from '../../realtime/RealtimeProvider.tsx';
import { useApi, useProfile } from '../../session/SessionProvider.tsx';

type Mode = 'listen' | 'whisper' | 'barge';
interface LiveCall {
  callId: string;
  operatorId: string;
  operatorName: string;
  callerNumberMasked: string;
  answeredAt: string | null;
  supervision: { supervisorId: string; supervisorName: string; mode: Mode; status: 'ringing' | 'active'; since: string } | null;
}

const modes: Mode[] = ['listen', 'whisper', 'barge'];
const words = {
  zh: { title: '通话监听', none: '当前没有通话', caller: '来电', operator: '话务员', since: '通话时长', state: '监听', listen: '监听', whisper: '耳语', barge: '强插', leave: '退出', ringing: '正在呼叫您的电话…', other: '他人' },
  en: { title: 'Live calls', none: 'No calls in progress', caller: 'Caller', operator: 'Operator', since: 'Talking', state: 'Supervision', listen: 'Listen', whisper: 'Whisper', barge: 'Barge', leave: 'Leave', ringing: 'Calling your phone…', other: 'someone else' },
};

/** Why the signed-in supervisor's own supervision stopped (call.supervision `reason`); `left` is their own doing and says nothing. */
const endings: Record<'zh' | 'en', Record<string, string>> = {
  zh: {
    no_answer: '您的电话未接听，监听未建立',
    phone_unreachable: '无法呼叫您的电话',
    command_refused: '监听未能建立（电话系统拒绝）',
    call_ended: '通话已结束',
    operator_left: '话务员已离开通话',
    supervisor_hung_up: '您已挂断，监听结束',
    stopped_by_manager: '管理人员结束了您的监听',
    not_held: '通话正在转由其他电话控制服务处理，未能加入，请稍后重试',
    call_not_connected: '通话已不在话务员与来电人之间，不能监听',
    no_session: '您当前没有监听该通话，无法切换方式',
    already_supervised: '该通话已有其他负责人在监听',
    controller_stopped: '电话控制服务已重启，监听结束',
  },
  en: {
    no_answer: 'Your phone was not answered',
    phone_unreachable: 'Your phone could not be called',
    command_refused: 'The phone system refused to join you',
    call_ended: 'The call ended',
    operator_left: 'The operator left the call',
    supervisor_hung_up: 'You hung up',
    stopped_by_manager: 'A manager ended your supervision',
    not_held: 'The call is moving between controllers; try again',
    call_not_connected: 'The call is no longer between caller and operator',
    no_session: 'You are not supervising this call, so there is nothing to switch',
    already_supervised: 'Another supervisor is on this call',
    controller_stopped: 'The telephony controller restarted; supervision ended',
  },
};
const endedOther = { zh: (reason: string) => `监听已结束（${reason}）`, en: (reason: string) => `Supervision ended (${reason})` };

/**
 * The wallboard's live calls for a court's heads and managers: join one from their own phone to listen (heard by no
 * one), whisper (heard by the operator only) or barge (three-way), switch mode or leave (PUT/DELETE
 * /api/telephony/calls/:callId/supervision); refreshed on call and supervision events. The supervisor is told why
 * their own supervision stopped, or could not start, unless they left it themself.
 */
export function LiveCallsCard({ names = {}, now }: { names?: Record<string, string>; now: number }) {
  const api = useApi();
  const me = useProfile();
  const { message } = App.useApp();
  const { i18n } = useTranslation();
  const lang = i18n.language.startsWith('zh') ? 'zh' : 'en';
  const w = words[lang];
  // Kept while a refresh fails: the shell's notice then says the list could not be read (and it is read again).
  const calls = useLookup<LiveCall[]>('/api/telephony/supervision/calls', 'liveCalls');
  const unread = useUnreadPicker()(calls).notFoundContent;
  const { reload } = calls;
  const load = () => void reload();
  useEffect(() => {
    const timer = setInterval(() => void reload(), 10_000);
    return () => clearInterval(timer);
  }, [reload]);
  useRealtimeEvents(['call.answered', 'call.ended', 'call.supervision', 'resync'], () => load());
  useRealtimeEvents(['call.supervision'], (event) => {
    const d = event.data as { supervisorId?: string; status?: string; reason?: string };
    if (d.supervisorId !== me.id || d.status !== 'stopped' || !d.reason || d.reason === 'left') return;
    void message.warning(<span data-testid="supervision-ended">{endings[lang][d.reason] ?? endedOther[lang](d.reason)}</span>, 8);
  });

  const act = async (callId: string, mode: Mode | null) => {
    try {
      if (mode) await api.put(`/api/telephony/calls/${callId}/supervision`, { mode });
      else await api.delete(`/api/telephony/calls/${callId}/supervision`);
      setTimeout(load, 300);
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : String(err));
    }
  };

  return (
    <Card size="small" style={{ marginTop: 16 }} title={w.title} data-testid="wallboard-live-calls">
      <Table
        size="small"
        rowKey="callId"
        pagination={false}
        locale={{ emptyText: unread ?? w.none }}
        dataSource={calls.data ?? []}
        columns={[
          { title: w.caller, dataIndex: 'callerNumberMasked' },
          { title: w.operator, dataIndex: 'operatorId', render: (id: string, c: LiveCall) => c.operatorName || names[id] || id.slice(0, 8) },
          { title: w.since, dataIndex: 'answeredAt', render: (at: string | null) => (at ? dayjs(Math.max(0, now - Date.parse(at))).format('mm:ss') : '') },
          {
            title: w.state,
            key: 'supervision',
            render: (_: unknown, c: LiveCall) => {
              const mine = c.supervision?.supervisorId === me.id;
              if (c.supervision && !mine) return <Tag>{`${w[c.supervision.mode]} · ${c.supervision.supervisorName || w.other}`}</Tag>;
              return (
                <Space size={4} wrap>
                  {c.supervision?.status === 'ringing' && <Tag color="blue">{w.ringing}</Tag>}
                  {modes.map((mode) => (
                    <Button key={mode} size="small" type={mine && c.supervision?.mode === mode ? 'primary' : 'default'} onClick={() => void act(c.callId, mode)} data-testid={`supervise-${mode}-${c.callId}`}>
                      {w[mode]}
                    </Button>
                  ))}
                  {mine && (
                    <Button size="small" danger onClick={() => void act(c.callId, null)} data-testid={`supervise-leave-${c.callId}`}>
                      {w.leave}
                    </Button>
                  )}
                </Space>
              );
            },
          },
        ]}
      />
    </Card>
  );
}
