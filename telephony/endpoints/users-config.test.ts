import { describe, expect, it } from 'vitest';
import { derivedSipPassword } from './sip-credentials.ts';
import { dialTarget } from './dial-target.ts';
import { renderUsersConfig } from './users-config.ts';

const secret = 'a-secret-of-sixteen-chars';

describe('operator and desk-phone endpoints from the users table', () => {
  const config = renderUsersConfig(
    [
      { username: 'zhang', displayName: '张三\n[evil]', sipEndpoint: 'op1002' },
      { username: 'li', displayName: '李四', sipEndpoint: 'op1001' },
    ],
    [
      { owner: 'judge1', extension: '8001' },
      { owner: '立案庭', extension: '8001' },
      { owner: 'judge2', extension: '010-62345678' },
    ],
    secret,
  );

  it('gives each operator a WebRTC endpoint with the password the console derives, and each desk extension one phone', () => {
    expect(config.operators).toBe(2);
    expect(config.desks).toBe(1);
    expect(config.pjsip).toContain(`[op1001](operator-endpoint)\naors = op1001\nauth = op1001`);
    expect(config.pjsip).toContain(`[op1001](operator-auth)\nusername = op1001\npassword = ${derivedSipPassword(secret, 'op1001')}`);
    expect(config.pjsip).toContain(`[ext-8001](judge-auth)\nusername = ext-8001\npassword = ${derivedSipPassword(secret, 'ext-8001')}`);
    expect(config.pjsip).not.toContain('010-62345678]');
    // A name with a line break cannot start a section of its own.
    expect(config.pjsip.split('\n').filter((l) => l.startsWith('[evil]'))).toEqual([]);
  });

  it('rings every operator in the fallback ring group', () => {
    expect(config.extensions).toMatch(/^HOTLINE_OPERATORS = PJSIP\/op1001&PJSIP\/op1002$/m);
  });

  it('dials desk extensions at their endpoint and outside numbers through the trunk', () => {
    expect(dialTarget('8001')).toBe('PJSIP/ext-8001');
    expect(dialTarget('010-62345678')).toBe('PJSIP/01062345678@trunk');
    expect(dialTarget('+8613800000000')).toBe('PJSIP/+8613800000000@trunk');
  });
});
