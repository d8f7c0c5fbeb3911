import { defineFeature } from '../../features/feature.ts';

const zhCN = { nav: '通话监听', title: '通话监听', notice: '话务员界面提示“负责人正在监听”', recording: '菜单前播放录音提示（本次通话可能被录音…）', saved: '已保存', phone: '监听软电话', onLeg: '已接入通话', noPhone: '您没有控制台软电话：监听将拨打您的座机（如有）。' };
const en = { nav: 'Live calls', title: 'Live calls', notice: 'Tell the operator a supervisor is listening', recording: 'Play the recording notice before the menu', saved: 'Saved', phone: 'Supervision softphone', onLeg: 'On the call', noPhone: 'You have no console softphone: supervision rings your desk phone, if any.' };

/**
 * Live calls for a court's heads and managers (also on the manager's wallboard): listen, whisper, barge, leave; and
 * for managers the court's two call settings (the operator's supervision notice, the recording notice).
 */
export const feature = defineFeature({
  namespace: 'liveCalls',
  messages: { zhCN, en },
  pages: [{ path: '/live-calls', label: 'liveCalls.nav', roles: ['department_head', 'manager'], order: 56, load: () => import('./LiveCallsPage.tsx') }],
});
