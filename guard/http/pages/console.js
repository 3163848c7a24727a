/* The operations console: one page on the guard's JSON API (no business logic of its own).
 *
 * The API key is typed once and kept in sessionStorage (this tab only, gone when it closes);
 * it is sent only to this guard. What the key may do comes from GET /v1/me; the API still
 * checks every call, and a 401/403 it answers is shown as a message, never a blank page.
 */
"use strict";
(() => {
  const KEY = "guard.key";
  const LANG = "guard.lang";
  let lang = localStorage.getItem(LANG) === "en" ? "en" : "zh";
  let me = null;
  let timers = [];
  let renderSeq = 0;

  // --- words -------------------------------------------------------------------------------
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
      "role.dialer": "外呼系统", "role.reviewer": "话术审核", "role.auditor": "审计", "role.operator": "运营/消保", "role.admin": "管理员",
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
      "cust.actions": "操作", "act.blacklist": "加入黑名单", "act.complaint": "记录投诉", "act.windows": "设置可联系时段",
      "cust.notfound": "系统中没有客户 {id} 的任何记录。", "sensitive": "高敏感",
      "bl.scope": "范围", "bl.scope.customer": "该客户的所有号码", "bl.scope.phone": "仅一个号码", "bl.phone": "号码",
      "bl.source": "来源", "bl.reason": "原因（必填，记入审计）", "bl.reason.short": "请填写原因（至少 3 个字）。",
      "bl.confirm": "确认将 {who} 加入营销黑名单？此后对其的营销外呼将被拒绝，只有管理员可以移除。",
      "src.customer_request": "客户要求", "src.complaint": "投诉", "src.registry": "外部登记名单", "src.regulator": "监管名单",
      "src.manual": "人工", "src.litigator": "诉讼风险名单",
      "cp.severity": "严重程度", "cp.category": "类别", "cp.text": "投诉内容", "cp.phone": "涉及号码", "cp.any": "（不指定）",
      "cp.confirm": "确认为 {who} 记录一条{sev}投诉？客户将被标记为高敏感，可能被静音；内容要求停止来电的将加入黑名单。",
      "cp.needtext": "请填写投诉内容或类别。",
      "sev.light": "一般", "sev.medium": "较重", "sev.severe": "严重",
      "win.days": "日期", "win.from": "开始", "win.to": "结束", "win.add": "添加时段", "win.remove": "删除",
      "win.help": "例如 mon-fri、sat,sun、weekends；时间为客户当地时间，结束时间不含。留空表示不限（只受策略时段约束）。",
      "win.confirm": "确认将客户可联系时段设为：{w}？", "win.empty": "不限", "win.bad": "第 {n} 行不完整。",
      "q.title": "投诉队列", "q.unresolved": "全部未办结", "q.open": "未超时", "q.overdue": "已超时", "q.none": "队列为空。",
      "q.severity": "严重程度", "q.who": "客户 / 号码", "q.category": "类别", "q.received": "收到时间", "q.due": "下一时限",
      "q.status": "状态", "q.actions": "操作", "q.left": "剩余", "q.late": "已超时",
      "due.first_response": "首次响应", "due.escalate": "升级", "due.resolve": "办结",
      "ev.first_response": "首次响应", "ev.escalated": "升级", "ev.resolved": "办结", "ev.note": "处理说明",
      "ev.confirm": "确认对这条投诉登记“{ev}”？", "st.open": "处理中", "st.overdue": "已超时", "st.resolved": "已办结",
      "q.count": "{n} 条，按最近的时限排序", "days": "天",
      "au.title": "审计", "au.upload": "上传呼叫记录", "au.file": "呼叫记录文件（CSV 或 JSON Lines）", "au.go": "开始审计",
      "au.nofile": "请先选择文件。", "au.recent": "最近的审计", "au.status": "状态", "au.created": "创建时间", "au.source": "文件",
      "au.progress": "进度", "au.rows": "已处理 {rows} 行", "au.viol": "违规 {n} 条", "au.open": "打开报告",
      "au.csv": "下载违规明细（CSV）", "au.download": "下载报告", "au.judged": "已判定呼叫", "au.violations": "违规",
      "au.rejected": "无法读取的行", "au.bycode": "按违规代码", "au.popup": "浏览器阻止了新窗口，请使用“下载报告”。",
      "au.queued": "排队中", "au.running": "审计中", "au.done": "已完成", "au.failed": "失败", "au.none": "还没有审计。",
      "dash.title": "看板", "dash.date": "日期", "dash.checks": "今日检查", "dash.allowed": "允许", "dash.denied": "拒绝",
      "dash.ratio": "放行率", "dash.dry": "试算", "dash.cp_open": "未超时投诉", "dash.cp_overdue": "超时投诉",
      "dash.byreason": "拒绝原因（次数）", "dash.bycampaign": "各营销活动放行与拒绝", "dash.complaints": "投诉：严重程度与 SLA 状态",
      "dash.escalated": "已升级", "dash.nodata": "当天没有数据。", "dash.table": "查看数据表", "dash.tz": "时区 {tz}",
      "done": "已完成", "saved": "已保存", "recorded": "已记录",
      "act.blacklist.done": "已加入黑名单", "act.complaint.done": "投诉已记录", "act.windows.done": "可联系时段已更新",
      "trail.at": "时间", "trail.actor": "操作人", "trail.action": "操作", "trail.detail": "内容",
      "tr.profile_created": "创建客户资料", "tr.profile_changed": "修改客户资料", "tr.blacklist_added": "加入黑名单",
      "tr.blacklist_removed": "移出黑名单", "tr.muted": "静音营销", "tr.mute_lifted": "解除静音", "tr.deferred": "暂缓呼叫",
      "tr.complaint_filed": "记录投诉", "tr.complaint_first_response": "投诉首次响应", "tr.complaint_escalated": "投诉升级",
      "tr.complaint_resolved": "投诉办结", "tr.complaint_overdue": "投诉超时",
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
      "role.dialer": "dialer", "role.reviewer": "reviewer", "role.auditor": "auditor", "role.operator": "operator", "role.admin": "admin",
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
      "cust.actions": "Actions", "act.blacklist": "Add to do-not-call list", "act.complaint": "Record a complaint",
      "act.windows": "Set calling windows", "cust.notfound": "The guard has no record of customer {id}.", "sensitive": "sensitive",
      "bl.scope": "Scope", "bl.scope.customer": "Every number of the customer", "bl.scope.phone": "One number", "bl.phone": "Number",
      "bl.source": "Source", "bl.reason": "Reason (required, kept in the audit trail)", "bl.reason.short": "Give a reason (3 characters at least).",
      "bl.confirm": "Add {who} to the do-not-call list? Marketing calls to them will be denied; only an admin can remove the entry.",
      "src.customer_request": "customer request", "src.complaint": "complaint", "src.registry": "external registry",
      "src.regulator": "regulator", "src.manual": "manual", "src.litigator": "litigator list",
      "cp.severity": "Severity", "cp.category": "Category", "cp.text": "What the customer said", "cp.phone": "Number concerned",
      "cp.any": "(not specific)",
      "cp.confirm": "Record a {sev} complaint for {who}? The customer is tagged sensitive and may be muted; a text asking to stop calling blacklists them.",
      "cp.needtext": "Give the complaint's text or category.",
      "sev.light": "light", "sev.medium": "medium", "sev.severe": "severe",
      "win.days": "Days", "win.from": "From", "win.to": "To", "win.add": "Add a window", "win.remove": "Remove",
      "win.help": "Like mon-fri, sat,sun, weekends; customer's local time, end excluded. None: only the policy's windows apply.",
      "win.confirm": "Set the customer's calling windows to: {w}?", "win.empty": "none", "win.bad": "Row {n} is incomplete.",
      "q.title": "Complaints queue", "q.unresolved": "All unresolved", "q.open": "Within SLA", "q.overdue": "Overdue", "q.none": "The queue is empty.",
      "q.severity": "Severity", "q.who": "Customer / number", "q.category": "Category", "q.received": "Received", "q.due": "Next deadline",
      "q.status": "Status", "q.actions": "Actions", "q.left": "left", "q.late": "overdue by",
      "due.first_response": "first response", "due.escalate": "escalation", "due.resolve": "resolution",
      "ev.first_response": "First response", "ev.escalated": "Escalate", "ev.resolved": "Resolve", "ev.note": "Note",
      "ev.confirm": "Record “{ev}” on this complaint?", "st.open": "open", "st.overdue": "overdue", "st.resolved": "resolved",
      "q.count": "{n}, nearest deadline first", "days": "d",
      "au.title": "Audits", "au.upload": "Upload a call log", "au.file": "Call log (CSV or JSON Lines)", "au.go": "Start the audit",
      "au.nofile": "Choose a file first.", "au.recent": "Recent audits", "au.status": "Status", "au.created": "Created", "au.source": "File",
      "au.progress": "Progress", "au.rows": "{rows} rows read", "au.viol": "{n} violations", "au.open": "Open the report",
      "au.csv": "Violations (CSV)", "au.download": "Download the report", "au.judged": "Calls judged", "au.violations": "Violations",
      "au.rejected": "Unreadable rows", "au.bycode": "By code", "au.popup": "The browser blocked the new window: use “Download the report”.",
      "au.queued": "queued", "au.running": "running", "au.done": "done", "au.failed": "failed", "au.none": "No audits yet.",
      "dash.title": "Dashboard", "dash.date": "Day", "dash.checks": "Checks", "dash.allowed": "Allowed", "dash.denied": "Denied",
      "dash.ratio": "Allowed share", "dash.dry": "Dry runs", "dash.cp_open": "Complaints within SLA", "dash.cp_overdue": "Complaints overdue",
      "dash.byreason": "Denials by reason", "dash.bycampaign": "Allowed and denied by campaign",
      "dash.complaints": "Complaints by severity and SLA state", "dash.escalated": "Escalated", "dash.nodata": "No data for this day.",
      "dash.table": "Show the data", "dash.tz": "time zone {tz}",
      "done": "Done", "saved": "Saved", "recorded": "Recorded",
      "act.blacklist.done": "Added to the do-not-call list", "act.complaint.done": "Complaint recorded", "act.windows.done": "Calling windows updated",
      "trail.at": "When", "trail.actor": "Who", "trail.action": "What", "trail.detail": "Detail",
      "tr.profile_created": "profile created", "tr.profile_changed": "profile changed", "tr.blacklist_added": "blacklisted",
      "tr.blacklist_removed": "removed from blacklist", "tr.muted": "muted", "tr.mute_lifted": "mute lifted", "tr.deferred": "deferred",
      "tr.complaint_filed": "complaint recorded", "tr.complaint_first_response": "complaint: first response",
      "tr.complaint_escalated": "complaint escalated", "tr.complaint_resolved": "complaint resolved", "tr.complaint_overdue": "complaint overdue",
    },
  };

  const REASON_TITLES = {
    zh: {
      INVALID_NUMBER: "号码无效", DNC_OPT_OUT: "内部营销黑名单", DNC_REGISTRY: "外部拒接名单", MUTED: "投诉静音期",
      SUITABILITY: "适当性不匹配", RISK_PROFILE_MISSING: "风险测评缺失或过期", CALLBACK_DEFERRED: "客户要求稍后再联系",
      QUIET_HOURS: "非允许呼叫时段", HOLIDAY: "法定节假日", CUSTOMER_WINDOW: "不在客户指定时段", FREQ_CAP: "超出呼叫频次",
      SCRIPT_NOT_APPROVED: "话术未审核通过", UNKNOWN_CAMPAIGN: "营销活动未配置", UNKNOWN_PRODUCT: "产品未配置",
    },
    en: {
      INVALID_NUMBER: "Invalid number", DNC_OPT_OUT: "Internal do-not-call list", DNC_REGISTRY: "External do-not-call list",
      MUTED: "Muted after complaints", SUITABILITY: "Product not suitable", RISK_PROFILE_MISSING: "Risk assessment missing or expired",
      CALLBACK_DEFERRED: "Customer asked for later", QUIET_HOURS: "Outside calling hours", HOLIDAY: "Public holiday",
      CUSTOMER_WINDOW: "Outside the customer's windows", FREQ_CAP: "Frequency cap", SCRIPT_NOT_APPROVED: "Script not approved",
      UNKNOWN_CAMPAIGN: "Unknown campaign", UNKNOWN_PRODUCT: "Unknown product",
    },
  };

  function t(key, params) {
    let s = I18N[lang][key];
    if (s === undefined) s = I18N.zh[key];
    if (s === undefined) s = key;
    if (params) s = s.replace(/\{(\w+)\}/g, (_, name) => (params[name] === undefined || params[name] === null ? "" : String(params[name])));
    return s;
  }
  const reasonTitle = (code) => REASON_TITLES[lang][code] || code;
  const roleNames = (roles) => roles.map((r) => t("role." + r)).join(lang === "zh" ? "、" : ", ");

  // --- DOM ---------------------------------------------------------------------------------
  const $ = (id) => document.getElementById(id);
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") el.textContent = value;
      else if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
      else if (name === "class") el.className = value;
      else el.setAttribute(name, value === true ? "" : String(value));
    }
    append(el, children);
    return el;
  }
  function append(el, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return el;
  }
  const SVG = "http://www.w3.org/2000/svg";
  function s(tag, attrs, ...children) {
    const el = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name === "text") el.textContent = value;
      else el.setAttribute(name, String(value));
    }
    for (const child of children.flat()) if (child) el.appendChild(child);
    return el;
  }

  /** An ISO instant as written by the API (already in the right zone): "2026-11-24 09:00:00 (+08:00)". */
  const browserZone = (() => { try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return ""; } })();
  /** A recorded instant (profile, lists, complaints) in this browser's zone, named. */
  const stamp = (iso) => (iso ? here(iso) + (browserZone ? ` (${browserZone})` : "") : t("none"));
  function when(iso) {
    if (!iso) return t("none");
    const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(iso);
    if (!m) return iso;
    const offset = m[3] === "Z" || m[3] === "+00:00" ? "UTC" : "UTC" + (m[3] || "");
    return `${m[1]} ${m[2]} (${offset})`;
  }
  /** An instant in the browser's zone (for deadlines the operator acts on). */
  function here(iso) {
    if (!iso) return t("none");
    const d = new Date(iso);
    const pad = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }
  function duration(ms) {
    const total = Math.floor(Math.abs(ms) / 1000);
    const d = Math.floor(total / 86400);
    const hh = String(Math.floor((total % 86400) / 3600)).padStart(2, "0");
    const mm = String(Math.floor((total % 3600) / 60)).padStart(2, "0");
    const ss = String(total % 60).padStart(2, "0");
    return (d ? d + t("days") + " " : "") + `${hh}:${mm}:${ss}`;
  }
  function span(window) {
    const m = /^(\d+)([dhm])$/.exec(String(window || ""));
    if (!m) return String(window);
    const unit = { d: lang === "zh" ? "天" : " day(s)", h: lang === "zh" ? "小时" : " hour(s)", m: lang === "zh" ? "分钟" : " minute(s)" }[m[2]];
    return m[1] + unit;
  }
  const windowsText = (ws) => (ws && ws.length ? ws.map((w) => `${w.days} ${w.from}–${w.to}`).join(lang === "zh" ? "；" : "; ") : t("win.empty"));

  function toast(message) {
    const el = $("toast");
    el.textContent = message;
    el.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { el.hidden = true; }, 4000);
  }
  function banner(message, info) {
    const el = $("banner");
    el.textContent = message || "";
    el.className = "banner" + (info ? " info" : "");
    el.hidden = !message;
  }

  // --- API ---------------------------------------------------------------------------------
  class ApiError extends Error {
    constructor(status, code, message, details) {
      super(message || code || String(status));
      this.status = status;
      this.code = code;
      this.details = details;
    }
  }
  async function api(method, path, body, options) {
    const opts = options || {};
    const key = opts.key || sessionStorage.getItem(KEY) || "";
    const headers = { Authorization: "Bearer " + key, Accept: "application/json" };
    let payload;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) { headers["Content-Type"] = "application/json"; payload = JSON.stringify(body); }
    Object.assign(headers, opts.headers || {});
    let response;
    try {
      response = await fetch(path, { method, headers, body: payload, cache: "no-store" });
    } catch (err) {
      throw new ApiError(0, "NETWORK", String(err));
    }
    if (response.ok && opts.raw) return response;
    const isJson = (response.headers.get("Content-Type") || "").includes("json");
    const data = isJson ? await response.json().catch(() => null) : null;
    if (!response.ok) {
      const e = (data && data.error) || {};
      throw new ApiError(response.status, e.code, e.message || response.statusText, e.details);
    }
    if (opts.withHeaders) return { data, headers: response.headers };
    return data;
  }
  function explain(err) {
    if (!(err instanceof ApiError)) return t("err.other", { status: "JS", msg: String(err) });
    const need = /\(([^)]*)\)/.exec(err.message || "");
    switch (err.status) {
      case 0: return t("err.network");
      case 401: return t("err.401");
      case 403: return t("err.403", { have: roleNames((err.details && err.details.roles) || (me ? me.roles : [])), need: need ? need[1] : "?" });
      case 400: return t("err.400", { msg: err.message });
      case 404: return t("err.404", { msg: err.message });
      case 409: return t("err.409", { msg: err.message });
      case 412: return t("err.412", { current: err.details ? err.details.current : "?" });
      case 413: return t("err.413", { msg: err.message });
      case 429: return t("err.429");
      case 503: return t("err.503");
      default: return t("err.other", { status: err.status, msg: err.message });
    }
  }
  /** Show an API failure: a 401 sends the user back to sign in, everything else is a banner. */
  function fail(err) {
    if (err instanceof ApiError && err.status === 401) {
      sessionStorage.removeItem(KEY);
      me = null;
      banner(t("err.401"));
      location.hash = "#/signin";
      return;
    }
    banner(explain(err));
  }

  // --- routing -----------------------------------------------------------------------------
  const PAGES = [
    { id: "dashboard", roles: ["auditor", "operator"], render: renderDashboard },
    { id: "lookup", roles: ["dialer", "auditor", "operator"], render: renderLookup },
    { id: "customer", roles: ["operator"], render: renderCustomer },
    { id: "complaints", roles: ["operator"], render: renderComplaints },
    { id: "review", roles: ["reviewer"], href: "/review" },
    { id: "audits", roles: ["auditor"], render: renderAudits },
  ];
  const may = (page) => !!me && page.roles.some((r) => me.can.includes(r));

  function parseHash() {
    const raw = location.hash.replace(/^#\/?/, "");
    const [path, query] = raw.split("?");
    return { parts: path.split("/").filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query || "") };
  }
  function go(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  }

  function renderNav(current) {
    const nav = $("nav");
    nav.textContent = "";
    nav.hidden = !me;
    $("signout").hidden = !me;
    $("whoami").textContent = me ? `${me.label || me.key_id} · ${roleNames(me.roles)}` : "";
    if (!me) return;
    for (const page of PAGES.filter(may)) {
      nav.appendChild(h("a", { href: page.href || "#/" + page.id, "aria-current": page.id === current ? "page" : null,
        "data-page": page.id, text: t("nav." + page.id) }));
    }
  }

  async function route() {
    timers.forEach(clearInterval);
    timers = [];
    const seq = ++renderSeq;
    const { parts, params } = parseHash();
    const view = $("view");
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.title = t("brand");
    $("lang").textContent = lang === "zh" ? "English" : "中文";
    $("lang").setAttribute("lang", lang === "zh" ? "en" : "zh-CN");
    if (!sessionStorage.getItem(KEY) || parts[0] === "signin") {
      me = null;
      renderNav(null);
      return renderSignin(view);
    }
    if (!me) {
      try {
        me = await api("GET", "/v1/me");
      } catch (err) {
        if (seq !== renderSeq) return;
        if (err.status === 401) { sessionStorage.removeItem(KEY); banner(t("err.401")); renderNav(null); return renderSignin(view); }
        renderNav(null);
        view.textContent = "";
        banner(explain(err));
        return;
      }
    }
    const page = PAGES.find((p) => p.id === parts[0] && !p.href);
    const home = PAGES.find((p) => may(p));
    if (!page) {
      if (home && !home.href) return go("#/" + home.id);
      if (home) { location.href = home.href; return; }
    }
    renderNav(page ? page.id : null);
    view.textContent = "";
    if (!page) return;
    if (!may(page)) {
      view.appendChild(h("div", { class: "card", role: "alert", id: "forbidden" },
        t("forbidden.page", { have: roleNames(me.roles), page: t("nav." + page.id), need: roleNames(page.roles) })));
      return;
    }
    view.appendChild(h("p", { class: "muted", id: "loading", text: t("loading") }));
    try {
      await page.render(view, parts.slice(1), params, () => seq !== renderSeq);
    } catch (err) {
      if (seq !== renderSeq) return;
      fail(err);
    } finally {
      const loading = $("loading");
      if (loading && seq === renderSeq) loading.remove();
    }
  }

  // --- sign-in -----------------------------------------------------------------------------
  function renderSignin(view) {
    view.textContent = "";
    const input = h("input", { id: "signin-key", type: "password", autocomplete: "off", required: true, spellcheck: "false",
      "aria-describedby": "signin-help" });
    const error = h("p", { class: "error", id: "signin-error", role: "alert" });
    const form = h("form", { class: "card signin", "aria-labelledby": "signin-title" },
      h("h1", { id: "signin-title", text: t("signin.title") }),
      h("div", { class: "field" }, h("label", { for: "signin-key", text: t("signin.key") }), input),
      h("p", { class: "muted", id: "signin-help", text: t("signin.help") }),
      error,
      h("button", { type: "submit", id: "signin-go", text: t("signin.go") }));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const key = input.value.trim();
      if (!key) { input.focus(); return; }
      error.textContent = "";
      try {
        me = await api("GET", "/v1/me", undefined, { key });
      } catch (err) {
        error.textContent = err.status === 401 ? t("signin.bad") : explain(err);
        input.focus();
        return;
      }
      sessionStorage.setItem(KEY, key);
      banner("");
      // Carry on to the page asked for (a bookmark, a link from a colleague), else the home page.
      const wanted = location.hash && !/^#\/?(signin)?$/.test(location.hash) ? location.hash : "#/";
      go(wanted);
    });
    view.appendChild(form);
    input.focus();
  }

  // --- decisions -----------------------------------------------------------------------------
  function detailText(code, d) {
    const zh = lang === "zh";
    const src = (x) => t("src." + x);
    switch (code) {
      case "INVALID_NUMBER":
        return zh ? `输入“${d.input}”（默认地区 ${d.region}）：${d.why}` : `Input "${d.input}" (default region ${d.region}): ${d.why}`;
      case "DNC_OPT_OUT": {
        const scope = d.scope === "customer" ? (zh ? `客户 ${d.customer_id} 的所有号码` : `every number of customer ${d.customer_id}`)
          : (zh ? `号码 ${d.phone || ""}` : `number ${d.phone || ""}`);
        const more = d.entries > 1 ? (zh ? `（共 ${d.entries} 条）` : ` (${d.entries} entries)`) : "";
        const until = d.expires_at ? (zh ? `，到期 ${when(d.expires_at)}` : `, expires ${when(d.expires_at)}`) : (zh ? "，永久有效" : ", permanent");
        return zh ? `黑名单条目 ${d.entry_id}${more}：${scope}；来源：${src(d.source)}；加入于 ${when(d.added_at)}${until}`
          : `Entry ${d.entry_id}${more}: ${scope}; source: ${src(d.source)}; added ${when(d.added_at)}${until}`;
      }
      case "DNC_REGISTRY":
        return zh ? `外部名单条目 ${d.entry_id}：来源 ${src(d.source)}，列入于 ${when(d.added_at)}${d.expires_at ? "，到期 " + when(d.expires_at) : ""}`
          : `Entry ${d.entry_id}: source ${src(d.source)}, listed ${when(d.added_at)}${d.expires_at ? ", expires " + when(d.expires_at) : ""}`;
      case "MUTED":
        return zh ? `静音期 ${when(d.since)} 至 ${when(d.until)}${d.reason ? "；原因：" + d.reason : ""}`
          : `Muted from ${when(d.since)} until ${when(d.until)}${d.reason ? "; reason: " + d.reason : ""}`;
      case "SUITABILITY":
        return zh ? `产品 ${d.product} 风险等级 ${d.product_risk}，客户风险等级 ${d.customer_risk}，最高可售 ${d.max_product_risk}`
          : `Product ${d.product} is ${d.product_risk}; the customer is ${d.customer_risk} (up to ${d.max_product_risk})`;
      case "RISK_PROFILE_MISSING":
        if (!d.assessed_at) return zh ? `产品 ${d.product} 需要风险测评，客户没有测评记录` : `Product ${d.product} needs a risk assessment; the customer has none`;
        return zh ? `测评于 ${when(d.assessed_at)}，已于 ${when(d.expired_at)} 过期（有效期 ${d.valid_for}）`
          : `Assessed ${when(d.assessed_at)}, expired ${when(d.expired_at)} (valid for ${d.valid_for})`;
      case "CALLBACK_DEFERRED":
        return zh ? `客户要求 ${when(d.not_before)} 之前不要来电` : `The customer asked not to be called before ${when(d.not_before)}`;
      case "QUIET_HOURS":
        return zh ? `被叫当地时间 ${when(d.local_time)}（${d.timezone}），允许时段：${windowsText(d.windows)}`
          : `Callee's local time ${when(d.local_time)} (${d.timezone}); allowed: ${windowsText(d.windows)}`;
      case "HOLIDAY":
        return zh ? `${d.date} 为 ${d.holiday}（${d.calendar} 日历，${d.timezone}）` : `${d.date} is ${d.holiday} (${d.calendar} calendar, ${d.timezone})`;
      case "CUSTOMER_WINDOW":
        if (d.intersection_empty) return zh ? `客户时段 ${windowsText(d.windows)} 与允许时段没有交集` : `The customer's windows ${windowsText(d.windows)} never meet the allowed ones`;
        return zh ? `被叫当地时间 ${when(d.local_time)}（${d.timezone}），客户可联系时段：${windowsText(d.windows)}`
          : `Callee's local time ${when(d.local_time)} (${d.timezone}); the customer's windows: ${windowsText(d.windows)}`;
      case "FREQ_CAP": {
        const scope = d.scope === "customer" ? (zh ? "按客户" : "per customer") : (zh ? "按号码" : "per number");
        const tier = d.tier && d.tier !== "default" && d.tier !== "normal" ? (zh ? `（${d.tier === "sensitive" ? "高敏感客户" : d.tier}上限）` : ` (${d.tier} caps)`) : "";
        return zh ? `${scope}：${span(d.window)}内最多 ${d.limit} 次，已有 ${d.count} 次${tier}；${when(d.clears_at)} 后解除`
          : `${scope}: at most ${d.limit} in ${span(d.window)}, ${d.count} made${tier}; clears ${when(d.clears_at)}`;
      }
      case "SCRIPT_NOT_APPROVED":
        return zh ? `营销活动 ${d.campaign} 还没有审核通过的话术` : `Campaign ${d.campaign} has no approved script`;
      case "UNKNOWN_CAMPAIGN":
        return zh ? `营销活动 ${d.campaign} 未配置` : `Campaign ${d.campaign} is not configured`;
      case "UNKNOWN_PRODUCT":
        return zh ? `产品 ${d.product}（活动 ${d.campaign}）：${d.why}` : `Product ${d.product} (campaign ${d.campaign}): ${d.why}`;
      default:
        return Object.entries(d || {}).map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : v}`).join("; ");
    }
  }

  function decisionCard(d) {
    const denied = !d.allowed;
    const local = d.local || {};
    const kv = [
      [t("d.at"), `${when(local.at)} · ${local.timezone || ""}`],
      [t("d.phone"), d.phone_e164 || d.phone_input],
      [t("d.customer"), d.customer_id ? h("a", { href: "#/customer/" + encodeURIComponent(d.customer_id), text: d.customer_id }) : t("none")],
      [t("d.campaign"), d.campaign],
      [t("d.product"), d.product || t("none")],
      [t("d.agent"), d.agent_id || t("none")],
      [t("d.policy"), `${d.policy.pack} ${d.policy.version}`],
      [t("d.id"), h("span", { class: "mono", text: d.decision_id })],
    ];
    if (d.outcome) kv.push([t("d.outcome"), `${d.outcome.disposition} · ${stamp(d.outcome.reported_at)}`]);
    if (denied) kv.push([t("d.next"), local.next_allowed_at ? `${when(local.next_allowed_at)} · ${local.timezone}` : t("d.never")]);
    return h("article", { class: "card decision" + (denied ? " denied" : ""), "data-decision": d.decision_id, "aria-label": t("d.id") + " " + d.decision_id },
      h("header", {},
        h("span", { class: "badge " + (denied ? "deny" : "allow"), text: denied ? t("d.denied") : t("d.allowed") }),
        d.dry_run ? h("span", { class: "badge plain", text: t("d.dry") }) : null,
        h("strong", { text: when(local.at) })),
      denied ? [h("h3", { text: t("d.reasons") }), h("ul", { class: "reasons" }, d.reasons.map((r) =>
        h("li", { "data-code": r.code },
          h("span", { class: "title", text: reasonTitle(r.code) }), " ", h("span", { class: "code", text: r.code }),
          h("div", { text: lang === "zh" ? (r.message_zh || r.message) : r.message }),
          h("div", { class: "detail", text: detailText(r.code, r.detail || {}) }))))] : null,
      h("dl", { class: "kv" }, kv.map(([k, v]) => [h("dt", { text: k }), h("dd", {}, v)])));
  }

  async function renderLookup(view, parts, params, stale) {
    const by = params.has("decision") ? "decision" : params.has("customer_id") ? "customer_id" : "phone";
    const q = params.get(by) || "";
    const select = h("select", { id: "lookup-by" },
      [["phone", t("lookup.phone")], ["customer_id", t("lookup.customer")], ["decision", t("lookup.decision")]].map(([v, label]) =>
        h("option", { value: v, selected: v === by, text: label })));
    const input = h("input", { id: "lookup-q", value: q, required: true, size: 28, autocomplete: "off" });
    const form = h("form", { class: "card", role: "search" },
      h("h1", { text: t("lookup.title") }),
      h("div", { class: "inline" },
        h("div", { class: "field" }, h("label", { for: "lookup-by", text: t("lookup.by") }), select),
        h("div", { class: "field" }, h("label", { for: "lookup-q", text: t("lookup.q") }), input),
        h("button", { type: "submit", id: "lookup-go", text: t("search") })));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const value = input.value.trim();
      if (!value) { input.focus(); return; }
      go("#/lookup?" + new URLSearchParams({ [select.value]: value }).toString());
    });
    const results = h("section", { id: "results", "aria-label": t("lookup.title") });
    view.append(form, results);
    if (!q) { input.focus(); return; }
    banner("");
    let decisions;
    if (by === "decision") decisions = [await api("GET", "/v1/decisions/" + encodeURIComponent(q))];
    else decisions = (await api("GET", "/v1/decisions?" + new URLSearchParams({ [by]: q, limit: "50" }))).decisions;
    if (stale()) return;
    results.appendChild(h("p", { class: "muted", id: "lookup-count", text: decisions.length ? t("lookup.count", { n: decisions.length }) : t("lookup.none") }));
    decisions.forEach((d) => results.appendChild(decisionCard(d)));
  }

  // --- dialogs: a form, then a confirmation, then the call -------------------------------------------------
  function confirmFlow({ title, body, read, summary, submit, danger }) {
    const dialog = $("dialog");
    const ok = $("dialog-ok");
    const back = $("dialog-back");
    const error = $("dialog-error");
    let payload = null;
    $("dialog-title").textContent = title;
    const bodyEl = $("dialog-body");
    const showForm = () => {
      payload = null;
      bodyEl.textContent = "";
      append(bodyEl, [body]);
      ok.textContent = t("next");
      ok.className = "";
      back.hidden = true;
      error.textContent = "";
    };
    showForm();
    const onSubmit = async (event) => {
      event.preventDefault();
      error.textContent = "";
      if (payload === null) {
        try {
          payload = read();
        } catch (message) {
          error.textContent = String(message);
          return;
        }
        body.remove();
        bodyEl.appendChild(h("div", { class: "confirm-summary", id: "confirm-summary" }, summary(payload)));
        ok.textContent = t("confirm");
        ok.className = danger ? "danger" : "";
        back.hidden = false;
        ok.focus();
        return;
      }
      ok.disabled = true;
      try {
        await submit(payload);
        close();
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) { close(); fail(err); return; }
        error.textContent = explain(err);
      } finally {
        ok.disabled = false;
      }
    };
    const onBack = () => showForm();
    const close = () => {
      dialog.close();
    };
    const form = $("dialog-form");
    form.onsubmit = onSubmit;
    back.onclick = onBack;
    $("dialog-cancel").onclick = close;
    dialog.showModal();
    const first = body.querySelector("input, select, textarea");
    if (first) first.focus();
  }

  function field(id, label, control, help) {
    control.id = id;
    return h("div", { class: "field" }, h("label", { for: id, text: label }), control, help ? h("p", { class: "muted", text: help }) : null);
  }

  // --- customer --------------------------------------------------------------------------------------------
  async function renderCustomer(view, parts, params, stale) {
    const id = parts[0] || "";
    const input = h("input", { value: id, required: true, size: 24, autocomplete: "off" });
    const form = h("form", { class: "card", role: "search" }, h("h1", { text: t("cust.title") + (id ? " " + id : "") }),
      h("div", { class: "inline" }, field("customer-id", t("cust.id"), input), h("button", { type: "submit", id: "customer-go", text: t("cust.open") })));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (input.value.trim()) go("#/customer/" + encodeURIComponent(input.value.trim()));
    });
    view.appendChild(form);
    if (!id) { input.focus(); return; }
    let o;
    let etag = null;
    try {
      const answer = await api("GET", "/v1/customers/" + encodeURIComponent(id) + "/overview", undefined, { withHeaders: true });
      o = answer.data;
      etag = answer.headers.get("ETag");
    } catch (err) {
      if (err.status === 404) { view.appendChild(h("p", { class: "card empty", id: "customer-missing", text: t("cust.notfound", { id }) })); return; }
      throw err;
    }
    if (stale()) return;
    banner("");
    const p = o.profile;
    const phones = p ? p.phones : [];
    const refresh = () => route();

    const chips = h("p", { class: "row-actions", id: "customer-state" },
      h("span", { class: "badge " + (o.blacklist.blocked ? "deny" : "allow"), text: o.blacklist.blocked ? t("cust.blocked") : t("cust.notblocked") }),
      h("span", { class: "badge " + (o.mute.muted ? "deny" : "allow"), text: o.mute.muted ? t("cust.muted", { until: stamp(o.mute.until) }) : t("cust.notmuted") }),
      p && p.tags.includes("sensitive") ? h("span", { class: "badge warn", text: t("sensitive") }) : null);
    form.appendChild(chips);

    const risk = o.risk;
    const riskText = risk.level ? [risk.level, risk.expired === true ? h("span", { class: "badge deny", text: t("cust.expired") }) :
      risk.expired === false ? h("span", { class: "badge allow", text: t("cust.valid") }) : null] : t("cust.norisk");
    const profile = h("section", { class: "card", "aria-labelledby": "h-profile", id: "profile" }, h("h2", { id: "h-profile", text: t("cust.profile") }),
      p ? h("dl", { class: "kv" },
        h("dt", { text: t("cust.phones") }), h("dd", { class: "mono", text: phones.join(", ") || t("none") }),
        h("dt", { text: t("cust.risk") }), h("dd", {}, riskText),
        h("dt", { text: t("cust.assessed") }), h("dd", { text: stamp(risk.assessed_at) }),
        h("dt", { text: t("cust.expires") }), h("dd", { text: stamp(risk.expires_at) }),
        h("dt", { text: t("cust.tags") }), h("dd", { text: p.tags.map((x) => (x === "sensitive" ? t("sensitive") : x)).join(", ") || t("none") }),
        h("dt", { text: t("cust.tz") }), h("dd", { text: p.timezone || t("none") }),
        h("dt", { text: t("cust.windows") }), h("dd", { id: "customer-windows", text: windowsText(p.windows) }),
        h("dt", { text: t("cust.version") }), h("dd", { text: `${p.version} · ${stamp(p.updated_at)}` }))
        : h("p", { class: "empty", text: t("cust.noprofile") }));

    const actions = h("section", { class: "card", "aria-labelledby": "h-actions" }, h("h2", { id: "h-actions", text: t("cust.actions") }),
      h("div", { class: "row-actions" },
        h("button", { type: "button", id: "act-blacklist", class: "danger", text: t("act.blacklist"), onclick: () => blacklistDialog(id, phones, refresh) }),
        h("button", { type: "button", id: "act-complaint", text: t("act.complaint"), onclick: () => complaintDialog(id, phones, refresh) }),
        p ? h("button", { type: "button", id: "act-windows", text: t("act.windows"), onclick: () => windowsDialog(id, p, etag, refresh) }) : null));

    const entries = o.blacklist.entries;
    const suppression = h("section", { class: "card", "aria-labelledby": "h-supp", id: "suppression" }, h("h2", { id: "h-supp", text: t("cust.suppression") }),
      h("h3", { text: t("cust.blacklist") }),
      entries.length ? table(["", t("bl.scope"), t("bl.source"), t("bl.reason"), t("trail.at"), t("trail.actor")], entries.map((e) => [
        h("span", { class: "badge " + (e.active ? "deny" : "plain"), text: e.active ? t("cust.blocked") : (e.removed_at ? t("tr.blacklist_removed") : "—") }),
        e.phone_e164 || t("bl.scope.customer"), t("src." + e.source), e.reason || "", stamp(e.added_at), e.added_by || ""]), "blacklist-table")
        : h("p", { class: "empty", text: t("none") }),
      h("h3", { text: t("cust.mute") }),
      o.mute.mutes.length ? h("ul", {}, o.mute.mutes.map((m) => h("li", { text: `${stamp(m.starts_at)} – ${stamp(m.ends_at)} ${m.reason || ""}${m.active ? "" : " (—)"}` })))
        : h("p", { class: "empty", text: t("none") }),
      h("h3", { text: t("cust.deferrals") }),
      o.deferrals.filter((d) => d.active).length ? h("ul", {}, o.deferrals.filter((d) => d.active).map((d) => h("li", { text: t("cust.deferred", { at: stamp(d.not_before) }) + (d.phone_e164 ? ` · ${d.phone_e164}` : "") })))
        : h("p", { class: "empty", text: t("none") }));

    const complaints = h("section", { class: "card", "aria-labelledby": "h-cp", id: "customer-complaints" }, h("h2", { id: "h-cp", text: t("cust.complaints") }),
      o.complaints.length ? table([t("q.severity"), t("q.category"), t("q.received"), t("q.status"), t("q.due")], o.complaints.map((c) => [
        sevBadge(c.severity), c.category || (c.text || "").slice(0, 40), stamp(c.received_at), t("st." + c.status),
        c.next_due ? `${t("due." + c.next_due.kind)} · ${here(c.next_due.at)}` : "—"]))
        : h("p", { class: "empty", text: t("none") }));

    const decisions = h("section", { class: "card", "aria-labelledby": "h-dec", id: "customer-decisions" }, h("h2", { id: "h-dec", text: t("cust.decisions") }),
      o.decisions.length ? table([t("d.at"), "", t("d.campaign"), t("d.reasons"), t("d.outcome")], o.decisions.map((d) => [
        h("a", { href: "#/lookup?decision=" + encodeURIComponent(d.decision_id), text: when(d.local.at) }),
        h("span", { class: "badge " + (d.allowed ? "allow" : "deny"), text: d.allowed ? t("d.allowed") : t("d.denied") }),
        d.campaign, d.reasons.map((r) => reasonTitle(r.code)).join(lang === "zh" ? "、" : ", "), d.outcome ? d.outcome.disposition : "—"]))
        : h("p", { class: "empty", text: t("none") }));

    const trail = h("section", { class: "card", "aria-labelledby": "h-trail", id: "trail" }, h("h2", { id: "h-trail", text: t("cust.trail") }),
      table([t("trail.at"), t("trail.actor"), t("trail.action"), t("trail.detail")], o.trail.map((e) => [
        here(e.at), e.actor_label ? `${e.actor_label} (${e.actor})` : (e.actor || "—"), t("tr." + e.action), trailDetail(e)]), "trail-table"));

    view.append(h("div", { class: "grid" }, profile, h("div", { class: "stack" }, actions, suppression)), complaints, decisions, trail);
  }

  function trailDetail(e) {
    const d = e.detail || {};
    const parts = [];
    if (d.fields) parts.push(d.fields.join(", "));
    if (d.windows && d.windows.length) parts.push(windowsText(d.windows));
    if (d.tags) parts.push(d.tags.map((x) => (x === "sensitive" ? t("sensitive") : x)).join(", "));
    if (d.scope) parts.push(d.scope === "customer" ? t("bl.scope.customer") : d.phone_e164);
    if (d.source) parts.push(t("src." + d.source));
    if (d.severity) parts.push(t("sev." + d.severity));
    if (d.category) parts.push(d.category);
    if (d.until) parts.push(stamp(d.until));
    if (d.not_before) parts.push(stamp(d.not_before));
    if (d.reason) parts.push(d.reason);
    if (d.note) parts.push(d.note);
    return parts.filter((x) => x).join(" · ");
  }

  function table(headers, rows, id) {
    return h("div", { class: "table-wrap" }, h("table", { id: id || null },
      h("thead", {}, h("tr", {}, headers.map((x) => h("th", { scope: "col", text: x })))),
      h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map((c) => h("td", {}, c)))))));
  }
  const sevBadge = (sev) => h("span", { class: "badge sev-" + sev, text: t("sev." + sev) });

  function blacklistDialog(customerId, phones, done) {
    const scope = h("select", {}, h("option", { value: "customer", text: t("bl.scope.customer") }),
      phones.length ? h("option", { value: "phone", text: t("bl.scope.phone") }) : null);
    const phone = h("select", {}, phones.map((x) => h("option", { value: x, text: x })));
    const source = h("select", {}, ["customer_request", "complaint", "manual", "regulator", "registry"].map((x) => h("option", { value: x, text: t("src." + x) })));
    const reason = h("textarea", { required: true, maxlength: 1000 });
    const phoneField = field("bl-phone", t("bl.phone"), phone);
    phoneField.hidden = true;
    scope.addEventListener("change", () => { phoneField.hidden = scope.value !== "phone"; });
    const body = h("div", {}, field("bl-scope", t("bl.scope"), scope), phoneField, field("bl-source", t("bl.source"), source), field("bl-reason", t("bl.reason"), reason));
    confirmFlow({
      title: t("act.blacklist") + " · " + customerId, body, danger: true,
      read: () => {
        if (reason.value.trim().length < 3) throw t("bl.reason.short");
        const out = { source: source.value, reason: reason.value.trim() };
        if (scope.value === "phone") out.phone = phone.value; else out.customer_id = customerId;
        return out;
      },
      summary: (b) => [h("p", { text: t("bl.confirm", { who: b.phone || customerId }) }),
        h("p", { class: "muted", text: `${t("bl.source")}: ${t("src." + b.source)} · ${t("bl.reason")}: ${b.reason}` })],
      submit: async (b) => { await api("POST", "/v1/blacklist", b); toast(t("act.blacklist.done")); done(); },
    });
  }

  function complaintDialog(customerId, phones, done) {
    const severity = h("select", {}, ["light", "medium", "severe"].map((x) => h("option", { value: x, text: t("sev." + x) })));
    const phone = h("select", {}, h("option", { value: "", text: t("cp.any") }), phones.map((x) => h("option", { value: x, text: x })));
    const category = h("input", { maxlength: 100 });
    const text = h("textarea", { maxlength: 4000 });
    const body = h("div", {}, field("cp-severity", t("cp.severity"), severity), field("cp-phone", t("cp.phone"), phone),
      field("cp-category", t("cp.category"), category), field("cp-text", t("cp.text"), text));
    confirmFlow({
      title: t("act.complaint") + " · " + customerId, body,
      read: () => {
        if (!text.value.trim() && !category.value.trim()) throw t("cp.needtext");
        const out = { customer_id: customerId, severity: severity.value };
        if (phone.value) out.phone = phone.value;
        if (category.value.trim()) out.category = category.value.trim();
        if (text.value.trim()) out.text = text.value.trim();
        return out;
      },
      summary: (b) => [h("p", { text: t("cp.confirm", { who: b.phone || customerId, sev: t("sev." + b.severity) }) }),
        h("p", { class: "muted", text: [b.category, b.text].filter(Boolean).join(" · ") })],
      submit: async (b) => { await api("POST", "/v1/complaints", b); toast(t("act.complaint.done")); done(); },
    });
  }

  function windowsDialog(customerId, profile, etag, done) {
    const rows = h("div", { class: "windows-editor", id: "windows-rows" });
    let n = 0;
    const addRow = (w) => {
      n += 1;
      const i = n;
      const days = h("input", { id: `win-days-${i}`, value: w ? w.days : "mon-fri", "data-role": "days" });
      const from = h("input", { id: `win-from-${i}`, type: "time", value: w ? w.from : "09:00", "data-role": "from" });
      const to = h("input", { id: `win-to-${i}`, type: "time", value: w ? w.to : "12:00", "data-role": "to" });
      const row = h("div", { class: "wrow" },
        h("div", {}, h("label", { for: days.id, text: t("win.days") }), days),
        h("div", {}, h("label", { for: from.id, text: t("win.from") }), from),
        h("div", {}, h("label", { for: to.id, text: t("win.to") }), to),
        h("button", { type: "button", class: "ghost-dark small", text: t("win.remove"), "aria-label": `${t("win.remove")} ${i}`, onclick: () => row.remove() }));
      rows.appendChild(row);
    };
    profile.windows.forEach(addRow);
    const body = h("div", {}, rows, h("button", { type: "button", class: "ghost-dark small", id: "win-add", text: t("win.add"), onclick: () => addRow(null) }),
      h("p", { class: "muted", text: t("win.help") }));
    confirmFlow({
      title: t("act.windows") + " · " + customerId, body,
      read: () => {
        const windows = [];
        Array.from(rows.children).forEach((row, k) => {
          const get = (role) => row.querySelector(`[data-role="${role}"]`).value.trim();
          if (!get("days") || !get("from") || !get("to")) throw t("win.bad", { n: k + 1 });
          windows.push({ days: get("days"), from: get("from"), to: get("to") });
        });
        return windows;
      },
      summary: (windows) => h("p", { text: t("win.confirm", { w: windowsText(windows) }) }),
      submit: async (windows) => {
        const bodyOut = { phones: profile.phones, tags: profile.tags, windows };
        if (profile.risk_level) bodyOut.risk_level = profile.risk_level;
        if (profile.risk_assessed_at) bodyOut.risk_assessed_at = profile.risk_assessed_at;
        if (profile.timezone) bodyOut.timezone = profile.timezone;
        await api("PUT", "/v1/customers/" + encodeURIComponent(customerId), bodyOut, { headers: etag ? { "If-Match": etag } : {} });
        toast(t("act.windows.done"));
        done();
      },
    });
  }

  // --- complaints queue -------------------------------------------------------------------------------------
  function tickCountdowns() {
    const now = Date.now();
    document.querySelectorAll(".countdown[data-due]").forEach((el) => {
      const left = new Date(el.dataset.due).getTime() - now;
      el.textContent = left >= 0 ? `${t("q.left")} ${duration(left)}` : `${t("q.late")} ${duration(left)}`;
      el.classList.toggle("late", left < 0);
      el.classList.toggle("soon", left >= 0 && left < 15 * 60 * 1000);
    });
  }

  async function renderComplaints(view, parts, params, stale) {
    const status = ["unresolved", "open", "overdue"].includes(params.get("status")) ? params.get("status") : "unresolved";
    const tabs = h("div", { class: "tabs", role: "group", "aria-label": t("q.status") }, ["unresolved", "open", "overdue"].map((x) =>
      h("button", { type: "button", "aria-pressed": String(x === status), "data-status": x, text: t("q." + x), onclick: () => go("#/complaints?status=" + x) })));
    const head = h("section", { class: "card" }, h("h1", { text: t("q.title") }), tabs);
    view.appendChild(head);
    const list = (await api("GET", "/v1/complaints?" + new URLSearchParams({ status, sort: "due", limit: "500" }))).complaints;
    if (stale()) return;
    banner("");
    head.appendChild(h("p", { class: "muted", id: "queue-count", text: t("q.count", { n: list.length }) }));
    if (!list.length) { view.appendChild(h("p", { class: "card empty", text: t("q.none") })); return; }
    const rows = list.map((c) => [
      sevBadge(c.severity),
      c.customer_id ? h("a", { href: "#/customer/" + encodeURIComponent(c.customer_id), text: c.customer_id }) : h("span", { class: "mono", text: c.phone_e164 || "—" }),
      h("span", { title: c.text || "", text: c.category || (c.text || "").slice(0, 30) }),
      here(c.received_at),
      c.next_due ? h("div", {}, h("div", { class: "muted", text: `${t("due." + c.next_due.kind)} · ${here(c.next_due.at)}` }),
        h("span", { class: "countdown", "data-due": c.next_due.at })) : "—",
      h("span", { class: "badge " + (c.status === "overdue" ? "deny" : "plain"), text: t("st." + c.status) }),
      h("div", { class: "row-actions" },
        c.first_response_at ? null : eventButton(c, "first_response"),
        c.escalated_at ? null : eventButton(c, "escalated"),
        eventButton(c, "resolved")),
    ]);
    const tableEl = table([t("q.severity"), t("q.who"), t("q.category"), t("q.received"), t("q.due"), t("q.status"), t("q.actions")], rows, "queue");
    tableEl.querySelectorAll("tbody tr").forEach((tr, i) => { tr.dataset.complaint = list[i].id; });
    view.appendChild(h("section", { class: "card" }, tableEl));
    tickCountdowns();
    timers.push(setInterval(tickCountdowns, 1000));
  }

  function eventButton(c, type) {
    return h("button", { type: "button", class: "small" + (type === "escalated" ? " danger" : ""), "data-event": type, text: t("ev." + type),
      onclick: () => {
        const note = h("textarea", { maxlength: 1000 });
        confirmFlow({
          title: `${t("ev." + type)} · ${c.customer_id || c.phone_e164}`,
          body: h("div", {}, field("ev-note", t("ev.note"), note)),
          read: () => ({ type, note: note.value.trim() || undefined }),
          summary: (b) => [h("p", { text: t("ev.confirm", { ev: t("ev." + type) }) }), b.note ? h("p", { class: "muted", text: b.note }) : null],
          submit: async (b) => { await api("POST", `/v1/complaints/${encodeURIComponent(c.id)}/events`, b); toast(t("recorded")); route(); },
        });
      } });
  }

  // --- audits ---------------------------------------------------------------------------------------------
  async function openReport(auditId, download) {
    const response = await api("GET", `/v1/audits/${encodeURIComponent(auditId)}/report`, undefined, { raw: true });
    const blob = new Blob([await response.text()], { type: "text/html" });
    const url = URL.createObjectURL(blob);
    setTimeout(() => URL.revokeObjectURL(url), 120000);
    if (download) {
      const a = h("a", { href: url, download: `audit-${auditId}.html` });
      document.body.appendChild(a);
      a.click();
      a.remove();
      return;
    }
    if (!window.open(url, "_blank")) banner(t("au.popup"), true);
  }
  async function downloadCsv(auditId) {
    const response = await api("GET", `/v1/audits/${encodeURIComponent(auditId)}/violations?format=csv`, undefined, { raw: true });
    const url = URL.createObjectURL(await response.blob());
    const a = h("a", { href: url, download: `audit-${auditId}-violations.csv` });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  function auditPanel(a) {
    const pr = a.progress || {};
    const total = pr.bytes_total || 0;
    const done = a.status === "done" ? total || 1 : pr.bytes_done || 0;
    const panel = h("section", { class: "card", id: "audit", "data-status": a.status, "aria-labelledby": "h-audit" },
      h("h2", { id: "h-audit" }, `${t("au.title")} `, h("span", { class: "mono", text: a.audit_id })),
      h("p", {}, h("span", { class: "badge " + (a.status === "failed" ? "deny" : a.status === "done" ? "allow" : "warn"), id: "audit-status", text: t("au." + a.status) }),
        " ", a.source || ""),
      h("label", { for: "audit-progress", text: t("au.progress") }),
      h("progress", { id: "audit-progress", max: total || 1, value: Math.min(done, total || 1) }),
      h("p", { class: "muted", id: "audit-figures", text: `${t("au.rows", { rows: pr.rows_done || 0 })} · ${t("au.viol", { n: pr.violations || 0 })}` }),
      a.error ? h("p", { class: "error", text: a.error }) : null);
    if (a.status === "done" && a.summary) {
      const sm = a.summary;
      panel.append(
        h("div", { class: "figures" },
          figure(sm.calls_judged, t("au.judged")), figure(sm.violations, t("au.violations")), figure(sm.rows_rejected, t("au.rejected"))),
        h("h3", { text: t("au.bycode") }),
        table(["code", "n"], Object.entries(sm.by_code || {}).map(([code, n]) => [code + (REASON_TITLES[lang][code] ? ` · ${reasonTitle(code)}` : ""), String(n)]), "audit-codes"),
        h("div", { class: "actions" },
          h("button", { type: "button", class: "ghost-dark", id: "audit-csv", text: t("au.csv"), onclick: () => downloadCsv(a.audit_id).catch(fail) }),
          h("button", { type: "button", class: "ghost-dark", id: "audit-download", text: t("au.download"), onclick: () => openReport(a.audit_id, true).catch(fail) }),
          h("button", { type: "button", id: "audit-open", text: t("au.open"), onclick: () => openReport(a.audit_id, false).catch(fail) })));
    }
    return panel;
  }

  async function renderAudits(view, parts, params, stale) {
    const file = h("input", { type: "file", accept: ".csv,.jsonl,.ndjson,text/csv,application/x-ndjson", required: true });
    const error = h("p", { class: "error", role: "alert" });
    const form = h("form", { class: "card", "aria-labelledby": "h-upload" }, h("h1", { id: "h-upload", text: t("au.upload") }),
      h("div", { class: "inline" }, field("audit-file", t("au.file"), file), h("button", { type: "submit", id: "audit-go", text: t("au.go") })), error);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      if (!file.files.length) { error.textContent = t("au.nofile"); return; }
      const data = new FormData();
      data.append("file", file.files[0]);
      try {
        const started = await api("POST", "/v1/audits", data);
        go("#/audits/" + encodeURIComponent(started.audit_id));
      } catch (err) {
        if (err.status === 401) return fail(err);
        error.textContent = explain(err);
      }
    });
    view.appendChild(form);
    const slot = h("div", {});
    view.appendChild(slot);
    if (parts[0]) {
      const id = parts[0];
      const show = async () => {
        const a = await api("GET", "/v1/audits/" + encodeURIComponent(id));
        if (stale()) return true;
        slot.textContent = "";
        slot.appendChild(auditPanel(a));
        return a.status === "done" || a.status === "failed";
      };
      if (!(await show())) {
        const timer = setInterval(() => {
          show().then((finished) => { if (finished) clearInterval(timer); }).catch((err) => { clearInterval(timer); fail(err); });
        }, 1000);
        timers.push(timer);
      }
    }
    const recent = (await api("GET", "/v1/audits?limit=20")).audits;
    if (stale()) return;
    banner("");
    view.appendChild(h("section", { class: "card", "aria-labelledby": "h-recent" }, h("h2", { id: "h-recent", text: t("au.recent") }),
      recent.length ? table([t("au.created"), t("au.source"), t("au.status"), t("au.violations")], recent.map((a) => [
        h("a", { href: "#/audits/" + encodeURIComponent(a.audit_id), text: here(a.created_at) }), a.source || a.kind,
        t("au." + a.status), String(a.progress.violations || 0)]), "audits-table") : h("p", { class: "empty", text: t("au.none") })));
  }

  // --- dashboard -------------------------------------------------------------------------------------------
  const figure = (n, label, id) => h("div", { class: "figure", id: id || null }, h("div", { class: "n", text: n === undefined || n === null ? "—" : String(n) }), h("div", { class: "l", text: label }));

  /** Horizontal bars; each row is {label, parts: [{key, value, color, name}]} (parts stack). */
  function barChart(id, title, rows, legend) {
    const width = 420;
    const labelW = 118;
    const rowH = 28;
    const height = Math.max(1, rows.length) * rowH + 24;
    const max = Math.max(1, ...rows.map((r) => r.parts.reduce((a, p) => a + p.value, 0)));
    const plotW = width - labelW - 44;
    const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title, id });
    svg.appendChild(s("title", { text: title }));
    rows.forEach((r, i) => {
      const y = i * rowH + 4;
      svg.appendChild(s("text", { x: labelW - 8, y: y + 14, "text-anchor": "end", text: r.label.length > 16 ? r.label.slice(0, 15) + "…" : r.label }));
      let x = labelW;
      let sum = 0;
      r.parts.forEach((p) => {
        const w = (p.value / max) * plotW;
        if (p.value > 0) {
          const rect = s("rect", { x, y, width: Math.max(w, 1.5), height: rowH - 10, fill: p.color, class: "bar", "data-key": `${r.key}:${p.key}`, "data-value": p.value });
          rect.appendChild(s("title", { text: `${r.label} · ${p.name}: ${p.value}` }));
          svg.appendChild(rect);
        }
        x += w;
        sum += p.value;
      });
      svg.appendChild(s("text", { x: x + 6, y: y + 14, text: String(sum) }));
    });
    svg.appendChild(s("line", { x1: labelW, x2: labelW, y1: 0, y2: height - 20, stroke: "#9ca3af" }));
    const data = h("details", { class: "data" }, h("summary", { text: t("dash.table") }),
      table(["", ...rows[0] ? rows[0].parts.map((p) => p.name) : []], rows.map((r) => [r.label, ...r.parts.map((p) => String(p.value))])));
    return h("section", { class: "card chart", "aria-labelledby": id + "-h" }, h("h2", { id: id + "-h", text: title }),
      rows.length ? [svg, legend ? h("div", { class: "legend" }, legend.map(([name, color]) => h("span", { style: `--c:${color}`, text: name }))) : null, data]
        : h("p", { class: "empty", text: t("dash.nodata") }));
  }

  async function renderDashboard(view, parts, params, stale) {
    const date = params.get("date") || "";
    const input = h("input", { type: "date", value: date });
    const form = h("form", { class: "card" }, h("h1", { text: t("dash.title") }),
      h("div", { class: "inline" }, field("dash-date", t("dash.date"), input), h("button", { type: "submit", id: "dash-go", text: t("refresh") })));
    form.addEventListener("submit", (event) => { event.preventDefault(); go("#/dashboard" + (input.value ? "?date=" + input.value : "")); });
    view.appendChild(form);
    const st = await api("GET", "/v1/stats" + (date ? "?" + new URLSearchParams({ date }) : ""));
    if (stale()) return;
    banner("");
    if (!input.value) input.value = st.date;
    form.appendChild(h("p", { class: "muted", text: `${st.date} · ${t("dash.tz", { tz: st.timezone })}` }));
    const c = st.checks;
    const open = st.complaints.reduce((a, x) => a + x.open, 0);
    const overdue = st.complaints.reduce((a, x) => a + x.overdue, 0);
    view.appendChild(h("div", { class: "figures", id: "figures" },
      figure(c.total, t("dash.checks"), "fig-total"), figure(c.allowed, t("dash.allowed"), "fig-allowed"), figure(c.denied, t("dash.denied"), "fig-denied"),
      figure(c.total ? Math.round((100 * c.allowed) / c.total) + "%" : "—", t("dash.ratio")), figure(c.dry_run, t("dash.dry")),
      figure(open, t("dash.cp_open"), "fig-cp-open"), figure(overdue, t("dash.cp_overdue"), "fig-cp-overdue")));
    const allow = "#059669";
    const deny = "#dc2626";
    view.appendChild(h("div", { class: "grid" },
      barChart("chart-reasons", t("dash.byreason"), st.by_reason.map((r) => ({ key: r.code, label: reasonTitle(r.code),
        parts: [{ key: "n", value: r.count, color: deny, name: t("dash.denied") }] }))),
      barChart("chart-campaigns", t("dash.bycampaign"), st.by_campaign.map((r) => ({ key: r.campaign, label: r.campaign,
        parts: [{ key: "allowed", value: r.allowed, color: allow, name: t("dash.allowed") }, { key: "denied", value: r.denied, color: deny, name: t("dash.denied") }] })),
        [[t("dash.allowed"), allow], [t("dash.denied"), deny]]),
      barChart("chart-complaints", t("dash.complaints"), st.complaints.map((r) => ({ key: r.severity, label: t("sev." + r.severity),
        parts: [{ key: "open", value: r.open, color: "#2563eb", name: t("st.open") }, { key: "overdue", value: r.overdue, color: deny, name: t("st.overdue") }] })),
        [[t("st.open"), "#2563eb"], [t("st.overdue"), deny]])));
  }

  // --- start ------------------------------------------------------------------------------------------------
  $("lang").addEventListener("click", () => {
    lang = lang === "zh" ? "en" : "zh";
    localStorage.setItem(LANG, lang);
    document.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });
    route();
  });
  $("signout").addEventListener("click", () => {
    sessionStorage.removeItem(KEY);
    me = null;
    banner("");
    go("#/signin");
  });
  document.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });
  window.addEventListener("hashchange", route);
  route();
})();
