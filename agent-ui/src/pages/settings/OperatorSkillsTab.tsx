import { Alert, App, Checkbox, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import type { OperatorSkills } from './types.ts';

/** Each operator's skills (GET /api/telephony/operator-skills); a tick saves at once (PUT …/:userId). */
export function OperatorSkillsTab() {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [data, setData] = useState<OperatorSkills>();
  const [saving, setSaving] = useState<string>();

  const load = useCallback(async () => {
    try {
      setData(await api.get<OperatorSkills>('/api/telephony/operator-skills'));
    } catch (err) {
      void message.error(errorText(err));
    }
  }, [api]);
  useEffect(() => void load(), [load]);

  const skillName = (skill: string) => t(`settings.skills.names.${skill}`, { defaultValue: skill });
  const change = async (userId: string, skills: string[]) => {
    setSaving(userId);
    // The tick shows at once; the server's answer (or, on a refusal, a fresh read) replaces it.
    setData((current) => current && { ...current, operators: current.operators.map((o) => (o.userId === userId ? { ...o, skills } : o)) });
    try {
      setData(await api.put<OperatorSkills>(`/api/telephony/operator-skills/${userId}`, { skills }));
      void message.success(t('settings.saved'));
    } catch (err) {
      void message.error(errorText(err));
      await load();
    } finally {
      setSaving(undefined);
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Alert type="info" showIcon title={t('settings.skills.intro')} />
      <Table
        data-testid="settings-skills"
        size="small"
        rowKey="userId"
        pagination={false}
        loading={!data}
        dataSource={data?.operators ?? []}
        locale={{ emptyText: t('settings.skills.empty') }}
        columns={[
          {
            title: t('settings.skills.operator'),
            dataIndex: 'displayName',
            width: 200,
            render: (name: string, row) => (
              <>
                {name} {!row.active && <Tag>{t('settings.skills.inactive')}</Tag>}
              </>
            ),
          },
          { title: t('settings.skills.username'), dataIndex: 'username', width: 180 },
          {
            title: t('settings.skills.skills'),
            key: 'skills',
            render: (_, row) => (
              <Space wrap>
                <Checkbox.Group
                  aria-label={`${t('settings.skills.skills')} ${row.username}`}
                  disabled={saving === row.userId}
                  value={row.skills}
                  options={(data?.skills ?? []).map((skill) => ({ value: skill, label: skillName(skill) }))}
                  onChange={(skills) => void change(row.userId, skills as string[])}
                />
                {row.skills.length === 0 && <Tag color="blue">{t('settings.skills.all')}</Tag>}
              </Space>
            ),
          },
        ]}
      />
    </Space>
  );
}
