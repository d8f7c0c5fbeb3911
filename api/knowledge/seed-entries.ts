import type { EntryInput } from './knowledge.schemas.ts';

/**
 * Starter entries for the knowledge base, each taken from a court rule in the seed documents (the source
 * names the document and article). `npm run knowledge:import` loads them into a court (starterEntries); admins
 * then edit, add and deactivate entries in the console (知识库). Answers say only what the rule says: operators must
 * not predict outcomes or judge facts (seed 000 §4(5)).
 */
export const seedEntries: EntryInput[] = [
  {
    category: 'enquiry',
    question: '打电话咨询的问题多久能得到答复？',
    answer: '法律咨询、案件查询当即答复；因特殊情况不能当场答复的，3日内答复。话务员会登记工单，并在答复后回访。',
    keywords: ['答复时限', '咨询', '3日', '多久答复'],
    source: '焦作市中级人民法院诉服中心一窗通办工作规范 第三条第4项（查询咨询功能）',
    active: true,
  },
  {
    category: 'file_reading_appointment',
    question: '可以电话预约阅卷吗？',
    answer: '可以。诉讼服务中心设案卷阅览预约及办理窗口，接收当事人电话预约阅卷；阅卷时需核实阅卷人员身份、提交阅卷申请并办理审批手续。',
    keywords: ['阅卷', '预约阅卷', '查阅案卷', '电话预约'],
    source: '云浮市云安区人民法院诉讼服务中心工作规程 第十条（查询阅卷）',
    active: true,
  },
  {
    category: 'execution_lead',
    question: '我有被执行人的财产线索，怎么反映？执行的问题多久回复？',
    answer: '当事人提交的执行线索、材料及反映的执行相关问题，当即转执行局，并于3日内将处理结果反馈给当事人。可以通过12368热线登记，话务员会转交执行局。',
    keywords: ['执行线索', '财产线索', '执行局', '执行款'],
    source: '焦作市中级人民法院诉服中心一窗通办工作规范 第三条第6项（执行服务功能）',
    active: true,
  },
  {
    category: 'complaint',
    question: '我要投诉法院工作人员，投诉后多久有结果？',
    answer: '诉讼服务中心接受当事人举报投诉，依照相关规定办理、转办，严格遵守保密纪律，处理结果3日内向当事人、举报人反馈。',
    keywords: ['投诉', '举报', '保密', '反馈'],
    source: '焦作市中级人民法院诉服中心一窗通办工作规范 第三条第8项（投诉建议功能）',
    active: true,
  },
  {
    category: 'enquiry',
    question: '交不起诉讼费，可以申请缓交、减交或免交吗？',
    answer: '可以在起诉、上诉时申请缓、减、免交诉讼费用。法院及时审查，符合法律规定条件的，自收到材料之日起2日内报庭长审核后呈报审批；不予批准的，会向当事人说明理由。',
    keywords: ['诉讼费', '缓交', '减免', '司法救助', '免交'],
    source: '焦作市中级人民法院诉服中心一窗通办工作规范 第三条第3项（司法救助功能）',
    active: true,
  },
  {
    category: 'enquiry',
    question: '立案一定要到法院现场吗？可以网上立案吗？',
    answer: '可以网上立案：凡是能网上立案的案件应上尽上，选择网上立案的，除确有必要现场提交材料外一律网上办理；选择现场提交立案申请的，不会被强制网上立案。也可以跨域立案，就近提交申请。',
    keywords: ['网上立案', '跨域立案', '立案', '自助立案', '移动微法院'],
    source: '舞钢市人民法院内外联动的诉讼服务实施意见 第十六条',
    active: true,
  },
  {
    category: 'contact_judge',
    question: '我想找承办法官，怎么联系？',
    answer: '12368热线对查找办案人员的来电转相关人员处理：话务员可将来电转接给承办法官；不能转接或法官不能接听时，登记工单交承办法官，答复后由话务员转告并回访。',
    keywords: ['联系法官', '承办法官', '转接', '承办人'],
    source: '云浮市云安区人民法院诉讼服务中心工作规程 第十五条（12368诉讼服务热线）',
    active: true,
  },
  {
    category: 'post_judgment_question',
    question: '对判决有疑问，可以申请判后答疑吗？',
    answer: '可以。诉讼服务中心负责上诉案件和申请再审案件的判后答疑工作。话务员不预测诉讼结果、不对事实和法律作评判，会登记后交承办部门答复。',
    keywords: ['判后答疑', '上诉', '再审', '判决'],
    source: '焦作市中级人民法院诉服中心一窗通办工作规范 第三条第5项；云安区工作规程 第四条第（五）项',
    active: true,
  },
];

/**
 * The starter entries as a court receives them: the rules they come from are other courts', so each source says it
 * is a reference to check against this court's own rules, and names this court, not theirs.
 */
export function starterEntries(courtName: string): EntryInput[] {
  return seedEntries.map((entry) => ({ ...entry, source: `${courtName}起草参考（请按本院规定核对）：${entry.source}` }));
}
