// The words of the page itself, in simplified Chinese and English, and t(); the traditional Chinese set
// (i18n-zh-tw.js) is generated from the simplified one by `make docs`; vocabulary labels come from vocab.js.
import { ZH_TW } from "./i18n-zh-tw.js";

const LANG = "guard.lang";
const LANGS = ["zh", "zh-TW", "en"];
// No choice made yet: traditional for a browser set to Taiwan, Hong Kong or Macau Chinese, else simplified.
const browserChinese = () => ((navigator.languages || [navigator.language || ""]).some((l) => /^zh-(TW|HK|MO|Hant)/i.test(l)) ? "zh-TW" : "zh");
export let lang = LANGS.includes(localStorage.getItem(LANG)) ? localStorage.getItem(LANG) : browserChinese();
let lastChinese = lang === "en" ? browserChinese() : lang;

export function setLang(next) {
  lang = LANGS.includes(next) ? next : "zh";
  if (lang !== "en") lastChinese = lang;
  localStorage.setItem(LANG, lang);
}

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
    "nav.review": "话术审核", "nav.audits": "审计",
    "signin.title": "登录", "signin.key": "API 密钥", "signin.go": "登录",
    "signin.help": "密钥只保存在当前浏览器标签页中，关闭标签页即清除，只发送给本服务。",
    "signin.bad": "密钥无效或已吊销，请检查后重试。",
    "err.401": "密钥无效、已吊销或已过期，请重新登录。",
    "err.403": "此密钥没有执行该操作的权限（密钥角色：{have}）。需要的角色：{need}。",
    "err.404": "未找到：{msg}", "err.400": "输入有误：{msg}", "err.409": "冲突：{msg}",
    "err.412": "数据已被他人修改（当前版本 {current}），请刷新后重新操作。",
    "err.413": "内容太大：{msg}", "err.429": "请求过于频繁，请稍后再试。",
    "err.503": "服务暂不可用（存储不可达或策略未加载）。外呼请按“禁止拨打”处理。",
    "err.network": "无法连接到服务，请检查网络。", "err.other": "出错了（{status}）：{msg}",
    "forbidden.page": "当前密钥（角色：{have}）无权查看“{page}”，需要以下角色之一：{need}。",
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
    "cust.complaints": "投诉", "cust.decisions": "最近决策与通话结果", "cust.trail": "操作记录（审计轨迹）",
    "consent.title": "营销授权与号码来源", "consent.none": "未登记授权记录", "consent.source": "号码来源", "consent.channels": "授权渠道",
    "consent.products": "授权产品", "consent.allproducts": "全部产品", "consent.given": "授权时间", "consent.version": "授权书版本",
    "consent.evidence": "凭证", "consent.withdrawn": "撤回", "consent.versions": "版本数", "consent.status.given": "有效",
    "consent.status.withdrawn": "已撤回", "consent.status.expired": "已过期", "consent.status.not_yet_given": "尚未生效",
    "cust.actions": "操作", "act.blacklist": "加入黑名单", "act.complaint": "记录投诉", "act.windows": "设置可联系时段",
    "cust.notfound": "系统中没有客户 {id} 的任何记录。", "sensitive": "高敏感",
    "bl.scope": "范围", "bl.scope.customer": "该客户的所有号码", "bl.scope.phone": "仅一个号码", "bl.phone": "号码",
    "bl.source": "来源", "bl.reason": "原因（必填，记入审计）", "bl.reason.short": "请填写原因（至少 3 个字）。",
    "bl.confirm": "确认将 {who} 加入营销黑名单？此后对其的营销外呼将被拒绝，只有管理员可以移除。",
    "cp.severity": "严重程度", "cp.category": "类别", "cp.text": "投诉内容", "cp.phone": "涉及号码", "cp.any": "（不指定）",
    "cp.confirm": "确认为 {who} 记录一条{sev}投诉？客户将被标记为高敏感，可能被静音；内容要求停止来电的将加入黑名单。",
    "cp.needtext": "请填写投诉内容或类别。",
    "win.days": "日期", "win.from": "开始", "win.to": "结束", "win.add": "添加时段", "win.remove": "删除",
    "win.help": "例如 mon-fri、sat,sun、weekends；时间为客户当地时间，结束时间不含。留空表示不限（只受策略时段约束）。",
    "win.confirm": "确认将客户可联系时段设为：{w}？", "win.empty": "不限", "win.bad": "第 {n} 行不完整。",
    "q.title": "投诉队列", "q.unresolved": "全部未办结", "q.open": "未超时", "q.none": "队列为空。",
    "q.severity": "严重程度", "q.who": "客户 / 号码", "q.category": "类别", "q.received": "收到时间", "q.due": "下一时限",
    "q.status": "状态", "q.actions": "操作", "q.left": "剩余 {d}", "q.late": "已超时 {d}",
    "ev.note": "处理说明",
    "ev.confirm": "确认对这条投诉登记“{ev}”？",
    "q.count": "{n} 条，按最近的时限排序", "days": "天",
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
    "dash.title": "看板", "dash.date": "日期", "dash.checks": "今日检查", "dash.allowed": "允许", "dash.denied": "拒绝",
    "dash.ratio": "放行率", "dash.dry": "试算", "dash.cp_open": "未超时投诉", "dash.cp_overdue": "超时投诉",
    "dash.byreason": "拒绝原因（次数）", "dash.bycampaign": "各营销活动放行与拒绝", "dash.complaints": "投诉：严重程度与 SLA 状态",
    "dash.escalated": "已升级", "dash.nodata": "当天没有数据。", "dash.table": "查看数据表", "dash.tz": "时区 {tz}",
    "done": "已完成", "saved": "已保存", "recorded": "已记录",
    "act.blacklist.done": "已加入黑名单", "act.complaint.done": "投诉已记录", "act.windows.done": "可联系时段已更新",
    "trail.at": "时间", "trail.actor": "操作人", "trail.action": "操作", "trail.detail": "内容",
    // The complaint workflow queue, numbers with no profile, dry runs among decisions, chart tables.
    "q.tab.late": "逾期待办", "q.stage": "处理阶段", "q.fr": "首次响应情况", "q.fr.met": "按时响应", "q.fr.late": "响应超时",
    "q.fr.due": "时限 {at}",
    "ev.to": "升级至（主管姓名）", "ev.to.needed": "请填写接手的主管。", "ev.to.shown": "升级至 {to}", "ev.result": "回访结果",
    "ev.callback.help": "满意度回访属于服务联系：不受营销静音限制，不计入营销外呼频次，也不解除静音。",
    "ev.note.resolve": "办结说明（必填）", "ev.note.needed": "办结须填写处理说明。",
    "d.result": "决策", "d.kind": "类型", "d.dry.result": "试算：{r}", "d.live": "实际呼叫",
    "num.title": "号码 {phone}", "num.noprofile": "该号码没有客户资料：仍可将号码加入黑名单或记录投诉。",
    "num.help": "可按客户编号或电话号码查询；电话号码可用国际格式（+86…）或国内格式。", "num.asphone": "按电话号码查询",
    "dash.item": "项目",
    "lang.zh": "简体", "lang.zh-TW": "繁體", "lang.en": "English", "lang.pick": "界面语言",
    "unit.d": "天", "unit.h": "小时", "unit.m": "分钟",
  },
  en: {
    brand: "Contact guard · Operations console", skip: "Skip to main content", signout: "Sign out", back: "Back", cancel: "Cancel",
    next: "Next", confirm: "Confirm", close: "Close", search: "Search", refresh: "Refresh", none: "none", yes: "yes", no: "no",
    loading: "Loading…",
    "nav.dashboard": "Dashboard", "nav.lookup": "Decisions", "nav.customer": "Customers", "nav.complaints": "Complaints",
    "nav.review": "Script review", "nav.audits": "Audits",
    "signin.title": "Sign in", "signin.key": "API key", "signin.go": "Sign in",
    "signin.help": "The key is kept in this browser tab only (cleared when it closes) and sent only to this guard.",
    "signin.bad": "This key is unknown or revoked. Check it and try again.",
    "err.401": "The key is unknown, revoked or expired. Sign in again.",
    "err.403": "This key may not do that (its roles: {have}). It needs: {need}.",
    "err.404": "Not found: {msg}", "err.400": "Invalid input: {msg}", "err.409": "Conflict: {msg}",
    "err.412": "Someone changed this meanwhile (now version {current}). Reload and apply your change again.",
    "err.413": "Too large: {msg}", "err.429": "Too many requests; try again shortly.",
    "err.503": "The guard is unavailable (store unreachable or no policy). Dialers must treat this as do not dial.",
    "err.network": "The guard cannot be reached. Check the network.", "err.other": "Something went wrong ({status}): {msg}",
    "forbidden.page": "This key (roles: {have}) may not open “{page}”; it needs one of: {need}.",
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
    "cust.complaints": "Complaints", "cust.decisions": "Recent decisions and outcomes", "cust.trail": "Audit trail",
    "consent.title": "Marketing consent and provenance", "consent.none": "No consent recorded", "consent.source": "Number came from",
    "consent.channels": "Channels", "consent.products": "Products", "consent.allproducts": "every product", "consent.given": "Given",
    "consent.version": "Text version", "consent.evidence": "Evidence", "consent.withdrawn": "Withdrawn", "consent.versions": "Versions",
    "consent.status.given": "valid", "consent.status.withdrawn": "withdrawn", "consent.status.expired": "expired",
    "consent.status.not_yet_given": "not yet given",
    "cust.actions": "Actions", "act.blacklist": "Add to do-not-call list", "act.complaint": "Record a complaint",
    "act.windows": "Set calling windows", "cust.notfound": "The guard has no record of customer {id}.", "sensitive": "sensitive",
    "bl.scope": "Scope", "bl.scope.customer": "Every number of the customer", "bl.scope.phone": "One number", "bl.phone": "Number",
    "bl.source": "Source", "bl.reason": "Reason (required, kept in the audit trail)", "bl.reason.short": "Give a reason (3 characters at least).",
    "bl.confirm": "Add {who} to the do-not-call list? Marketing calls to them will be denied; only an admin can remove the entry.",
    "cp.severity": "Severity", "cp.category": "Category", "cp.text": "What the customer said", "cp.phone": "Number concerned",
    "cp.any": "(not specific)",
    "cp.confirm": "Record a {sev} complaint for {who}? The customer is tagged sensitive and may be muted; a text asking to stop calling blacklists them.",
    "cp.needtext": "Give the complaint's text or category.",
    "win.days": "Days", "win.from": "From", "win.to": "To", "win.add": "Add a window", "win.remove": "Remove",
    "win.help": "Like mon-fri, sat,sun, weekends; customer's local time, end excluded. None: only the policy's windows apply.",
    "win.confirm": "Set the customer's calling windows to: {w}?", "win.empty": "none", "win.bad": "Row {n} is incomplete.",
    "q.title": "Complaints queue", "q.unresolved": "All unresolved", "q.open": "Within SLA", "q.none": "The queue is empty.",
    "q.severity": "Severity", "q.who": "Customer / number", "q.category": "Category", "q.received": "Received", "q.due": "Next deadline",
    "q.status": "Status", "q.actions": "Actions", "q.left": "left {d}", "q.late": "overdue by {d}",
    "ev.note": "Note",
    "ev.confirm": "Record “{ev}” on this complaint?",
    "q.count": "{n}, nearest deadline first", "days": "d",
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
    "dash.title": "Dashboard", "dash.date": "Day", "dash.checks": "Checks", "dash.allowed": "Allowed", "dash.denied": "Denied",
    "dash.ratio": "Allowed share", "dash.dry": "Dry runs", "dash.cp_open": "Complaints within SLA", "dash.cp_overdue": "Complaints overdue",
    "dash.byreason": "Denials by reason", "dash.bycampaign": "Allowed and denied by campaign",
    "dash.complaints": "Complaints by severity and SLA state", "dash.escalated": "Escalated", "dash.nodata": "No data for this day.",
    "dash.table": "Show the data", "dash.tz": "time zone {tz}",
    "done": "Done", "saved": "Saved", "recorded": "Recorded",
    "act.blacklist.done": "Added to the do-not-call list", "act.complaint.done": "Complaint recorded", "act.windows.done": "Calling windows updated",
    "trail.at": "When", "trail.actor": "Who", "trail.action": "What", "trail.detail": "Detail",
    // The complaint workflow queue, numbers with no profile, dry runs among decisions, chart tables.
    "q.tab.late": "Late", "q.stage": "Stage", "q.fr": "First response", "q.fr.met": "on time", "q.fr.late": "late",
    "q.fr.due": "due {at}",
    "ev.to": "Escalate to (supervisor)", "ev.to.needed": "Name the supervisor who takes it.", "ev.to.shown": "escalated to {to}",
    "ev.result": "Callback result",
    "ev.callback.help": "The satisfaction callback is a service contact: a marketing mute does not stop it, it counts against no marketing cap and lifts no mute.",
    "ev.note.resolve": "How it was resolved (required)", "ev.note.needed": "Say how the complaint was resolved: a note is required.",
    "d.result": "Decision", "d.kind": "Kind", "d.dry.result": "dry run: {r}", "d.live": "live check",
    "num.title": "Number {phone}", "num.noprofile": "No customer profile lists this number: it can still be blacklisted, or a complaint recorded about it.",
    "num.help": "Search by customer id or by phone; a phone number may be in international (+86…) or national format.",
    "num.asphone": "Search it as a phone number",
    "dash.item": "Item",
    "lang.zh": "简体", "lang.zh-TW": "繁體", "lang.en": "English", "lang.pick": "Language",
    "unit.d": " day(s)", "unit.h": " hour(s)", "unit.m": " minute(s)",
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

/** Items joined the way the current language lists them. */
export const list = (items) => items.join(lang === "en" ? ", " : "、");

/** A label as the first word of a button or tab (English capitalised; Chinese unchanged). */
export const capital = (s) => s.charAt(0).toUpperCase() + s.slice(1);
