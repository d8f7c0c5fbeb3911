/**
 * Moved to platform/http/errors.ts. This re-export stays only until the last capability file importing it here
 * is updated; the import check names it as an exception.
 */
export * from '../../platform/http/errors.ts';
