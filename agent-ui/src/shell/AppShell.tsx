import { Badge, Button, Layout, Menu, Modal, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useRealtimeStatus } from '../realtime/RealtimeProvider.tsx';
import { useProfile } from '../session/SessionProvider.tsx';
import { UnreadLookupsProvider } from '../api/unreadLookups.tsx';
import { HeaderNoticeArea } from './HeaderNotice.tsx';
import { navFor } from './nav.ts';
import { useGuardedSignOut } from './useGuardedSignOut.ts';
import { useHotkeys } from './useHotkeys.ts';
import { UnreadNotice } from './UnreadNotice.tsx';

const statusColour = { open: 'success', connecting: 'processing', closed: 'error' } as const;

/** The signed-in frame: role-based menu, who is signed in, live-connection state, what could not be read, language and sign-out. */
export function AppShell() {
  const { t, i18n } = useTranslation();
  const profile = useProfile();
  const signOut = useGuardedSignOut();
  const realtime = useRealtimeStatus();
  const navigate = useNavigate();
  const location = useLocation();
  const [helpOpen, setHelpOpen] = useState(false);
  const [noticeSlot, setNoticeSlot] = useState<HTMLElement | null>(null);
  const items = navFor(profile.role);
  const toggleLanguage = () => void i18n.changeLanguage(i18n.language === 'en' ? 'zh-CN' : 'en');

  const hotkeys: Record<string, () => void> = { 'Alt+L': toggleLanguage, '?': () => setHelpOpen(true) };
  // A key per page for the first nine (a role's menu may hold more: those are reached by the menu).
  items.slice(0, 9).forEach((item, index) => (hotkeys[`Alt+${index + 1}`] = () => navigate(item.path)));
  useHotkeys(hotkeys);

  return (
    <UnreadLookupsProvider>
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Sider width={200} theme="light" breakpoint="lg" collapsedWidth={0}>
          <div style={{ padding: '16px 16px 8px' }}>
            <Typography.Title level={5} style={{ margin: 0 }}>{t('app.title')}</Typography.Title>
            <Typography.Text type="secondary">{profile.courtName}</Typography.Text>
          </div>
          <Menu
            mode="inline"
            selectedKeys={[location.pathname]}
            items={items.map((item, index) => ({ key: item.path, label: `${t(item.label)}`, extra: <Typography.Text type="secondary" style={{ fontSize: 12 }}>Alt+{index + 1}</Typography.Text> }))}
            onClick={({ key }) => navigate(key)}
          />
        </Layout.Sider>
        <Layout>
          <Layout.Header style={{ background: '#fff', padding: '0 16px', display: 'flex', alignItems: 'center', gap: 16, borderBottom: '1px solid #f0f0f0' }}>
            <UnreadNotice />
            <div ref={setNoticeSlot} data-testid="header-notices" style={{ flex: 1, minWidth: 0, display: 'flex', alignItems: 'center', lineHeight: 'normal' }} />
            <Space size="middle">
              <Badge status={statusColour[realtime]} text={t(`shell.realtime.${realtime}`)} data-testid="realtime-status" />
              <span>
                {profile.displayName} <Tag>{t(`roles.${profile.role}`)}</Tag>
              </span>
              <Button size="small" onClick={toggleLanguage} aria-label={t('common.languageLabel')}>{t('common.language')}</Button>
              <Button size="small" onClick={() => setHelpOpen(true)}>{t('shell.shortcuts')}</Button>
              <Button size="small" danger onClick={() => void signOut()}>{t('shell.signOut')}</Button>
            </Space>
          </Layout.Header>
          <Layout.Content style={{ padding: 16 }}>
            <HeaderNoticeArea slot={noticeSlot}>
              <Outlet />
            </HeaderNoticeArea>
          </Layout.Content>
        </Layout>
        <Modal open={helpOpen} title={t('shell.shortcuts')} footer={null} onCancel={() => setHelpOpen(false)}>
          <p>{t('shell.shortcutHelp')}</p>
        </Modal>
      </Layout>
    </UnreadLookupsProvider>
  );
}
