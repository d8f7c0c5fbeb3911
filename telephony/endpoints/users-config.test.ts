import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { dialTarget } from './dial-target.ts';
import { renderUsersConfig } from './users-config.ts';

const passwords: Record<string, string> = { op1001: 'first-random', op1002: 'second-random', head1: 'head-random', mgr1: 'manager-random', 'ext-8001': 'desk-random' };
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('operator and desk-phone endpoints from the users table', () => {
  const config = renderUsersConfig(
    [
      { userId: 'u2', username: 'zhang', displayName: '张三\n[evil]', sipEndpoint: 'op1002' },
      { userId: 'u1', username: 'li', displayName: '李四', sipEndpoint: 'op1001' },
      { userId: 'u3', username: 'wang', displayName: '王主任', role: 'department_head', sipEndpoint: 'head1' },
      { userId: 'u4', username: 'zhao', displayName: '赵经理', role: 'manager', sipEndpoint: 'mgr1' },
    ],
    [
      { owner: 'judge1', extension: '8001' },
      { owner: '立案庭', extension: '8001' },
      { owner: 'judge2', extension: '010-62345678' },
    ],
    (endpoint) => passwords[endpoint]!,
  );

  it('gives each operator a WebRTC endpoint and each desk extension one phone, with only the digest of their password', () => {
    expect(config.operators).toBe(2);
    expect(config.desks).toBe(1);
    expect(config.pjsip).toContain(`[op1001](operator-endpoint)\naors = op1001\nauth = op1001`);
    expect(config.pjsip).toContain(`[op1001](operator-auth)\nauth_type = digest\nrealm = hotline\nusername = op1001\npassword_digest = MD5:${md5('op1001:hotline:first-random')}`);
    expect(config.pjsip).toContain(`[ext-8001](judge-auth)\nauth_type = digest\nrealm = hotline\nusername = ext-8001\npassword_digest = MD5:${md5('ext-8001:hotline:desk-random')}`);
    for (const password of Object.values(passwords)) expect(config.pjsip).not.toContain(password);
    expect(config.pjsip).not.toMatch(/^password\s*=/m);
    expect(config.pjsip).not.toContain('010-62345678]');
    // A name with a line break cannot start a section of its own.
    expect(config.pjsip.split('\n').filter((l) => l.startsWith('[evil]'))).toEqual([]);
  });

  it('gives heads and managers the same WebRTC console softphone, sealed the same way (supervision, issue 23)', () => {
    expect(config.supervisors).toBe(2);
    for (const [name, password] of [['head1', 'head-random'], ['mgr1', 'manager-random']]) {
      expect(config.pjsip).toContain(`[${name}](operator-endpoint)\naors = ${name}\nauth = ${name}`);
      expect(config.pjsip).toContain(`[${name}](operator-aor)`);
      expect(config.pjsip).toContain(`[${name}](operator-auth)\nauth_type = digest\nrealm = hotline\nusername = ${name}\npassword_digest = MD5:${md5(`${name}:hotline:${password}`)}`);
    }
    expect(config.pjsip).toContain('; department head 王主任 (wang)');
    expect(config.pjsip).toContain('; manager 赵经理 (zhao)');
  });

  it('rings every operator in the fallback ring group, and no supervisor', () => {
    expect(config.extensions).toMatch(/^HOTLINE_OPERATORS = PJSIP\/op1001&PJSIP\/op1002$/m);
  });

  it('dials desk extensions at their endpoint and outside numbers through the trunk', () => {
    expect(dialTarget('8001')).toBe('PJSIP/ext-8001');
    expect(dialTarget('010-62345678')).toBe('PJSIP/01062345678@trunk');
    expect(dialTarget('+8613800000000')).toBe('PJSIP/+8613800000000@trunk');
  });
});
