/**
 * Moved to platform/http/schemas.ts (what every capability's routes are built on). This re-export stays only
 * until the last capability file importing it here is updated; the import check names it as an exception.
 */
export * from '../../platform/http/schemas.ts';
