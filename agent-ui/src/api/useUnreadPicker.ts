import { useTranslation } from 'react-i18next';
import type { Lookup } from './useLookup.ts';

export interface PickerWording {
  placeholder: string | undefined;
  notFoundContent?: string;
  status?: 'warning';
}

/**
 * Placeholder and empty-list text of a picker filled from lookups: when one of them could not be read and has
 * nothing to show, the picker says so ("法官名单暂时无法读取") instead of looking empty.
 */
export function useUnreadPicker(): (lookups: Lookup<unknown> | Lookup<unknown>[], placeholder?: string) => PickerWording {
  const { t } = useTranslation();
  return (lookups, placeholder) => {
    const unread = [lookups].flat().filter((l) => l.failed && l.data === undefined);
    if (unread.length === 0) return { placeholder };
    const text = t('lookups.unread', { names: unread.map((l) => t(`lookups.names.${l.name}`)).join(t('lookups.separator')) });
    return { placeholder: text, notFoundContent: text, status: 'warning' };
  };
}
