import { Alert, Button, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useProfile } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { ReasonModal } from '../recording-retention/ReasonModal.tsx';
import type { RecordingHold } from '../recording-retention/types.ts';

const holders = new Set(['department_head', 'manager', 'admin']);
const when = (at: string) => dayjs(at).format('YYYY-MM-DD HH:mm');

/**
 * The legal hold on each of the call's stored recordings (GET/POST /api/telephony/calls/:callId/recording-holds):
 * a held recording is never removed by retention. The court's heads, managers and admin put a hold on or lift it,
 * with a reason (lifting only a hold placed by their role or a lower one: the API's `mayLift`); past holds are listed.
 */
export function RecordingHolds({ callId, recordings }: { callId: string; recordings: Array<{ kind: string; status: string }> }) {
  const { t } = useTranslation();
  const api = useApi();
  const { role } = useProfile();
  const errorText = useErrorText();
  const [holds, setHolds] = useState<RecordingHold[]>([]);
  const [error, setError] = useState<string>();
  const [asking, setAsking] = useState<{ kind: string; hold?: RecordingHold }>();
  const may = holders.has(role);

  const load = useCallback(() => {
    if (may) api.get<RecordingHold[]>(`/api/telephony/calls/${callId}/recording-holds`).then(setHolds, (err) => setError(errorText(err)));
  }, [api, callId, may]);
  useEffect(load, [load]);
  if (!may) return null;

  const stored = recordings.filter((r) => r.status === 'stored');
  const past = holds.filter((h) => h.lifted);
  return (
    <div data-testid="call-holds" style={{ marginTop: 8 }}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 8 }} />}
      {stored.map(({ kind }) => {
        const active = holds.find((h) => h.kind === kind && !h.lifted);
        return (
          <Space key={kind} wrap style={{ display: 'flex', marginBottom: 4 }} data-testid={`call-hold-${kind}`}>
            <Typography.Text type="secondary">{t(`call.holdKinds.${kind}`, { defaultValue: kind })}</Typography.Text>
            {active ? (
              <>
                <Tag color="red">{t('call.held')}</Tag>
                <Typography.Text>{t('call.heldBy', { reason: active.reason, name: active.placedBy.name, at: when(active.placedAt) })}</Typography.Text>
                {active.mayLift ? (
                  <Button size="small" onClick={() => setAsking({ kind, hold: active })}>
                    {t('call.liftHold')}
                  </Button>
                ) : (
                  <Typography.Text type="secondary" data-testid={`call-hold-${kind}-not-yours`}>
                    {t('call.liftNotAllowed', { role: t(`roles.${active.placedBy.role}`) })}
                  </Typography.Text>
                )}
              </>
            ) : (
              <>
                <Tag>{t('call.notHeld')}</Tag>
                <Button size="small" onClick={() => setAsking({ kind })}>
                  {t('call.placeHold')}
                </Button>
              </>
            )}
          </Space>
        );
      })}
      {past.length > 0 && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }} data-testid="call-holds-past">
          {past.map((h) => (
            <span key={h.id} style={{ display: 'block' }}>
              {t('call.pastHold', { reason: h.reason, name: h.placedBy.name, at: when(h.placedAt), liftedBy: h.lifted!.by.name, liftedAt: when(h.lifted!.at), liftReason: h.lifted!.reason })}
            </span>
          ))}
        </Typography.Paragraph>
      )}
      <ReasonModal
        title={asking?.hold ? t('call.liftTitle') : t('call.holdTitle')}
        open={asking !== undefined}
        onClose={() => setAsking(undefined)}
        submit={async (reason) => {
          const next = asking?.hold
            ? await api.post<RecordingHold[]>(`/api/telephony/recording-holds/${asking.hold.id}/lift`, { reason })
            : await api.post<RecordingHold[]>(`/api/telephony/calls/${callId}/recording-holds`, { kind: asking?.kind, reason });
          setHolds(next);
        }}
      />
    </div>
  );
}
