import { Form, Input, Modal, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { userRoles, type Department, type User, type UserRole } from '../../api/types.ts';
import type { Lookup } from '../../api/useLookup.ts';
import { useUnreadPicker } from '../../api/useUnreadPicker.ts';

export interface UserFormValues {
  username?: string;
  displayName: string;
  role: UserRole;
  departmentId?: string | null;
  sipEndpoint?: string | null;
  extension?: string | null;
  password?: string;
  active?: boolean;
}

interface Props {
  open: boolean;
  /** Editing this user; creating when absent. */
  user?: User;
  departments: Lookup<Department[]>;
  busy: boolean;
  onSubmit: (values: UserFormValues) => void;
  onCancel: () => void;
}

/** Create or edit a user: operators get a softphone endpoint, judges and heads a department and an extension. */
export function UserForm({ open, user, departments, busy, onSubmit, onCancel }: Props) {
  const { t } = useTranslation();
  const picker = useUnreadPicker();
  const [form] = Form.useForm<UserFormValues>();
  const role = Form.useWatch('role', form);
  const required = [{ required: true, message: t('common.required') }];

  return (
    <Modal
      open={open}
      title={user ? t('admin.editUser') : t('admin.newUser')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onCancel}
      destroyOnHidden
      forceRender
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={user ?? { role: 'operator', active: true }}
        onFinish={(values) => onSubmit(values)}
        name="user-form"
      >
        {!user && (
          <Form.Item label={t('admin.username')} name="username" rules={required}>
            <Input autoFocus autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item label={t('admin.displayName')} name="displayName" rules={required}>
          <Input autoFocus={Boolean(user)} />
        </Form.Item>
        <Form.Item label={t('admin.role')} name="role" rules={required}>
          <Select options={userRoles.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
        </Form.Item>
        {(role === 'judge' || role === 'department_head') && (
          <>
            <Form.Item label={t('admin.department')} name="departmentId" rules={required}>
              <Select {...picker(departments)} options={(departments.data ?? []).filter((d) => d.active).map((d) => ({ value: d.id, label: d.name }))} />
            </Form.Item>
            <Form.Item label={t('admin.extension')} name="extension" extra={t('admin.extensionHint')}>
              <Input />
            </Form.Item>
          </>
        )}
        {role === 'operator' && (
          <Form.Item label={t('admin.sipEndpoint')} name="sipEndpoint" extra={t('admin.sipHint')} rules={user ? required : undefined}>
            <Input />
          </Form.Item>
        )}
        {!user && (
          <Form.Item label={t('admin.password')} name="password" extra={t('admin.passwordHint')} rules={[...required, { min: 10, message: t('admin.passwordHint') }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        {user && (
          <Form.Item label={t('admin.active')} name="active" valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
