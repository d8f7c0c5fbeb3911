/** 简体中文：工作台的默认语言。键与 en.ts 一一对应（en.ts 以本文件为类型）。 */
export const zhCN = {
  app: { title: '12368 诉讼服务热线', subtitle: '话务与工单工作台' },
  common: {
    save: '保存', cancel: '取消', create: '新建', edit: '编辑', refresh: '刷新', submit: '提交', close: '关闭',
    yes: '是', no: '否', loading: '加载中…', none: '无', actions: '操作', search: '搜索', optional: '选填',
    saved: '已保存', language: 'English', languageLabel: '切换语言', required: '必填',
  },
  signIn: {
    title: '登录', username: '用户名', password: '密码', submit: '登录', expired: '会话已过期或已在别处退出，请重新登录。',
    signedOut: '您已安全退出。',
  },
  shell: {
    signOut: '退出登录', realtime: { open: '实时连接正常', connecting: '正在连接…', closed: '实时连接已断开，正在重连' },
    shortcuts: '快捷键', shortcutHelp: 'Alt+数字：切换页面；Alt+L：切换语言；?：显示快捷键', forbidden: '您的角色无权访问此页面。',
  },
  nav: { desk: '话务台', inbox: '待办工单', dashboard: '管理看板', adminUsers: '用户管理', adminDepartments: '部门管理' },
  roles: { operator: '话务员', judge: '承办法官', department_head: '部门负责人', manager: '管理人员', admin: '系统管理员' },
  stages: { answer: '接听', handoff: '交办', chase: '督办', feedback: '反馈', callback: '回访', closed: '已办结', void: '已作废' },
  inbox: {
    title: '待办工单', filters: { all: '全部', due_soon: '即将到期', overdue: '已超期', extension_requested: '申请延期' },
    number: '工单号', category: '类别', summary: '摘要', caseNumber: '案号', deadline: '办理期限', stage: '环节', handler: '承办人',
    overdue: '已超期', dueSoon: '即将到期', accepted: '已签收', notAccepted: '未签收', empty: '暂无工单',
    details: '详情', caller: '来电人', extension: '延期申请', chaseLevel: '督办级别',
    accept: '签收', reply: '答复', replyText: '答复内容', replyHint: '答复将由话务员转告来电人（Ctrl+Enter 提交）',
    askExtension: '申请延期', until: '延期至', reason: '理由', approve: '批准延期', refuse: '不批准',
    reassign: '改派', reassignTo: '改派给', department: '部门', judge: '法官', done: '操作成功',
    unavailable: '工单服务尚未启用（工单接口未挂载）。',
  },
  admin: {
    users: '用户管理', departments: '部门管理', newUser: '新建用户', editUser: '编辑用户', newDepartment: '新建部门', editDepartment: '编辑部门',
    username: '用户名', displayName: '姓名', role: '角色', department: '部门', sipEndpoint: '软电话分机（SIP 端点）', extension: '分机 / 联系电话',
    active: '启用', inactive: '停用', password: '初始密码', newPassword: '新密码', setPassword: '重置密码', unlock: '解除锁定',
    name: '部门名称', status: '状态', passwordHint: '至少 10 位', sipHint: '话务员必填，如 op1001', extensionHint: '法官、部门负责人的分机或电话',
    unlocked: '已解除锁定',
  },
  desk: {
    title: '话务台', presence: '坐席状态', ready: '示闲', pause: '示忙', pauseReason: '示忙原因',
    reasons: { break: '休息', meeting: '会议', training: '培训', other: '其他' },
    status: { ready: '空闲', not_ready: '示忙', on_call: '通话中', wrap_up: '话后整理', offline: '离线', unknown: '未知' },
    wrapUp: '话后整理剩余 {{seconds}} 秒', telephonyUnavailable: '话务控制服务尚未启用，坐席状态暂不可切换。',
    screenPop: '来电弹屏', callerNumber: '来电号码', history: '来电人历史工单', noHistory: '无历史工单', lookUp: '查询',
    previousCalls: '此前来电 {{count}} 次',
  },
  ticketForm: {
    title: '登记工单', category: '类别', caseNumber: '案号', caseNumberHint: '如（2024）豫0811民初1234号', normalized: '将保存为：{{value}}',
    summary: '来电事由（摘要）', details: '详细情况', callerNumber: '来电号码', callerName: '来电人姓名', priority: '紧急',
    outcome: '处理方式', onSpot: '当场答复', handOff: '交办', answer: '答复内容', handOffTo: '交办给', toJudge: '承办法官', toDepartment: '部门',
    submit: '提交工单（Ctrl+Enter）', created: '工单 {{number}} 已登记', closedOnSpot: '已当场答复', handedOff: '已交办',
    retryStep: '工单 {{number}} 已登记，但{{step}}未完成：{{error}}。可修改后重新提交。', clear: '清空',
  },
  softphone: {
    title: '软电话', registered: '已注册', registering: '正在注册…', unregistered: '未注册', failed: '注册失败',
    mic: { granted: '麦克风正常', denied: '麦克风未授权', unknown: '麦克风未检测' },
    incoming: '来电：{{from}}', inCall: '通话中：{{from}}', answer: '接听（Alt+A）', hangup: '挂断（Alt+H）', hold: '保持', resume: '恢复',
    mute: '静音', unmute: '取消静音', keypad: '拨号盘', noEndpoint: '管理员尚未为您分配软电话分机。', password: 'SIP 密码', connect: '连接',
    connection: { connected: '已连接', connecting: '正在连接', disconnected: '未连接' },
  },
  dashboard: {
    title: '管理看板', waiting: '排队等待', operatorsReady: '空闲话务员', connectionRate: '接通率', completionRate: '工单办理率',
    target: '目标 95%', noFigures: '等待实时数据…（统计服务启用后显示）', operators: '话务员状态', updatedAt: '更新于 {{time}}',
  },
  errors: { generic: '操作失败', notFound: '页面不存在' },
};
