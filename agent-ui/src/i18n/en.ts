import type { zhCN } from './zh-CN.ts';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

/** English: same keys as zh-CN.ts (checked by the type). */
export const en: Shape<typeof zhCN> = {
  app: { title: '12368 Litigation Service Hotline', subtitle: 'Calls and work orders' },
  common: {
    save: 'Save', cancel: 'Cancel', create: 'New', edit: 'Edit', refresh: 'Refresh', submit: 'Submit', close: 'Close',
    yes: 'Yes', no: 'No', loading: 'Loading…', none: 'None', actions: 'Actions', search: 'Search', optional: 'optional',
    saved: 'Saved', language: '中文', languageLabel: 'Switch language', required: 'Required',
  },
  signIn: {
    title: 'Sign in', username: 'Username', password: 'Password', submit: 'Sign in', expired: 'Your session has ended or you signed out elsewhere. Please sign in again.',
    signedOut: 'You have signed out.',
  },
  shell: {
    signOut: 'Sign out', realtime: { open: 'Live updates on', connecting: 'Connecting…', closed: 'Live updates lost, reconnecting' },
    shortcuts: 'Shortcuts', shortcutHelp: 'Alt+digit: switch page; Alt+L: switch language; Alt+K: knowledge-base search on the desk; Alt+N: new (admin pages); ?: show shortcuts', forbidden: 'Your role cannot open this page.',
  },
  nav: { desk: 'Operator desk', inbox: 'Inbox', dashboard: 'Dashboard', adminUsers: 'Users', adminDepartments: 'Departments', kpi: 'KPIs', knowledge: 'Knowledge base' },
  roles: { operator: 'Operator', judge: 'Judge', department_head: 'Department head', manager: 'Manager', admin: 'Administrator' },
  stages: { answer: 'Answer', handoff: 'Handed off', chase: 'Chased', feedback: 'Feedback', callback: 'Callback', closed: 'Closed', void: 'Void' },
  inbox: {
    title: 'Inbox', filters: { all: 'All', due_soon: 'Due soon', overdue: 'Overdue', extension_requested: 'Extension asked' },
    number: 'Number', category: 'Category', summary: 'Summary', caseNumber: 'Case number', deadline: 'Deadline', stage: 'Stage', handler: 'Handler',
    overdue: 'Overdue', dueSoon: 'Due soon', accepted: 'Accepted', notAccepted: 'Not accepted', empty: 'No work orders',
    details: 'Details', caller: 'Caller', extension: 'Extension request', chaseLevel: 'Chase level',
    accept: 'Accept', reply: 'Reply', replyText: 'Reply', replyHint: 'The operator relays your reply to the caller (Ctrl+Enter submits)',
    askExtension: 'Ask for an extension', until: 'Until', reason: 'Reason', approve: 'Approve extension', refuse: 'Refuse',
    reassign: 'Reassign', reassignTo: 'Reassign to', department: 'Department', judge: 'Judge', done: 'Done',
    unavailable: 'Work orders are not available yet (the tickets routes are not mounted).',
  },
  admin: {
    users: 'Users', departments: 'Departments', newUser: 'New user', editUser: 'Edit user', newDepartment: 'New department', editDepartment: 'Edit department',
    username: 'Username', displayName: 'Name', role: 'Role', department: 'Department', sipEndpoint: 'Softphone endpoint (SIP)', extension: 'Extension / phone',
    active: 'Active', inactive: 'Inactive', password: 'Initial password', newPassword: 'New password', setPassword: 'Set password', unlock: 'Unlock',
    name: 'Name', status: 'Status', passwordHint: 'at least 10 characters', sipHint: 'required for operators, e.g. op1001', extensionHint: 'for judges and heads',
    unlocked: 'Unlocked',
  },
  desk: {
    title: 'Operator desk', presence: 'Presence', ready: 'Ready', pause: 'Pause', pauseReason: 'Pause reason',
    reasons: { break: 'Break', meeting: 'Meeting', training: 'Training', other: 'Other' },
    status: { ready: 'Ready', not_ready: 'Paused', on_call: 'On a call', wrap_up: 'Wrap-up', offline: 'Offline', unknown: 'Unknown' },
    wrapUp: 'Wrap-up: {{seconds}} s left', telephonyUnavailable: 'Call control is not running yet; presence cannot be changed.',
    screenPop: 'Screen pop', callerNumber: 'Caller number', history: "Caller's earlier work orders", noHistory: 'No earlier work orders', lookUp: 'Look up',
    previousCalls: '{{count}} earlier calls',
  },
  ticketForm: {
    title: 'Work order', category: 'Category', caseNumber: 'Case number', caseNumberHint: 'e.g. （2024）豫0811民初1234号', normalized: 'Saved as: {{value}}',
    summary: 'Summary', details: 'Details', callerNumber: 'Caller number', callerName: 'Caller name', priority: 'Urgent',
    outcome: 'Outcome', onSpot: 'Answered on the spot', handOff: 'Hand off', answer: 'Answer given', handOffTo: 'Hand off to', toJudge: 'Judge', toDepartment: 'Department',
    submit: 'Submit (Ctrl+Enter)', created: 'Work order {{number}} registered', closedOnSpot: 'Answered on the spot', handedOff: 'Handed off',
    retryStep: 'Work order {{number}} is registered but {{step}} failed: {{error}}. Fix it and submit again.', clear: 'Clear',
  },
  softphone: {
    title: 'Softphone', registered: 'Registered', registering: 'Registering…', unregistered: 'Not registered', failed: 'Registration failed',
    mic: { granted: 'Microphone ready', denied: 'Microphone blocked', unknown: 'Microphone not checked' },
    incoming: 'Incoming: {{from}}', inCall: 'On a call: {{from}}', answer: 'Answer (Alt+A)', hangup: 'Hang up (Alt+H)', hold: 'Hold', resume: 'Resume',
    mute: 'Mute', unmute: 'Unmute', keypad: 'Keypad', noEndpoint: 'An admin has not given you a softphone endpoint yet.', password: 'SIP password', connect: 'Connect',
    connection: { connected: 'Connected', connecting: 'Connecting', disconnected: 'Disconnected' },
  },
  dashboard: {
    title: 'Dashboard', waiting: 'Callers waiting', operatorsReady: 'Operators ready', connectionRate: 'Connection rate', completionRate: 'Completion rate',
    target: 'Target 95%', noFigures: 'Waiting for live figures… (shown once the KPI service runs)', operators: 'Operators', updatedAt: 'Updated {{time}}',
  },
  kpi: {
    title: 'KPIs', range: 'Period', grain: 'Trend by', grains: { day: 'Day', week: 'Week', month: 'Month' },
    presets: { today: 'Today', yesterday: 'Yesterday', thisWeek: 'This week', lastWeek: 'Last week', thisMonth: 'This month', lastMonth: 'Last month', last30: 'Last 30 days', thisYear: 'This year' },
    connectionRate: 'Connection rate (inbound and transfers)', inbound: 'Inbound', transfer: 'Transfers', raw: 'Without short-abandon exclusion', completionRate: 'Completion rate', onTime: 'On time',
    score: 'Score', scoreOf: '{{score}} / 6', target: 'Target 95%', met: 'Met', notMet: 'Not met', noData: 'No data',
    weekOf: 'week of {{date}}', trend: 'Trend', breakdown: 'Breakdown', by: { operator: 'By operator', department: 'By department', judge: 'By judge', category: 'By category' },
    name: 'Name', none: '(none)', offered: 'Offered', answered: 'Answered', abandoned: 'Abandoned', due: 'Tickets due', completed: 'Completed', overdue: 'Overdue', onSpot: 'On the spot', voided: 'Voided',
    satisfaction: 'Satisfaction', calls: 'Calls', tickets: 'Tickets', exportCsv: 'Export CSV', exportXlsx: 'Export Excel', total: 'Total', asOf: 'As of {{time}}',
    clickHint: 'Click any number to see its calls and tickets', transferNote: 'Transfer legs are not recorded yet: the transfer rate is empty and the combined rate equals the inbound rate.',
    drill: {
      title: 'Details: {{name}}', time: 'Time', call: 'Call id', ticket: 'Ticket', value: 'Value', empty: 'No records', more: '{{total}} in all',
      callNote: 'Calls show their id and time only (telephony has no route for one call yet).', open: 'Open',
    },
    trail: 'Trail', action: 'Action', actor: 'Actor role',
  },
  wallboard: {
    title: 'Live wallboard', waiting: 'Callers waiting', longestWait: 'Longest wait', byState: 'Operators by state', todayConnection: "Today's connection rate", todayCompletion: "Today's completion rate",
    todayScore: "Today's score", operator: 'Operator', state: 'State', since: 'For', kpiLink: 'Open KPIs', noOperators: 'No operators signed in',
    updatedAt: 'Updated {{time}}', unavailable: 'Call control is not running: the queue and operator states are not available.',
    forbidden: 'The queue and operator states are for managers only (telephony limits the route).',
  },
  knowledge: {
    title: 'Knowledge base', panel: 'Knowledge base (Alt+K)', searchPlaceholder: "Type the caller's question, e.g. 怎么预约阅卷", noHits: 'No answer found', source: 'Source',
    category: 'Category', question: 'Question', answer: 'Answer to give', keywords: 'Keywords', keywordsHint: 'Press Enter after each', active: 'Active', inactive: 'Inactive',
    newEntry: 'New entry', editEntry: 'Edit entry', remove: 'Delete', removeConfirm: 'Delete this entry? Deactivating keeps it but hides it from operators.', removed: 'Deleted',
    copy: 'Use as answer', copied: 'Copied into the work order', filter: 'Filter questions or answers', empty: 'The knowledge base is empty', all: 'All categories',
  },
  myQueue: {
    title: 'My queue', empty: 'Nothing to relay or follow up', feedback: 'To relay', callback: 'Return visit', replied: 'Replied {{time}}', reopened: 'Reopened {{count}}×',
    relay: 'Relay reply', visit: 'Return visit', callbackCall: 'Call back', surveyCall: 'Voice survey', callbackStarted: 'Calling back: your softphone rings first, then the caller', surveyStarted: 'The caller will be called for the voice survey',
    relayTitle: 'Relay the reply · {{number}}', reply: "Handler's reply", channel: 'Channel', phone: 'Phone', sms: 'SMS', delivered: 'Caller told', notDelivered: 'Could not reach',
    note: 'Note', relaySms: 'Send SMS', relaySmsHint: 'The system sends the SMS; once accepted the ticket moves to the return visit.', recordPhone: 'Record the phone call',
    visitTitle: 'Return visit · {{number}}', resolved: 'Resolved?', satisfaction: 'Satisfaction', satisfied: 'Satisfied', basically_satisfied: 'Basically satisfied', unsatisfied: 'Unsatisfied',
    unsatisfiedHint: '"Unsatisfied" sends the ticket back to its handler.', done: 'Saved', callerNumber: 'Caller number',
  },
  ticketActions: {
    create: 'Registered', create_from_call: 'Registered from a call', create_from_message: 'Registered from a message', edit: 'Edited', attach_call: 'Call attached', answer_on_spot: 'Answered on the spot', answer_on_spot_with_callback: 'Answered on the spot (return visit due)',
    hand_off: 'Handed off', accept: 'Accepted', reassign: 'Reassigned', request_extension: 'Extension asked', approve_extension: 'Extension approved', refuse_extension: 'Extension refused',
    remind: 'Reminder', escalate: 'Escalated', chase: 'Chased', reply: 'Replied', relay_feedback: 'Reply relayed', record_delivery: 'Caller told',
    close_after_callback: 'Closed after return visit', reopen: 'Reopened', void: 'Voided',
  },
  errors: { generic: 'The action failed', notFound: 'No such page' },
};
