import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import type { i18n } from 'i18next';
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AdminDepartmentsPage } from './pages/admin/AdminDepartmentsPage.tsx';
import { AdminUsersPage } from './pages/admin/AdminUsersPage.tsx';
import { DashboardPage } from './pages/dashboard/DashboardPage.tsx';
import { DeskPage } from './pages/desk/DeskPage.tsx';
import { InboxPage } from './pages/inbox/InboxPage.tsx';
import { KnowledgeAdminPage } from './pages/knowledge/KnowledgeAdminPage.tsx';
import { ChangePasswordPage } from './pages/ChangePasswordPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { featurePages } from './features/registry.ts';
import { paths, type ConsolePath } from './paths.ts';
import { RealtimeProvider } from './realtime/RealtimeProvider.tsx';
import { SessionProvider, useSession } from './session/SessionProvider.tsx';
import { AppShell } from './shell/AppShell.tsx';
import { homeFor, navItems } from './shell/nav.ts';

// The KPI pages carry the charting library: loaded only when a manager opens them.
const KpiPage = lazy(() => import('./pages/kpi/KpiPage.tsx'));

const pages: Record<string, () => ReactNode> = {
  [paths.desk]: () => <DeskPage />,
  [paths.inbox]: () => <InboxPage />,
  [paths.dashboard]: () => <DashboardPage />,
  [paths.kpi]: () => (
    <Suspense fallback={<Spin />}>
      <KpiPage />
    </Suspense>
  ),
  [paths.knowledge]: () => <KnowledgeAdminPage />,
  [paths.adminUsers]: () => <AdminUsersPage />,
  [paths.adminDepartments]: () => <AdminDepartmentsPage />,
};
// Feature folders' pages load with their first visit, like the KPI page.
for (const page of featurePages) {
  if (pages[page.path]) throw new Error(`two console pages claim ${page.path}`);
  const Page = lazy(page.load);
  pages[page.path] = () => (
    <Suspense fallback={<Spin />}>
      <Page />
    </Suspense>
  );
}

export function App({ i18n }: { i18n: i18n }) {
  return (
    <I18nextProvider i18n={i18n}>
      <LocalisedProviders>
        <BrowserRouter>
          <SessionProvider>
            <Pages />
          </SessionProvider>
        </BrowserRouter>
      </LocalisedProviders>
    </I18nextProvider>
  );
}

/** antd's and dayjs's language follow the console's. */
function LocalisedProviders({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const [language, setLanguage] = useState(i18n.language);
  useEffect(() => {
    const onChange = (next: string) => setLanguage(next);
    i18n.on('languageChanged', onChange);
    return () => i18n.off('languageChanged', onChange);
  }, [i18n]);
  dayjs.locale(language === 'en' ? 'en' : 'zh-cn');
  return (
    <ConfigProvider locale={language === 'en' ? enUS : zhCN} componentSize="middle">
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

/** Signed out: the sign-in page at any address. Signed in: the role's pages; other addresses go to the role's home. */
function Pages() {
  const { state, sessionEnded } = useSession();
  if (state.kind === 'loading') return <Spin fullscreen />;
  if (state.kind === 'signed-out') return <SignInPage />;
  // An admin set the password: nothing else until the user has chosen their own (the server enforces it too).
  if (state.profile.mustChangePassword) return <ChangePasswordPage />;
  const { role } = state.profile;
  const home = homeFor(role);
  return (
    <RealtimeProvider onSessionEnded={sessionEnded}>
      <Routes>
        <Route element={<AppShell />}>
          {navItems.map((item) => (
            <Route
              key={item.path}
              path={item.path}
              element={item.roles.includes(role) ? pages[item.path]!() : <Navigate to={home} replace />}
            />
          ))}
          <Route path="*" element={<Navigate to={home satisfies ConsolePath} replace />} />
        </Route>
      </Routes>
    </RealtimeProvider>
  );
}
