import { App } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { PresenceView } from '../pages/desk/presence.ts';
import { useApi, useProfile, useSession } from '../session/SessionProvider.tsx';

/**
 * Sign-out that asks first when an operator has a call ringing or in hand: signing out takes them out of the
 * queue (docs/console.md, presence follows the person), and the call in hand is theirs to finish.
 */
export function useGuardedSignOut(): () => Promise<void> {
  const { t } = useTranslation();
  const api = useApi();
  const profile = useProfile();
  const { signOut } = useSession();
  const { modal } = App.useApp();
  return useCallback(async () => {
    if (profile.role !== 'operator') return signOut();
    const presence = await api.get<PresenceView>('/api/presence/me').catch(() => undefined);
    if (presence?.state !== 'ringing' && presence?.state !== 'on_call') return signOut();
    const confirmed = await modal.confirm({
      title: t('shell.signOutOnCall.title'),
      content: t('shell.signOutOnCall.content'),
      okText: t('shell.signOutOnCall.ok'),
      cancelText: t('shell.signOutOnCall.cancel'),
      okButtonProps: { danger: true },
    });
    if (confirmed) await signOut();
  }, [api, profile.role, signOut, modal, t]);
}
