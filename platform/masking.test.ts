import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskPersonalText, maskPhone, maskUrl } from './masking.ts';

describe('masking personal data', () => {
  it('masks phone numbers and keeps short extensions', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('010-62345678')).toBe('010****5678');
    expect(maskPhone('8001')).toBe('8001');
    expect(maskPhone(null)).toBeNull();
  });

  it('masks resident ID numbers, keeping region and last four', () => {
    expect(maskIdNumber('11010119900307123X')).toBe('110101********123X');
    expect(maskIdNumber('AB1234567')).toBe('AB*****67');
  });

  it('masks every ID and phone number inside free text', () => {
    const text = '当事人张三，身份证 110101199003071234，手机13812345678，座机 010-62345678，案号(2024)京01民初123号';
    const masked = maskPersonalText(text);
    expect(masked).toBe('当事人张三，身份证 110101********1234，手机138****5678，座机 010-****5678，案号(2024)京01民初123号');
  });

  it('masks phone and ID numbers in URL paths and query values, leaving ids and event ids whole', () => {
    expect(maskUrl('/api/telephony/callers/13812345678/history')).toBe('/api/telephony/callers/138****5678/history');
    expect(maskUrl('/api/x?number=0391-2345678&id=11010119900307123X&q=%E6%89%8B%E6%9C%BA13812345678')).toBe('/api/x?number=039****5678&id=110101********123X&q=手机138****5678');
    expect(maskUrl('/api/tickets/b0000000-0000-4000-8000-000000000001/handoff')).toBe('/api/tickets/b0000000-0000-4000-8000-000000000001/handoff');
    expect(maskUrl('/api/realtime?lastEventId=1795271953736-0')).toBe('/api/realtime?lastEventId=1795271953736-0');
    expect(maskUrl('/api/reports/2026?page=12')).toBe('/api/reports/2026?page=12');
  });
});
