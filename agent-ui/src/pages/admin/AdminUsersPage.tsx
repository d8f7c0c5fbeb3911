import { Alert, App, Button, Card, Input, Modal, Popconfirm, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../api/types.ts';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { useHotkeys } from '../../shell/useHotkeys.ts';
import { UserForm, type UserFormValues } from './UserForm.tsx';
import { useDirectory } from './useDirectory.ts';

type Editing = { mode: 'create' } | { mode: 'edit'; user: User } | undefined;
/** A user whose shared softphone endpoint the upgrade renamed (GET /api/users/sip-endpoint-renames). */
type EndpointRename = { userId: string; username: string; fromEndpoint: string; toEndpoint: string };

/** Admin: the court's users, with their softphone endpoint (operators) or extension (judges). Alt+N creates one. */
export function AdminUsersPage() {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { departments, lookups } = useDirectory();
  const [users, setUsers] = useState<User[]>([]);
  const [loading, setLoading] = useState(true);
  const [editing, setEditing] = useState<Editing>();
  const [busy, setBusy] = useState(false);
  const [passwordFor, setPasswordFor] = useState<User>();
  const [newPassword, setNewPassword] = useState('');
  const [renames, setRenames] = useState<EndpointRename[]>([]);

  const reload = useCallback(async () => {
    setLoading(true);
    try {
      const [list, renamed] = await Promise.all([api.get<User[]>('/api/users'), api.get<EndpointRename[]>('/api/users/sip-endpoint-renames')]);
      setUsers(list);
      setRenames(renamed);
    } catch (err) {
      void message.error(errorText(err));
    } finally {
      setLoading(false);
    }
  }, [api]);
  useEffect(() => void reload(), [reload]);
  useHotkeys({ 'Alt+N': () => setEditing({ mode: 'create' }) });

  const save = async (values: UserFormValues) => {
    setBusy(true);
    try {
      const body = { ...values, departmentId: values.departmentId ?? null, sipEndpoint: values.sipEndpoint || null, extension: values.extension || null };
      if (editing?.mode === 'edit') {
        const { username: _username, password: _password, ...change } = body;
        await api.patch(`/api/users/${editing.user.id}`, change);
      } else {
        // No endpoint given: the server makes one from the court code and username (operators).
        const { sipEndpoint, ...rest } = body;
        await api.post('/api/users', sipEndpoint ? body : rest);
      }
      void message.success(t('common.saved'));
      setEditing(undefined);
      await reload();
    } catch (err) {
      void message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const run = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      void message.success(done);
    } catch (err) {
      void message.error(errorText(err));
    }
  };

  const departmentName = (id: string | null) => departments.find((d) => d.id === id)?.name ?? '';
  return (
    <Card title={t('admin.users')} extra={<Button type="primary" onClick={() => setEditing({ mode: 'create' })}>{t('admin.newUser')} (Alt+N)</Button>}>
      {renames.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={t('admin.endpointRenamed')}
          description={renames.map((r) => `${r.username}: ${r.fromEndpoint} → ${r.toEndpoint}`).join('；')}
        />
      )}
      <Table<User>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={users}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: t('admin.username'), dataIndex: 'username' },
          { title: t('admin.displayName'), dataIndex: 'displayName' },
          { title: t('admin.role'), dataIndex: 'role', render: (role: string) => t(`roles.${role}`) },
          { title: t('admin.department'), dataIndex: 'departmentId', render: departmentName },
          { title: t('admin.sipEndpoint'), dataIndex: 'sipEndpoint' },
          { title: t('admin.extension'), dataIndex: 'extension' },
          { title: t('admin.status'), dataIndex: 'active', render: (active: boolean) => <Tag color={active ? 'green' : 'default'}>{active ? t('admin.active') : t('admin.inactive')}</Tag> },
          {
            title: t('common.actions'),
            render: (_: unknown, user) => (
              <Space size="small">
                <Button size="small" onClick={() => setEditing({ mode: 'edit', user })}>{t('common.edit')}</Button>
                <Button size="small" onClick={() => setPasswordFor(user)}>{t('admin.setPassword')}</Button>
                <Button size="small" onClick={() => void run(() => api.post(`/api/users/${user.id}/unlock`), t('admin.unlocked'))}>{t('admin.unlock')}</Button>
                {user.sipEndpoint && (
                  <Popconfirm title={t('admin.rotateSipPasswordConfirm')} okText={t('common.save')} cancelText={t('common.cancel')} onConfirm={() => void run(() => api.post(`/api/users/${user.id}/sip-password`), t('admin.sipPasswordRotated'))}>
                    <Button size="small">{t('admin.rotateSipPassword')}</Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      {editing && (
        <UserForm open user={editing.mode === 'edit' ? editing.user : undefined} departments={lookups.departments} busy={busy} onSubmit={(v) => void save(v)} onCancel={() => setEditing(undefined)} />
      )}
      <Modal
        open={Boolean(passwordFor)}
        title={`${t('admin.setPassword')} · ${passwordFor?.displayName ?? ''}`}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        onCancel={() => setPasswordFor(undefined)}
        onOk={() => void run(() => api.put(`/api/users/${passwordFor!.id}/password`, { password: newPassword }), t('common.saved')).then(() => setPasswordFor(undefined))}
        destroyOnHidden
      >
        <Input.Password autoFocus placeholder={t('admin.passwordHint')} value={newPassword} onChange={(e) => setNewPassword(e.target.value)} autoComplete="new-password" />
      </Modal>
    </Card>
  );
}
