import { Button } from 'antd';

const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

/** DTMF keypad for the call in progress (e.g. a court's extension menu after a transfer). */
export function Keypad({ onDigit, disabled }: { onDigit: (digit: string) => void; disabled: boolean }) {
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 1fr)', gap: 4, maxWidth: 180 }}>
      {keys.map((key) => (
        <Button key={key} size="small" disabled={disabled} onClick={() => onDigit(key)} aria-label={`DTMF ${key}`}>
          {key}
        </Button>
      ))}
    </div>
  );
}
