import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import type { i18n } from 'i18next';
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { SignInPage } from './pages/SignInPage.tsx';
import { featurePages } from './features/registry.ts';
import { paths, type ConsolePath } from './paths.ts';
import { RealtimeProvider } from './realtime/RealtimeProvider.tsx';
import { SessionProvider, useSession } from './session/SessionProvider.tsx';
import { AppShell } from './shell/AppShell.tsx';
import { homeFor, navItems } from './shell/nav.ts';

// Only the sign-in page comes with the first screen; every other page (the desk with its softphone, the KPI page
// with its charts, the admin pages) loads on its first visit, so a console opens on little script
// (docs/performance.md, "Console size"). `load` names a module exporting the page by name.
const named = <K extends string>(load: () => Promise<Record<K, () => ReactNode>>, name: K) => lazy(async () => ({ default: (await load())[name] }));
const ChangePasswordPage = named(() => import('./pages/ChangePasswordPage.tsx'), 'ChangePasswordPage');
const builtInPages: Record<string, ReturnType<typeof lazy>> = {
  [paths.desk]: named(() => import('./pages/desk/DeskPage.tsx'), 'DeskPage'),
  [paths.inbox]: named(() => import('./pages/inbox/InboxPage.tsx'), 'InboxPage'),
  [paths.dashboard]: named(() => import('./pages/dashboard/DashboardPage.tsx'), 'DashboardPage'),
  [paths.kpi]: lazy(() => import('./pages/kpi/KpiPage.tsx')),
  [paths.knowledge]: named(() => import('./pages/knowledge/KnowledgeAdminPage.tsx'), 'KnowledgeAdminPage'),
  [paths.adminUsers]: named(() => import('./pages/admin/AdminUsersPage.tsx'), 'AdminUsersPage'),
  [paths.adminDepartments]: named(() => import('./pages/admin/AdminDepartmentsPage.tsx'), 'AdminDepartmentsPage'),
};
const pages: Record<string, () => ReactNode> = {};
const addPage = (path: string, Page: ReturnType<typeof lazy>) => {
  if (pages[path]) throw new Error(`two console pages claim ${path}`);
  pages[path] = () => (
    <Suspense fallback={<Spin />}>
      <Page />
    </Suspense>
  );
};
for (const [path, Page] of Object.entries(builtInPages)) addPage(path, Page);
// Feature folders' pages likewise (features/registry.ts).
for (const page of featurePages) addPage(page.path, lazy(page.load));

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
  if (state.profile.mustChangePassword) {
    return (
      <Suspense fallback={<Spin fullscreen />}>
        <ChangePasswordPage />
      </Suspense>
    );
  }
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
