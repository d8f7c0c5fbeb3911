import { useTranslation } from 'react-i18next';
import { defaultCategories } from '../../../tickets/vocabulary.ts';
import type { Category } from './types.ts';
import { useLookup } from './useLookup.ts';

/** The shipped categories, shown until the server's list (which admins may have edited) arrives. */
const shipped: Category[] = defaultCategories.map((c) => ({ ...c, active: true }));

/** Work-order categories (GET /api/ticket-categories) and a function naming one in the console's language. */
export function useCategories() {
  const { i18n } = useTranslation();
  const categories = useLookup<Category[]>('/api/ticket-categories', 'categories').data ?? shipped;
  const nameOf = (code: string) => {
    const category = categories.find((c) => c.code === code);
    return category ? (i18n.language === 'en' ? category.nameEn : category.nameZh) : code;
  };
  return { categories, nameOf };
}
