import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Profile } from '../api/types.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { useErrorText } from '../shell/useErrorText.ts';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/**
 * Shown instead of every page while the signed-in user must change a password an admin set (profile.mustChangePassword):
 * the server refuses everything else until it is done (403 password_change_required). The API's own message says why a
 * new password is refused (too easy to guess, holds the username, the same as before).
 */
export function ChangePasswordPage() {
  const { t, i18n } = useTranslation();
  const { api, state, signOut, passwordChanged } = useSession();
  const errorText = useErrorText();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const username = state.kind === 'signed-in' ? state.profile.username : '';

  const submit = async (values: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      const profile = await api.post<Profile>('/api/auth/password', { currentPassword: values.currentPassword, newPassword: values.newPassword });
      passwordChanged(profile);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f0f2f5' }}>
      <Card style={{ width: 420 }}>
        <Typography.Title level={3} style={{ marginTop: 0 }}>{t('changePassword.title')}</Typography.Title>
        <Alert type="warning" showIcon title={t('changePassword.why', { username })} style={{ marginBottom: 16 }} />
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
        <Form<Values> layout="vertical" onFinish={submit} requiredMark={false}>
          <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
          <Form.Item label={t('changePassword.current')} name="currentPassword" rules={[{ required: true, message: t('common.required') }]}>
            <Input.Password autoFocus autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            label={t('changePassword.new')}
            name="newPassword"
            extra={t('changePassword.rules')}
            rules={[{ required: true, message: t('common.required') }, { min: 10, message: t('changePassword.tooShort') }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            label={t('changePassword.confirm')}
            name="confirm"
            dependencies={['newPassword']}
            rules={[
              { required: true, message: t('common.required') },
              ({ getFieldValue }) => ({
                validator: (_rule, value) => (!value || getFieldValue('newPassword') === value ? Promise.resolve() : Promise.reject(new Error(t('changePassword.mismatch')))),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>{t('changePassword.submit')}</Button>
        </Form>
        <div style={{ display: 'flex', justifyContent: 'space-between', marginTop: 8 }}>
          <Button type="link" style={{ paddingLeft: 0 }} onClick={() => void i18n.changeLanguage(i18n.language === 'en' ? 'zh-CN' : 'en')}>
            {t('common.language')}
          </Button>
          <Button type="link" onClick={() => void signOut()}>{t('shell.signOut')}</Button>
        </div>
      </Card>
    </div>
  );
}
