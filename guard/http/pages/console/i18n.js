// The words of the page itself, in simplified Chinese and English, and t(); the traditional Chinese set
// (i18n-zh-tw.js) is generated from the simplified one by `make docs`; vocabulary labels come from vocab.js.
import { ZH_TW } from "./i18n-zh-tw.js";

const LANG = "guard.lang";
const LANGS = ["zh", "zh-TW", "en"];
// No choice made yet: the browser's first Chinese (navigator.languages is in the user's order of preference,
// most preferred first): traditional for zh-Hant… or Taiwan, Hong Kong or Macau Chinese (unless written zh-Hans…),
// simplified for any other Chinese, and simplified when the browser lists no Chinese at all.
const traditional = (tag) => {
  const sub = tag.toLowerCase().split(/[-_]/);
  return sub.includes("hant") || (!sub.includes("hans") && sub.slice(1).some((s) => ["tw", "hk", "mo"].includes(s)));
};
const browserChinese = () => {
  const first = (navigator.languages || [navigator.language || ""]).find((l) => /^zh([-_]|$)/i.test(l));
  return first && traditional(first) ? "zh-TW" : "zh";
};
export let lang = LANGS.includes(localStorage.getItem(LANG)) ? localStorage.getItem(LANG) : browserChinese();
let lastChinese = lang === "en" ? browserChinese() : lang;
// A Chinese the reader chose: in the console (stored), or first among the browser's languages.
let chineseChosen = (lang !== "en" && LANGS.includes(localStorage.getItem(LANG)))
  || (navigator.languages || [navigator.language || ""]).some((l) => /^zh([-_]|$)/i.test(l));

export function setLang(next) {
  lang = LANGS.includes(next) ? next : "zh";
  if (lang !== "en") { lastChinese = lang; chineseChosen = true; }
  localStorage.setItem(LANG, lang);
}

/** The headers to ask the guard's HTML reports (audit, what-if) with: the console's Chinese (the one last chosen while
 * it reads in English) before English, so a report opened from the console reads in the console's Chinese; none when
 * no Chinese was chosen, here or in the browser (the guard then takes its packs' Chinese). */
export const reportHeaders = () => (chineseChosen
  ? { "Accept-Language": `${lastChinese === "zh-TW" ? "zh-TW" : "zh-CN"}, en;q=0.5` } : {});

/** The Chinese last chosen (for the Chinese/English switch). */
export const chineseChoice = () => lastChinese;
/** The language as a BCP 47 tag, also the key of the guard's `messages` maps: zh-CN, zh-TW or en. */
export const langTag = () => (lang === "zh" ? "zh-CN" : lang);
/** The text of a `messages` map ({zh-CN, zh-TW, en}) in the current language. */
export const pick = (messages, fallback) => (messages && messages[langTag()]) || fallback || "";

