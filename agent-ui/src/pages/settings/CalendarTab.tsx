import { Alert, App, Badge, Calendar, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { CalendarDayModal } from './CalendarDayModal.tsx';
import type { CalendarDay } from './types.ts';

/**
 * The court's calendar as a month view: national holidays and make-up days (grey) with the court's own (coloured,
 * they win); a click on a day opens its editor. Reads GET /api/calendar/:year again after every change.
 */
export function CalendarTab() {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [month, setMonth] = useState<Dayjs>(() => dayjs());
  const [days, setDays] = useState<CalendarDay[]>([]);
  const [editing, setEditing] = useState<string>();
  const year = month.year();

  const latest = useRef(0);
  const load = useCallback(async () => {
    const asked = ++latest.current;
    try {
      const loaded = await api.get<CalendarDay[]>(`/api/calendar/${year}`);
      // An answer to an earlier request (another year paged past, or from before a change) never replaces a later one.
      if (asked === latest.current) setDays(loaded);
    } catch (err) {
      if (asked === latest.current) void message.error(errorText(err));
    }
  }, [api, year]);
  useEffect(() => void load(), [load]);

  const byDay = useMemo(() => new Map(days.map((d) => [d.day, d])), [days]);
  const courtDays = days.filter((d) => d.origin === 'court');

  const cell = (date: Dayjs) => {
    const day = byDay.get(date.format('YYYY-MM-DD'));
    if (!day) return null;
    const colour = day.origin === 'court' ? (day.kind === 'holiday' ? 'red' : 'blue') : day.kind === 'holiday' ? 'volcano' : 'geekblue';
    return (
      <Tag color={colour} variant={day.origin === 'court' ? 'solid' : 'outlined'} data-testid={`calendar-mark-${day.day}`} data-origin={day.origin} style={{ whiteSpace: 'normal', marginInlineEnd: 0 }}>
        {day.kind === 'holiday' ? t('settings.calendar.holiday') : t('settings.calendar.workday')} · {day.name}
      </Tag>
    );
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Alert type="info" showIcon title={t('settings.calendar.intro')} />
      <Space>
        <Badge color="volcano" text={t('settings.calendar.legendNational')} />
        <Badge color="red" text={t('settings.calendar.legendCourt')} />
      </Space>
      <div data-testid="settings-calendar">
        <Calendar
          value={month}
          onPanelChange={(date) => setMonth(date)}
          onSelect={(date, info) => {
            setMonth(date);
            if (info.source === 'date') setEditing(date.format('YYYY-MM-DD'));
          }}
          cellRender={(date, info) => (info.type === 'date' ? cell(date) : info.originNode)}
        />
      </div>
      <Typography.Title level={5}>{t('settings.calendar.courtDays', { year })}</Typography.Title>
      <Table
        data-testid="settings-court-days"
        size="small"
        rowKey="day"
        pagination={false}
        dataSource={courtDays}
        locale={{ emptyText: t('settings.calendar.noCourtDays') }}
        onRow={(row) => ({ onClick: () => setEditing(row.day), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('settings.calendar.day'), dataIndex: 'day', width: 130 },
          { title: t('settings.calendar.kind'), dataIndex: 'kind', width: 120, render: (kind: string) => t(`settings.calendar.${kind}`) },
          { title: t('settings.calendar.name'), dataIndex: 'name' },
          { title: t('settings.calendar.source'), dataIndex: 'source' },
        ]}
      />
      {editing && (
        <CalendarDayModal
          day={editing}
          current={byDay.get(editing)}
          onClose={() => setEditing(undefined)}
          onChanged={async () => {
            setEditing(undefined);
            await load();
          }}
        />
      )}
    </Space>
  );
}
