import { Button } from 'antd';
import type { ReactNode } from 'react';

/** A figure that opens its records: a link-styled button, so it is reachable with Tab and Enter. */
export function CountLink({ value, onOpen, label, testId }: { value: ReactNode; onOpen: () => void; label: string; testId?: string }) {
  return (
    <Button type="link" size="small" style={{ padding: 0, height: 'auto' }} onClick={onOpen} aria-label={label} title={label} data-testid={testId}>
      {value}
    </Button>
  );
}