const I18N = {
  zh: {
    brand: "外呼合规守卫 · 运营台", skip: "跳到主要内容", signout: "退出", back: "返回修改", cancel: "取消", next: "下一步",
    confirm: "确认提交", close: "关闭", search: "查询", refresh: "刷新", none: "无", yes: "是", no: "否", loading: "加载中…",
    "nav.dashboard": "看板", "nav.lookup": "决策查询", "nav.customer": "客户", "nav.complaints": "投诉队列",
    "nav.review": "话术审核", "nav.audits": "审计", "nav.whatif": "策略预演",
    "sw.user": "用户名", "sw.password": "密码", "sw.go": "登录", "sw.hint": "使用行内账号（目录）或本地账号登录。",
    "sw.failed": "用户名或密码错误。", "sw.locked": "登录失败次数过多，请稍后再试。", "sw.disabled": "账户已停用，请联系管理员。",
    "sw.norole": "您的目录账户没有本系统的角色，请联系管理员。", "sw.directory": "目录服务暂不可用，暂时无法登录。",
    "sw.keyTitle": "管理员：使用 API 密钥",
    "signin.title": "登录", "signin.key": "API 密钥", "signin.go": "登录",
    "signin.help": "密钥只保存在当前浏览器标签页中，关闭标签页即清除，只发送给本服务。",
    "signin.bad": "密钥无效或已吊销，请检查后重试。",
    "err.401": "登录已过期（或密钥无效、已吊销），请重新登录；未提交的内容没有保存。",
    "err.403": "此密钥没有执行该操作的权限（密钥角色：{have}）。需要的角色：{need}。",
    "err.404": "未找到：{msg}", "err.400": "输入有误：{msg}", "err.409": "冲突：{msg}",
    "err.412": "数据已被他人修改（当前版本 {current}），请刷新后重新操作。",
    "err.413": "内容太大：{msg}", "err.429": "请求过于频繁，请稍后再试。",
    "err.503": "服务暂不可用（存储不可达或策略未加载）。外呼请按“禁止拨打”处理。",
    "err.network": "无法连接到服务，请检查网络。", "err.other": "出错了（{status}）：{msg}",
    "forbidden.page": "当前密钥（角色：{have}）无权查看“{page}”，需要以下角色之一：{need}。",
    "forbidden.page.person": "当前账号（角色：{have}）无权查看“{page}”，需要以下角色之一：{need}。",
    "lookup.title": "决策查询：这通电话为什么被拒绝？", "lookup.by": "查询方式", "lookup.q": "查询内容",
    "lookup.phone": "电话号码", "lookup.customer": "客户编号", "lookup.decision": "决策编号",
    "lookup.none": "没有找到相关决策。", "lookup.count": "共 {n} 条决策（最新在前）",
    "d.allowed": "允许拨打", "d.denied": "禁止拨打", "d.dry": "试算", "d.at": "呼叫时间（被叫当地）",
    "d.phone": "号码", "d.customer": "客户", "d.campaign": "营销活动", "d.product": "产品", "d.agent": "坐席",
    "d.policy": "决策策略版本", "d.id": "决策编号", "d.outcome": "通话结果", "d.reasons": "拒绝原因",
    "d.next": "最早可再次呼叫", "d.never": "在原因解除前不可呼叫", "d.nowok": "—",
    "cust.title": "客户", "cust.id": "客户编号", "cust.open": "打开", "cust.profile": "客户资料",
    "cust.phones": "号码", "cust.risk": "风险等级", "cust.assessed": "测评时间", "cust.expires": "测评到期",
    "cust.expired": "已过期", "cust.valid": "有效", "cust.norisk": "未测评", "cust.tags": "标签", "cust.tz": "时区",
    "cust.windows": "客户可联系时段", "cust.version": "资料版本", "cust.noprofile": "没有客户资料（仅见于名单或投诉）。",
    "cust.suppression": "抑制状态", "cust.blacklist": "营销黑名单", "cust.blocked": "已拉黑", "cust.notblocked": "未拉黑",
    "cust.mute": "静音营销", "cust.muted": "静音至 {until}", "cust.notmuted": "未静音", "cust.deferrals": "暂缓呼叫",
    "cust.deferred": "{at} 之前不要来电", "cust.entries": "黑名单条目", "cust.history": "历史条目",
    "cust.complaints": "投诉", "cust.decisions": "最近决策与通话结果", "cust.alldecisions": "在决策查询中查看全部决策", "cust.trail": "操作记录（审计轨迹）",
    "consent.title": "营销授权与号码来源", "consent.none": "未登记授权记录", "consent.source": "号码来源", "consent.channels": "授权渠道",
    "consent.products": "授权产品", "consent.allproducts": "全部产品", "consent.given": "授权时间", "consent.expires": "有效期至", "consent.version": "授权书版本",
    "consent.evidence": "凭证", "consent.withdrawn": "撤回", "consent.versions": "版本数", "consent.status.given": "有效",
    "consent.status.withdrawn": "已撤回", "consent.status.expired": "已过期", "consent.status.not_yet_given": "尚未生效",
    "cust.actions": "操作", "act.blacklist": "加入黑名单", "act.complaint": "记录投诉", "act.windows": "设置可联系时段",
    "cust.notfound": "系统中没有客户 {id} 的任何记录。", "sensitive": "高敏感",
    "bl.scope": "范围", "bl.scope.customer": "该客户的所有号码", "bl.scope.phone": "仅一个号码", "bl.phone": "号码",
    "bl.source": "来源", "bl.reason": "原因（必填，记入审计）", "bl.reason.col": "原因", "bl.reason.short": "请填写原因（至少两个汉字或三个字母）。",
    "bl.confirm": "确认将 {who} 加入营销黑名单？此后对其的营销外呼将被拒绝，只有管理员可以移除。",
    "cp.severity": "严重程度", "cp.category": "类别", "cp.text": "投诉内容", "cp.phone": "涉及号码", "cp.any": "（不指定）",
    "cp.confirm": "确认为 {who} 记录一条{sev}投诉？客户将被标记为高敏感，可能被静音；内容要求停止来电的将加入黑名单。",
    "cp.needtext": "请填写投诉内容或类别。",
    "reauth.needed": "登录已过期，尚未提交。请重新登录，填写的内容仍在，登录后即提交。", "reauth.user": "用户名",
    "reauth.password": "密码", "reauth.go": "登录并提交",
    "cp.received": "收到时间", "cp.received.hint": "（留空为现在）", "cp.received.now": "现在", "cp.received.bad": "收到时间无效，请重新选择。",
    "cp.received.future": "收到时间不能晚于现在。",
    "win.days": "日期", "win.from": "开始", "win.to": "结束", "win.add": "添加时段", "win.remove": "删除",
    "win.help": "例如 mon-fri、sat,sun、weekends；时间为客户当地时间，结束时间不含。留空表示不限（只受策略时段约束）。",
    "win.confirm": "确认将客户可联系时段设为：{w}？", "win.empty": "不限", "win.bad": "第 {n} 行不完整。",
    "q.title": "投诉队列", "q.unresolved": "全部未办结", "q.open": "未超时", "q.none": "队列为空。",
    "q.severity": "严重程度", "q.who": "客户 / 号码", "q.category": "类别", "q.received": "收到时间", "q.due": "下一时限",
    "q.status": "状态", "q.actions": "操作", "q.left": "剩余 {d}", "q.late": "已超时 {d}",
    "ev.note": "处理说明",
    "ev.confirm": "确认对这条投诉登记“{ev}”？",
    "ev.do.first_response": "首次响应", "ev.do.escalated": "升级", "ev.do.resolved": "办结", "ev.do.callback": "满意度回访",
    "ev.do.assign": "指定主管", "ev.to.none": "已自动升级，未指定主管",
    "q.count": "{n} 条，按最近的时限排序", "q.more": "显示更多", "list.shown": "已显示 {n} 条", "days": "天",
    "au.title": "审计", "au.upload": "上传呼叫记录", "au.file": "呼叫记录文件（CSV 或 JSON Lines）", "au.go": "开始审计", "au.basis": "历史口径",
    "au.nofile": "请先选择文件。", "au.recent": "最近的审计", "au.status": "状态", "au.created": "创建时间", "au.source": "文件",
    "au.progress": "进度", "au.rows": "已处理 {rows} 行", "au.viol": "违规 {n} 条", "au.open": "打开报告",
    "au.csv": "下载违规明细（CSV）", "au.download": "下载报告", "au.judged": "已判定呼叫", "au.violations": "违规",
    "au.rejected": "无法读取的行", "au.bycode": "按违规代码", "au.popup": "浏览器阻止了新窗口，请使用“下载报告”。",
    "au.cancel": "取消审计", "au.cancelling": "已请求取消，审计将在下一个进度点停止。",
    "au.none": "还没有审计。",
    "au.rules": "违反规则的呼叫", "au.unchecked": "未经核验的呼叫（无有效决策）", "au.ruleviolations": "规则违规", "au.share": "占已判定呼叫 {p}%",
    "au.apart": "未经核验（UNCHECKED_CALL）单独统计：没有有效决策编号的呼叫未必违反规则，只是拨打前没有询问。",
    "au.xlsx": "下载违规明细（Excel）", "au.rejects": "无法读取的行（{n}）", "au.rejectsmore": "显示前 {shown} 行，另有 {more} 行见 CSV。",
    "au.line": "行号", "au.reason": "原因", "au.rejectscsv": "下载无法读取的行（CSV）",
    "au.code": "违规代码", "au.n": "条数", "au.encoding": "文件编码", "au.enc.auto": "自动识别", "au.tz": "无时区的时间按", "au.tz.none": "不按时区读（时间须带时区）",
    "au.tz.cn": "北京时间（Asia/Shanghai）", "au.tz.hk": "香港时间（Asia/Hong_Kong）", "au.tz.mo": "澳门时间（Asia/Macau）",
    "au.tz.tw": "台北时间（Asia/Taipei）",
    "au.tz.help": "呼叫时间没有时区（如 2026/11/30 9:05，电子表格常这样导出）时，请选择这些时间所在的时区；带时区的时间按其自身时区。",
    "dash.title": "看板", "dash.date": "日期", "dash.checks": "今日检查", "dash.allowed": "允许", "dash.denied": "拒绝",
    "dash.ratio": "放行率", "dash.dry": "试算", "dash.cp_open": "未超时投诉", "dash.cp_overdue": "超时投诉",
    "dash.byreason": "拒绝原因（次数）", "dash.bycampaign": "各营销活动放行与拒绝", "dash.complaints": "投诉：严重程度与 SLA 状态",
    "dash.escalated": "已升级", "dash.nodata": "当天没有数据。", "dash.table": "查看数据表", "dash.tz": "时区 {tz}",
    "done": "已完成", "saved": "已保存", "recorded": "已记录",
    "act.blacklist.done": "已加入黑名单", "act.complaint.done": "投诉已记录", "act.windows.done": "可联系时段已更新",
    "trail.at": "时间", "trail.actor": "操作人", "trail.action": "操作", "trail.detail": "内容",
    // The complaint workflow queue, numbers with no profile, dry runs among decisions, chart tables.
    "q.tab.late": "逾期待办", "q.stage": "处理阶段", "q.fr": "首次响应情况", "q.fr.met": "按时响应", "q.fr.late": "响应超时", "q.extended": "已延期至 {at}",
    "q.fr.due": "时限 {at}", "cp.late": "已逾期",
    "ev.do.extended": "延期", "ev.until.now": "当前办结时限：{at}", "ev.until": "新的办结时限", "ev.until.needed": "请填写新的办结时限。", "ev.until.shown": "办结时限延至 {at}",
    "ev.note.extend": "延期原因（必填，记入审计）", "ev.note.extend.needed": "延期须说明情况为何复杂。", "ev.approved_by": "审批人（收到投诉 30 日后的时限须填写）",
    "ev.extend.help": "依《银行业保险业消费投诉处理管理办法》：情况复杂的可延长至收到投诉后 30 日；情况特别复杂或有其他特殊原因的，经上级机构或总行、总公司高级管理人员审批并告知投诉人，可再延长 30 日。已过期的时限不能再延期。",
    "bl.removal": "移出", "bl.removal.admin": "移出 / 操作", "bl.removal.list": "名单移出 #{id}", "bl.removal.still": "移出后仍被拦截", "bl.removal.free": "移出后不再拦截", "bl.lapsed": "已到期", "bl.lapsed.on": "已于 {at} 到期失效（非移出）", "bl.until": "至 {at}",
    "act.unblacklist": "解除黑名单", "act.unblacklist.done": "已移出黑名单", "unbl.reason": "移出原因（必填，记入审计）",
    "unbl.confirm.phone": "确认将号码 {who} 移出营销黑名单（来源：{source}）？移出后对该号码的营销外呼不再因此条目被拒绝。",
    "unbl.confirm.customer": "确认将客户 {who} 移出营销黑名单（来源：{source}）？移出后该客户所有号码不再因此条目被拒绝。",
    "ev.to": "升级至（主管姓名）", "ev.to.needed": "请填写接手的主管。", "ev.to.shown": "升级至 {to}", "ev.result": "回访结果",
    "ev.callback.help": "满意度回访属于服务联系：不受营销静音限制，不计入营销外呼频次，也不解除静音。",
    "ev.note.resolve": "办结说明（必填）", "ev.note.needed": "办结须填写处理说明。",
    "d.result": "决策", "d.kind": "类型", "d.dry.result": "试算：{r}", "d.live": "实际呼叫",
    "num.title": "号码 {phone}", "num.noprofile": "该号码没有客户资料：仍可将号码加入黑名单或记录投诉。",
    "num.help": "可按客户编号或电话号码查询；电话号码可用国际格式（+86…）或国内格式。", "num.asphone": "按电话号码查询",
    "dash.item": "项目",
    "dash.notices": "节假日安排通知未录入",
    "dash.notice": "策略包 {pack}（日历 {calendar}）没有 {year} 年的节假日安排通知：{year} 年只拦截《全国年节及纪念日放假办法》规定的假日，通知另行安排的放假日将按工作日判断，调休上班日将按周末判断。",
    "dash.notice_how": "国务院办公厅每年秋季发布下一年的《关于部分节假日安排的通知》。请在策略包 holidays 的 add 和 workdays 中录入，然后执行 guard policies reload。",
    "lang.zh": "简体", "lang.zh-TW": "繁體", "lang.en": "English", "lang.pick": "界面语言",
    "unit.d": "天", "unit.h": "小时", "unit.m": "分钟",
    // the 策略预演 What-if page (pages/whatif.js)
    "wi.title": "策略预演：草稿策略包上线前会改变什么？", "wi.draft": "草稿策略包（YAML）", "wi.file": "或从文件载入", "wi.name": "文件名", "wi.from": "起（含）",
    "wi.to": "止（不含）", "wi.go": "开始预演", "wi.nodraft": "请粘贴或载入草稿策略包。", "wi.against": "预演对象", "wi.ag_decisions": "决策日志（按时段）",
    "wi.ag_calls": "呼叫记录文件（CSV 或 JSON Lines，与稽核同列）", "wi.calls": "呼叫记录文件", "wi.nocalls": "请选择呼叫记录文件。",
    "wi.encoding": "无法判断呼叫记录文件的编码（不是 UTF-8，也无法分辨 GBK 与 Big5）：请另存为 UTF-8，或在“稽核”页上传（可指定编码）。",
    "wi.draft_encoding": "无法判断策略草案文件的编码（不是 UTF-8，也无法分辨 GBK 与 Big5）：请另存为 UTF-8。",
    "wi.help": "草稿替换同一 id 的现行版本，逐条重判该时段的决策日志：事实按当时所知，频次按顺序重算（草稿拒绝的呼叫不再计数）。", "wi.sim": "预演", "wi.period": "重判时段：{from} 至 {to}（不含），{days} 天", "wi.judged": "重判的决策",
    "wi.a2d": "允许 → 拒绝", "wi.d2a": "拒绝 → 允许", "wi.reasons": "仍拒绝、原因不同", "wi.drop": "预计每日减少呼叫",
    "wi.perday": "每日 {before} → {after}（{pct}%）", "wi.fidelity": "现行版本重判与日志一致：{ok} / {n}", "wi.differs": "有 {n} 条与日志不一致",
    "wi.notReplayed": "草案修改了 {rules}：投诉和外呼结果产生的静音、延期和黑名单按现行版本当时的记录重放，本报告不反映这些修改的效果",
    "wi.governsNone": "草案（{ids}）未判定所审的 {n} 条中的任何一条：草案只替换同一策略包 id 的现行版本（现行策略包：{serving}）",
    "wi.byreason": "按原因", "wi.bycampaign": "按营销活动", "wi.bytier": "按客户等级（频次档）", "wi.examples": "示例", "wi.scripts": "需重新审核的已批准话术",
    "wi.noscripts": "无：所有已批准话术在草稿下仍通过。",
    "wi.unvouched": "未检查措辞的已批准话术（草稿没有适用的话术规则，“通过”不代表措辞合规）", "wi.unvouchedWhy": "说明", "wi.nochange": "草稿不改变任何决策。", "wi.open": "打开报告", "wi.download": "下载报告",
    "wi.recent": "最近的预演", "wi.none": "还没有预演。", "wi.created": "创建时间", "wi.status": "状态", "wi.change": "变化", "wi.code": "原因",
    "wi.n": "数量", "wi.when": "时间（被叫当地）", "wi.number": "号码", "wi.customers": "客户", "wi.campaign": "营销活动", "wi.tier": "客户等级（频次档）", "wi.before": "原结果",
    "wi.after": "草稿结果", "wi.allowed": "允许", "wi.script": "话术", "wi.version": "版本", "wi.findings": "新发现",
    "wi.judgedTitle": "审核员判断过的检查结果",
    "wi.judgedSummary": "误报 {fa} 条：现行版本仍报 {sfa} 条，草稿仍报 {dfa} 条；属实 {c} 条：现行版本检出 {sc} 条，草稿检出 {dc} 条。",
    "wi.nojudged": "草稿不改变任何已判断的检查结果。", "wi.rule": "规则", "wi.words": "文字", "wi.underDraft": "草稿下",
    "wi.false_alarm_cleared": "误报消除", "wi.false_alarm_raised": "误报重现", "wi.confirmed_lost": "漏检：属实的检查结果消失",
    "wi.confirmed_found": "恢复检出",
  },
  en: {
    brand: "Contact guard · Operations console", skip: "Skip to main content", signout: "Sign out", back: "Back", cancel: "Cancel",
    next: "Next", confirm: "Confirm", close: "Close", search: "Search", refresh: "Refresh", none: "none", yes: "yes", no: "no",
    loading: "Loading…",
    "nav.dashboard": "Dashboard", "nav.lookup": "Decisions", "nav.customer": "Customers", "nav.complaints": "Complaints",
    "nav.review": "Script review", "nav.audits": "Audits", "nav.whatif": "What-if",
    "sw.user": "User name", "sw.password": "Password", "sw.go": "Sign in",
    "sw.hint": "Sign in with your bank directory account or a local account.", "sw.failed": "Wrong user name or password.",
    "sw.locked": "Too many failed sign-ins; try again later.", "sw.disabled": "This account is disabled; ask the administrator.",
    "sw.norole": "Your directory account has no role here; ask the administrator.",
    "sw.directory": "The directory cannot be reached; sign-in is not possible now.", "sw.keyTitle": "Administrators: API key",
    "signin.title": "Sign in", "signin.key": "API key", "signin.go": "Sign in",
    "signin.help": "The key is kept in this browser tab only (cleared when it closes) and sent only to this guard.",
    "signin.bad": "This key is unknown or revoked. Check it and try again.",
    "err.401": "Your sign-in has ended (or the key is unknown or revoked). Sign in again; what was not submitted was not saved.",
    "err.403": "This key may not do that (its roles: {have}). It needs: {need}.",
    "err.404": "Not found: {msg}", "err.400": "Invalid input: {msg}", "err.409": "Conflict: {msg}",
    "err.412": "Someone changed this meanwhile (now version {current}). Reload and apply your change again.",
    "err.413": "Too large: {msg}", "err.429": "Too many requests; try again shortly.",
    "err.503": "The guard is unavailable (store unreachable or no policy). Dialers must treat this as do not dial.",
    "err.network": "The guard cannot be reached. Check the network.", "err.other": "Something went wrong ({status}): {msg}",
    "forbidden.page": "This key (roles: {have}) may not open “{page}”; it needs one of: {need}.",
    "forbidden.page.person": "Your account (roles: {have}) may not open “{page}”; it needs one of: {need}.",
    "lookup.title": "Decision lookup: why was this call denied?", "lookup.by": "Search by", "lookup.q": "Search for",
    "lookup.phone": "Phone number", "lookup.customer": "Customer id", "lookup.decision": "Decision id",
    "lookup.none": "No decisions found.", "lookup.count": "{n} decision(s), newest first",
    "d.allowed": "Allowed", "d.denied": "Denied", "d.dry": "dry run", "d.at": "Call time (callee's local)",
    "d.phone": "Number", "d.customer": "Customer", "d.campaign": "Campaign", "d.product": "Product", "d.agent": "Agent",
    "d.policy": "Policy version", "d.id": "Decision id", "d.outcome": "Outcome", "d.reasons": "Why it was denied",
    "d.next": "Earliest next call", "d.never": "Not until the reason is lifted", "d.nowok": "—",
    "cust.title": "Customer", "cust.id": "Customer id", "cust.open": "Open", "cust.profile": "Profile",
    "cust.phones": "Numbers", "cust.risk": "Risk level", "cust.assessed": "Assessed", "cust.expires": "Assessment expires",
    "cust.expired": "expired", "cust.valid": "valid", "cust.norisk": "not assessed", "cust.tags": "Tags", "cust.tz": "Time zone",
    "cust.windows": "Customer's calling windows", "cust.version": "Profile version",
    "cust.noprofile": "No profile (known only from lists or complaints).",
    "cust.suppression": "Suppression", "cust.blacklist": "Do-not-call list", "cust.blocked": "blacklisted",
    "cust.notblocked": "not blacklisted", "cust.mute": "Mute", "cust.muted": "muted until {until}", "cust.notmuted": "not muted",
    "cust.deferrals": "Deferrals", "cust.deferred": "not before {at}", "cust.entries": "Entries", "cust.history": "History",
    "cust.complaints": "Complaints", "cust.decisions": "Recent decisions and outcomes", "cust.alldecisions": "All decisions, in the decision lookup", "cust.trail": "Audit trail",
    "consent.title": "Marketing consent and provenance", "consent.none": "No consent recorded", "consent.source": "Number came from",
    "consent.channels": "Channels", "consent.products": "Products", "consent.allproducts": "every product", "consent.given": "Given", "consent.expires": "Valid until",
    "consent.version": "Text version", "consent.evidence": "Evidence", "consent.withdrawn": "Withdrawn", "consent.versions": "Versions",
    "consent.status.given": "valid", "consent.status.withdrawn": "withdrawn", "consent.status.expired": "expired",
    "consent.status.not_yet_given": "not yet given",
    "cust.actions": "Actions", "act.blacklist": "Add to do-not-call list", "act.complaint": "Record a complaint",
    "act.windows": "Set calling windows", "cust.notfound": "The guard has no record of customer {id}.", "sensitive": "sensitive",
    "bl.scope": "Scope", "bl.scope.customer": "Every number of the customer", "bl.scope.phone": "One number", "bl.phone": "Number",
    "bl.source": "Source", "bl.reason": "Reason (required, kept in the audit trail)", "bl.reason.col": "Reason", "bl.reason.short": "Give a reason (two Chinese characters or three letters at least).",
    "bl.confirm": "Add {who} to the do-not-call list? Marketing calls to them will be denied; only an admin can remove the entry.",
    "cp.severity": "Severity", "cp.category": "Category", "cp.text": "What the customer said", "cp.phone": "Number concerned",
    "cp.any": "(not specific)",
    "cp.confirm": "Record a {sev} complaint for {who}? The customer is tagged sensitive and may be muted; a text asking to stop calling blacklists them.",
    "cp.needtext": "Give the complaint's text or category.",
    "reauth.needed": "Your sign-in has ended and nothing was sent. Sign in again: what you typed is kept and sent once you are in.",
    "reauth.user": "User name", "reauth.password": "Password", "reauth.go": "Sign in and submit",
    "cp.received": "Received at", "cp.received.hint": " (empty: now)", "cp.received.now": "now", "cp.received.bad": "The received time is not valid; pick it again.",
    "cp.received.future": "The received time cannot be later than now.",
    "win.days": "Days", "win.from": "From", "win.to": "To", "win.add": "Add a window", "win.remove": "Remove",
    "win.help": "Like mon-fri, sat,sun, weekends; customer's local time, end excluded. None: only the policy's windows apply.",
    "win.confirm": "Set the customer's calling windows to: {w}?", "win.empty": "none", "win.bad": "Row {n} is incomplete.",
    "q.title": "Complaints queue", "q.unresolved": "All unresolved", "q.open": "Within SLA", "q.none": "The queue is empty.",
    "q.severity": "Severity", "q.who": "Customer / number", "q.category": "Category", "q.received": "Received", "q.due": "Next deadline",
    "q.status": "Status", "q.actions": "Actions", "q.left": "left {d}", "q.late": "overdue by {d}",
    "ev.note": "Note",
    "ev.confirm": "Record “{ev}” on this complaint?",
    "ev.do.first_response": "Respond", "ev.do.escalated": "Escalate", "ev.do.resolved": "Resolve", "ev.do.callback": "Record callback",
    "ev.do.assign": "Name supervisor", "ev.to.none": "escalated automatically; no supervisor named",
    "q.count": "{n}, nearest deadline first", "q.more": "Show more", "list.shown": "{n} shown", "days": "d",
    "au.title": "Audits", "au.upload": "Upload a call log", "au.file": "Call log (CSV or JSON Lines)", "au.go": "Start the audit", "au.basis": "Judge by",
    "au.nofile": "Choose a file first.", "au.recent": "Recent audits", "au.status": "Status", "au.created": "Created", "au.source": "File",
    "au.progress": "Progress", "au.rows": "{rows} rows read", "au.viol": "{n} violations", "au.open": "Open the report",
    "au.csv": "Violations (CSV)", "au.download": "Download the report", "au.judged": "Calls judged", "au.violations": "Violations",
    "au.rejected": "Unreadable rows", "au.bycode": "By code", "au.popup": "The browser blocked the new window: use “Download the report”.",
    "au.cancel": "Cancel the audit", "au.cancelling": "Cancel requested: the audit stops at its next progress point.",
    "au.none": "No audits yet.",
    "au.rules": "Calls that broke a rule", "au.unchecked": "Unchecked calls (no valid decision)", "au.ruleviolations": "Rule violations",
    "au.share": "{p} % of calls judged",
    "au.apart": "Unchecked calls (UNCHECKED_CALL) are counted apart: a call with no valid decision id may have been within the rules; the dialer did not ask first.",
    "au.xlsx": "Violations (Excel)", "au.rejects": "Rejected rows ({n})", "au.rejectsmore": "The first {shown} rows; {more} more are in the CSV.",
    "au.line": "Line", "au.reason": "Why", "au.rejectscsv": "Rejected rows (CSV)",
    "au.code": "Code", "au.n": "Count", "au.encoding": "Encoding", "au.enc.auto": "Told from the file", "au.tz": "Times without a zone are in", "au.tz.none": "None (times carry their offset)",
    "au.tz.cn": "Beijing time (Asia/Shanghai)", "au.tz.hk": "Hong Kong time (Asia/Hong_Kong)", "au.tz.mo": "Macau time (Asia/Macau)",
    "au.tz.tw": "Taipei time (Asia/Taipei)",
    "au.tz.help": "When the call times carry no time zone (2026/11/30 9:05, as spreadsheets export them), choose the zone they are in; a time with its offset keeps it.",
    "dash.title": "Dashboard", "dash.date": "Day", "dash.checks": "Checks", "dash.allowed": "Allowed", "dash.denied": "Denied",
    "dash.ratio": "Allowed share", "dash.dry": "Dry runs", "dash.cp_open": "Complaints within SLA", "dash.cp_overdue": "Complaints overdue",
    "dash.byreason": "Denials by reason", "dash.bycampaign": "Allowed and denied by campaign",
    "dash.complaints": "Complaints by severity and SLA state", "dash.escalated": "Escalated", "dash.nodata": "No data for this day.",
    "dash.table": "Show the data", "dash.tz": "time zone {tz}",
    "done": "Done", "saved": "Saved", "recorded": "Recorded",
    "act.blacklist.done": "Added to the do-not-call list", "act.complaint.done": "Complaint recorded", "act.windows.done": "Calling windows updated",
    "trail.at": "When", "trail.actor": "Who", "trail.action": "What", "trail.detail": "Detail",
    // The complaint workflow queue, numbers with no profile, dry runs among decisions, chart tables.
    "q.tab.late": "Late", "q.stage": "Stage", "q.fr": "First response", "q.fr.met": "on time", "q.fr.late": "late", "q.extended": "extended to {at}",
    "q.fr.due": "due {at}", "cp.late": "late",
    "ev.do.extended": "Extend", "ev.until.now": "Resolution now due: {at}", "ev.until": "New resolution deadline", "ev.until.needed": "Give the new resolution deadline.", "ev.until.shown": "resolution due by {at}",
    "ev.note.extend": "Why it is complex (required, kept in the audit trail)", "ev.note.extend.needed": "Say why the complaint needs more time.", "ev.approved_by": "Approved by (required past 30 days from receipt)",
    "ev.extend.help": "Under the CBIRC Measures on consumer complaints in banking and insurance, a complex complaint may be extended to 30 days from receipt; a particularly complex one, approved by the superior office or head-office senior management and with the complainant told, by a further 30 days. A deadline already passed cannot be extended.",
    "bl.removal": "Removal", "bl.removal.admin": "Removal / action", "bl.removal.list": "list removal #{id}", "bl.removal.still": "still blocked afterwards", "bl.removal.free": "no longer blocked afterwards", "bl.lapsed": "lapsed", "bl.lapsed.on": "lapsed on {at} (not a removal)", "bl.until": "until {at}",
    "act.unblacklist": "Remove from the list", "act.unblacklist.done": "Removed from the do-not-call list", "unbl.reason": "Reason for removal (required, kept in the audit trail)",
    "unbl.confirm.phone": "Remove number {who} from the do-not-call list (source: {source})? Marketing calls to it will no longer be denied for this entry.",
    "unbl.confirm.customer": "Remove customer {who} from the do-not-call list (source: {source})? None of their numbers will be denied for this entry any more.",
    "ev.to": "Escalate to (supervisor)", "ev.to.needed": "Name the supervisor who takes it.", "ev.to.shown": "escalated to {to}",
    "ev.result": "Callback result",
    "ev.callback.help": "The satisfaction callback is a service contact: a marketing mute does not stop it, it counts against no marketing cap and lifts no mute.",
    "ev.note.resolve": "How it was resolved (required)", "ev.note.needed": "Say how the complaint was resolved: a note is required.",
    "d.result": "Decision", "d.kind": "Kind", "d.dry.result": "dry run: {r}", "d.live": "live check",
    "num.title": "Number {phone}", "num.noprofile": "No customer profile lists this number: it can still be blacklisted, or a complaint recorded about it.",
    "num.help": "Search by customer id or by phone; a phone number may be in international (+86…) or national format.",
    "num.asphone": "Search it as a phone number",
    "dash.item": "Item",
    "dash.notices": "Holiday notice not entered",
    "dash.notice": "Pack {pack} (calendar {calendar}) has no holiday notice for {year}: in {year} only the statute's holidays are blocked; the notice's other days off will be judged as working days and its makeup working days as weekend days.",
    "dash.notice_how": "The State Council publishes the next year's notice (关于部分节假日安排的通知) each autumn. Enter it under holidays: add and workdays in the pack, then run guard policies reload.",
    "lang.zh": "简体", "lang.zh-TW": "繁體", "lang.en": "English", "lang.pick": "Language",
    "unit.d": " day(s)", "unit.h": " hour(s)", "unit.m": " minute(s)",
    // the What-if page (pages/whatif.js)
    "wi.title": "What-if: what would a draft pack change before it serves?", "wi.draft": "Draft pack (YAML)",
    "wi.file": "or load a file", "wi.name": "File name", "wi.from": "From (included)", "wi.to": "To (excluded)",
    "wi.go": "Simulate", "wi.nodraft": "Paste or load a draft pack.", "wi.against": "Judge",
    "wi.ag_decisions": "the decision log (a period)", "wi.ag_calls": "a call-log file (CSV or JSON Lines, the audit's columns)",
    "wi.calls": "Call-log file", "wi.nocalls": "Choose a call-log file.",
    "wi.encoding": "Cannot tell the call log's encoding (not UTF-8; GBK or Big5 cannot be told): save it as UTF-8, or upload it on the Audits page (which takes an encoding).",
    "wi.draft_encoding": "Cannot tell the draft file's encoding (not UTF-8; GBK or Big5 cannot be told): save it as UTF-8.",
    "wi.help": "The draft replaces the serving versions of its id; every decision of the period is judged again: facts as known then, caps replayed in order (a call the draft denies no longer counts).",
    "wi.sim": "Simulation", "wi.period": "Period judged: {from} to {to} (excluded), {days} days", "wi.judged": "Decisions judged", "wi.a2d": "Allowed → denied", "wi.d2a": "Denied → allowed",
    "wi.reasons": "Denied, other reasons", "wi.drop": "Expected drop in calls per day",
    "wi.perday": "{before} → {after} a day ({pct} %)", "wi.fidelity": "Serving versions reproduce the log: {ok} of {n}",
    "wi.differs": "{n} differ from the log",
    "wi.notReplayed": "The draft changes {rules}: the mutes, deferrals and blacklist entries complaints and outcomes made are replayed as recorded under the serving versions, so this report does not show what those changes would do",
    "wi.governsNone": "The draft ({ids}) governs none of the {n} judged: a draft replaces the serving versions of its own pack id (the serving packs: {serving})", "wi.byreason": "By reason", "wi.bycampaign": "By campaign",
    "wi.bytier": "By customer tier (cap tier)", "wi.examples": "Examples",
    "wi.scripts": "Approved scripts that would need review", "wi.noscripts": "None: every approved script still passes.",
    "wi.unvouched": "Approved scripts whose wording no rule checked (the draft has no phrase rule for them: their pass says nothing of the wording)",
    "wi.unvouchedWhy": "Note",
    "wi.nochange": "The draft changes no decision.", "wi.open": "Open the report", "wi.download": "Download the report",
    "wi.recent": "Recent simulations", "wi.none": "No simulation yet.", "wi.created": "Created", "wi.status": "Status",
    "wi.change": "Change", "wi.code": "Reason", "wi.n": "Count", "wi.when": "When (callee local)", "wi.number": "Number",
    "wi.customers": "Customers", "wi.campaign": "Campaign", "wi.tier": "Customer tier (cap tier)", "wi.before": "Before", "wi.after": "Draft", "wi.allowed": "allowed",
    "wi.script": "Script", "wi.version": "Version", "wi.findings": "New findings", "wi.judgedTitle": "Findings reviewers judged",
    "wi.judgedSummary": "{fa} false alarms: the serving versions still raise {sfa}, the draft {dfa}; {c} confirmed: the serving versions keep {sc}, the draft {dc}.",
    "wi.nojudged": "The draft changes no judged finding.", "wi.rule": "Rule", "wi.words": "Words",
    "wi.underDraft": "Under the draft", "wi.false_alarm_cleared": "false alarm cleared",
    "wi.false_alarm_raised": "false alarm raised again", "wi.confirmed_lost": "confirmed finding lost",
    "wi.confirmed_found": "confirmed finding found again",
  },
};

I18N["zh-TW"] = ZH_TW;

/** The UI string `key` in the current language (simplified Chinese, then the key, as fallbacks), with {name} filled from `params`. */
export function t(key, params) {
  let s = I18N[lang][key];
  if (s === undefined) s = I18N.zh[key];
  if (s === undefined) s = key;
  if (params) s = s.replace(/\{(\w+)\}/g, (_, name) => (params[name] === undefined || params[name] === null ? "" : String(params[name])));
  return s;
}

/** The UI string `key` in the Chinese last chosen (simplified or traditional) and in English, whatever the current
 * language, with the Chinese's BCP 47 tag: for words shown in both languages at once (the sign-in page). */
export function bothLanguages(key) {
  const tw = lastChinese === "zh-TW";
  return { zh: (tw ? I18N["zh-TW"][key] : undefined) ?? I18N.zh[key], zhTag: tw ? "zh-TW" : "zh-CN", en: I18N.en[key] };
}

/** Items joined the way the current language lists them. */
export const list = (items) => items.join(lang === "en" ? ", " : "、");

/** A label as the first word of a button or tab (English capitalised; Chinese unchanged). */
export const capital = (s) => s.charAt(0).toUpperCase() + s.slice(1);
