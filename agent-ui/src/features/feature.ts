import type { ComponentType } from 'react';
import type { UserRole } from '../api/types.ts';

/** A translation table with the same keys as the Chinese one (checked by the type). */
export type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };

/** One page a feature adds to the console menu. */
export interface FeaturePage {
  /** The page's address, also its menu key; may hold route parameters (`/tickets/:id`) when `menu` is false. */
  path: `/${string}`;
  /** False for a page reached by link only (a ticket's own page), not listed in the menu. */
  menu?: boolean;
  /** i18n key of the menu label, inside the feature's namespace (e.g. `worklist.nav`). */
  label: string;
  /** Roles that may open the page (the API enforces the same on its routes). */
  roles: UserRole[];
  /** Menu position: the built-in pages sit at 10, 20, 30, … (see shell/nav.ts). */
  order: number;
  /** The page component, loaded when the page is first opened. */
  load: () => Promise<{ default: ComponentType }>;
}

/**
 * A console feature: a folder `src/pages/<name>/` with a `feature.ts` exporting `feature`. The build finds every such
 * file (features/registry.ts), so adding a page edits no shared list, menu or dictionary.
 */
export interface Feature<T extends object = object> {
  /** The i18n namespace the feature's texts live under (`t('<namespace>.…')`). */
  namespace: string;
  messages: { zhCN: T; en: Messages<T> };
  pages: FeaturePage[];
}

/** Declares a feature, checking that its English table has exactly the Chinese one's keys. */
export function defineFeature<T extends object>(feature: Feature<T>): Feature<T> {
  return feature;
}
