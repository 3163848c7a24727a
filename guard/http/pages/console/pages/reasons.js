// What each denial reason's `detail` says, as one sentence in Chinese or English.
import { lang } from "../i18n.js";
import { span, when, windowsText } from "../time.js";
import { label } from "../vocab.js";

export function detailText(code, d) {
  const zh = lang === "zh";
  const src = (x) => label("blacklist_sources", x);
  switch (code) {
    case "INVALID_NUMBER":
      return zh ? `输入“${d.input}”（默认地区 ${d.region}）：${d.why}` : `Input "${d.input}" (default region ${d.region}): ${d.why}`;
    case "CUSTOMER_MISMATCH":
      return zh ? `请求中的客户 ${d.named_customer} 不是该号码登记的所有人（登记客户 ${d.owner}）`
        : `The request names customer ${d.named_customer}; the number is recorded as customer ${d.owner}'s`;
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
      return zh ? `产品 ${d.product} 风险等级 ${d.product_risk}，客户${d.customer_id ? " " + d.customer_id : ""} 风险等级 ${d.customer_risk}，最高可售 ${d.max_product_risk}`
        : `Product ${d.product} is ${d.product_risk}; customer${d.customer_id ? " " + d.customer_id : ""} is ${d.customer_risk} (up to ${d.max_product_risk})`;
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
      const scope = d.scope === "customer" ? (zh ? `按客户${d.customer_id ? " " + d.customer_id : ""}` : `per customer${d.customer_id ? " " + d.customer_id : ""}`)
        : (zh ? "按号码" : "per number");
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
