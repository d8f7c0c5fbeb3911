import { useEffect, useRef } from 'react';

/**
 * Keyboard shortcuts: keys like "Alt+1", "Alt+A", "Ctrl+Enter", "?". Plain keys (no modifier) are ignored
 * while the user types in a field, so "?" in a text box stays a question mark.
 */
export function useHotkeys(bindings: Record<string, () => void>): void {
  const latest = useRef(bindings);
  latest.current = bindings;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const action = latest.current[keyName(event)];
      if (!action) return;
      const typing = event.target instanceof HTMLElement && (event.target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(event.target.tagName));
      if (typing && !event.altKey && !event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

function keyName(event: KeyboardEvent): string {
  // event.code keeps Alt+letter stable on layouts where Alt changes the character (macOS).
  const key = event.code.startsWith('Key') ? event.code.slice(3) : event.code.startsWith('Digit') ? event.code.slice(5) : event.key;
  return [event.ctrlKey || event.metaKey ? 'Ctrl' : '', event.altKey ? 'Alt' : '', key].filter(Boolean).join('+');
}
