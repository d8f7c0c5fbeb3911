import { App, Button, Card, Form, Input, Modal, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Department } from '../../api/types.ts';
import { useApi } from '../../session/SessionProvider.tsx';
import { useErrorText } from '../../shell/useErrorText.ts';
import { useHotkeys } from '../../shell/useHotkeys.ts';
import { useDirectory } from './useDirectory.ts';

type Editing = { department?: Department } | undefined;
interface Values { name: string; extension?: string; active?: boolean }

/** Admin: the court's departments (庭室), the handlers of work orders. Alt+N creates one. */
export function AdminDepartmentsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { departments, reload } = useDirectory();
  const [editing, setEditing] = useState<Editing>();
  const [busy, setBusy] = useState(false);
  useHotkeys({ 'Alt+N': () => setEditing({}) });

  const save = async (values: Values) => {
    setBusy(true);
    try {
      const body = { ...values, extension: values.extension || null };
      if (editing?.department) await api.patch(`/api/departments/${editing.department.id}`, body);
      else await api.post('/api/departments', { name: body.name, extension: body.extension });
      void message.success(t('common.saved'));
      setEditing(undefined);
      await reload();
    } catch (err) {
      void message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('admin.departments')} extra={<Button type="primary" onClick={() => setEditing({})}>{t('admin.newDepartment')} (Alt+N)</Button>}>
      <Table<Department>
        rowKey="id"
        size="small"
        dataSource={departments}
        pagination={false}
        columns={[
          { title: t('admin.name'), dataIndex: 'name' },
          { title: t('admin.extension'), dataIndex: 'extension' },
          { title: t('admin.status'), dataIndex: 'active', render: (active: boolean) => <Tag color={active ? 'green' : 'default'}>{active ? t('admin.active') : t('admin.inactive')}</Tag> },
          { title: t('common.actions'), render: (_: unknown, department) => <Button size="small" onClick={() => setEditing({ department })}>{t('common.edit')}</Button> },
        ]}
      />
      {editing && (
        <Modal open title={editing.department ? t('admin.editDepartment') : t('admin.newDepartment')} okText={t('common.save')} cancelText={t('common.cancel')} confirmLoading={busy} onCancel={() => setEditing(undefined)} okButtonProps={{ htmlType: 'submit', form: 'department-form' }}>
          <Form<Values> id="department-form" name="department-form" layout="vertical" initialValues={editing.department ?? { active: true }} onFinish={(v) => void save(v)}>
            <Form.Item label={t('admin.name')} name="name" rules={[{ required: true, message: t('common.required') }]}>
              <Input autoFocus />
            </Form.Item>
            <Form.Item label={t('admin.extension')} name="extension">
              <Input />
            </Form.Item>
            {editing.department && (
              <Form.Item label={t('admin.active')} name="active" valuePropName="checked">
                <Switch />
              </Form.Item>
            )}
          </Form>
        </Modal>
      )}
    </Card>
  );
}
