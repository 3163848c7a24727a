// 显示更多 / Show more under a list the guard answers in pages (newest first, by the answer's `next`).
import { announce, banner, h } from "./dom.js";
import { explain } from "./errors.js";
import { t } from "./i18n.js";

/** The button `id` under a list cut at a page, or null when `next` says it is whole. A click reads the page after
 * `next` (`read(next)`, answering `{rows, next}`), `add(rows)` shows them and answers the first element added, which
 * takes the focus; the button goes once the last page is in (focus must not fall to the body). */
export function showMore(id, next, read, add, stale) {
  if (!next) return null;
  const more = h("button", { type: "button", id, text: t("q.more") });
  more.addEventListener("click", async () => {
    more.disabled = true;
    let page;
    try {
      page = await read(next);
    } catch (err) {
      more.disabled = false;
      return banner(explain(err));
    }
    if (stale && stale()) return;
    next = page.next;
    const first = add(page.rows);
    more.disabled = false;
    if (first) first.focus();
    if (!next) more.remove();
  });
  return more;
}

/** The query of the page after `next`, one way for every list: the guard answers an opaque string (complaints,
 * blacklist removals: sent back as `after`) or the decision log's, audits' and simulations' `{before, before_id}`. */
export function pageQuery(next) {
  return typeof next === "string" ? { after: next } : next || {};
}

/** The first page again and the pages after it until `want` rows are in (`read(next)` answering `{rows, next}`,
 * `next` null for the first page): a list redrawn (an audit ended, a refresh) keeps the rows Show more had added. */
export async function readUpTo(read, want) {
  let page = await read(null);
  const rows = [...page.rows];
  while (page.next && rows.length < want) {
    page = await read(page.next);
    rows.push(...page.rows);
  }
  return { rows, next: page.next };
}

/** Rows added under a table()'s body, each cell under its column's name; the first row's first link or button. */
export function addRows(tableEl, headers, rows) {
  const body = tableEl.querySelector("tbody");
  const added = rows.map((cells) => h("tr", {}, cells.map((c, i) => h("td", { "data-label": headers[i] }, c))));
  added.forEach((tr) => body.appendChild(tr));
  announce(t("list.shown", { n: body.children.length }));
  return added.length ? added[0].querySelector("a, button") : null;
}
