import { defineFeature } from '../../features/feature.ts';

const zhCN = {
  nav: 'SIP 分机',
  title: 'SIP 分机（软电话与座机）',
  intro:
    '话务员的浏览器软电话和法官、部门的座机在 Asterisk 中的分机，由用户表生成。新增或停用用户、修改分机号、重置密码后，分机显示“待应用”，点击“应用到 Asterisk”写入配置文件并通知 Asterisk 重新加载；通话中的电话不受影响。配置文件为全系统共用：本院的应用会按数据库重写所有法院的分机。',
  refresh: '刷新',
  apply: '应用到 Asterisk',
  applyConfirm: '按数据库重写全系统（所有法院）的分机配置文件，并让 Asterisk 重新加载？',
  name: '分机',
  kind: '类型',
  kinds: { operator: '话务员软电话', judge: '法官座机', department: '部门座机' },
  label: '使用者',
  state: '状态',
  states: { applied: '已生效', written: '已写入，待 Asterisk 加载', pending: '待应用', removed: '待移除' },
  reasons: { new: '尚未写入', changed: '密码或信息已修改' },
  registered: '注册',
  online: '已注册',
  offline: '未注册',
  unknown: '未知',
  empty: '本院没有需要分机的用户或部门',
  dir: '配置目录：{{dir}}',
  written: '配置文件写入时间：{{time}}',
  notWritten: '配置文件尚未写入',
  asteriskUp: 'Asterisk 最近加载：{{time}}',
  asteriskDown: '无法连接 Asterisk：{{error}}',
  deploymentPending: '全系统有 {{n}} 个分机与数据库不一致（含其他法院的）',
  ringGroupPending: '话务员振铃组（热线兜底）待更新',
  noSecret: '未配置 HOTLINE_SIP_PASSWORD_SECRET：无法保存分机密码，不能应用。请在部署配置中设置后重启。',
  outcomes: {
    reloaded: '已应用：写入 {{operators}} 个话务员分机、{{desks}} 部座机，Asterisk 已重新加载。',
    asterisk_unreachable: '配置文件已写入，但无法连接 Asterisk，尚未生效；Asterisk 下次重新加载或启动时生效。',
    reload_refused: '配置文件已写入，但 Asterisk 拒绝重新加载，尚未生效：',
  },
};

const en: typeof zhCN = {
  nav: 'SIP endpoints',
  title: 'SIP endpoints (softphones and desk phones)',
  intro:
    "Asterisk's endpoints for the operators' browser softphones and the judges' and departments' desk phones, generated from the users table. After a user is added or deactivated, an extension changes or a password is reset, the endpoint shows \"pending\": \"Apply to Asterisk\" writes the configuration files and has Asterisk reload them; calls in progress are not touched. The files are the whole deployment's: this court's apply rewrites every court's endpoints from the database.",
  refresh: 'Refresh',
  apply: 'Apply to Asterisk',
  applyConfirm: "Rewrite the whole deployment's (every court's) endpoint files from the database and have Asterisk reload them?",
  name: 'Endpoint',
  kind: 'Kind',
  kinds: { operator: "Operator's softphone", judge: "Judge's desk phone", department: "Department's desk phone" },
  label: 'Used by',
  state: 'State',
  states: { applied: 'Applied', written: 'Written, Asterisk has not reloaded', pending: 'Pending — not yet applied', removed: 'To be removed' },
  reasons: { new: 'not in the files yet', changed: 'password or details changed' },
  registered: 'Registered',
  online: 'Registered',
  offline: 'Not registered',
  unknown: 'Unknown',
  empty: 'No user or department of this court needs an endpoint',
  dir: 'Configuration directory: {{dir}}',
  written: 'Files written: {{time}}',
  notWritten: 'The files have not been written yet',
  asteriskUp: 'Asterisk last reloaded: {{time}}',
  asteriskDown: 'Asterisk cannot be reached: {{error}}',
  deploymentPending: '{{n}} endpoint(s) of the deployment differ from the database (other courts’ included)',
  ringGroupPending: "The operators' ring group (the hotline's fallback) is pending",
  noSecret: 'HOTLINE_SIP_PASSWORD_SECRET is not set: endpoint passwords cannot be kept, nothing can be applied. Set it in the deployment and restart.',
  outcomes: {
    reloaded: 'Applied: {{operators}} operator endpoint(s) and {{desks}} desk phone(s) written, Asterisk reloaded.',
    asterisk_unreachable: 'The files are written but Asterisk could not be reached: not applied yet. They apply at its next reload or start.',
    reload_refused: 'The files are written but Asterisk refused to reload them: not applied. ',
  },
};

/** The SIP endpoints page (admin): the court's softphones and desk phones against Asterisk's files, and the apply. */
export const feature = defineFeature({
  namespace: 'sipEndpoints',
  messages: { zhCN, en },
  pages: [{ path: '/sip-endpoints', label: 'sipEndpoints.nav', roles: ['admin'], order: 84, load: () => import('./SipEndpointsPage.tsx') }],
});
