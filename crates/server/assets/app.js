// dyad dashboard: our own script. It asks this server's JSON API and draws the charts as SVG.
// Data reaches the page only through textContent and attributes, never as HTML.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const QUADS = ["verbal cooperation", "material cooperation", "verbal conflict", "material conflict"];
const main = document.getElementById("main");

// ---------- small helpers ----------

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const k of kids.flat()) {
    if (k === null || k === undefined || k === false) continue;
    e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return e;
}

function svg(tag, attrs, ...kids) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, String(v));
  }
  for (const k of kids.flat()) {
    if (k === null || k === undefined) continue;
    e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return e;
}

// The page tells when it is drawn: <html data-pending> counts the API requests in flight, and
// each time it falls to zero (after the answers' handlers drew them) and the next frame has been
// laid out and painted, <html data-drawn> grows and a "dyad:drawn" performance mark is set.
// Browser tests and the first-page benchmark wait on it.
let pending = 0, drawn = 0;
function busy(d) {
  pending += d;
  document.documentElement.dataset.pending = String(pending + (pending === 0 ? 1 : 0));
  if (pending !== 0) return;
  requestAnimationFrame(() => setTimeout(() => {
    if (pending !== 0) return;
    drawn += 1;
    document.documentElement.dataset.pending = "0";
    document.documentElement.dataset.drawn = String(drawn);
    performance.mark("dyad:drawn");
  }, 0));
}

async function api(path) {
  busy(1);
  try {
    const r = await fetch(path, { headers: { Accept: "application/json" } });
    let body = null;
    try { body = await r.json(); } catch (_) { /* not JSON */ }
    if (!r.ok) {
      const msg = body && body.message ? body.message : r.status + " " + r.statusText;
      throw new Error(msg);
    }
    return body;
  } finally {
    // After the caller's handlers (microtasks) have drawn the answer or asked for more.
    setTimeout(() => busy(-1), 0);
  }
}

function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== "" && v !== false) u.set(k, v === true ? "true" : String(v));
  }
  return u.toString();
}

function fmt(x, digits) {
  return x === null || x === undefined ? "–" : Number(x).toFixed(digits === undefined ? 1 : digits);
}

function showError(where, e) {
  where.replaceChildren(el("p", { class: "error" }, String(e.message || e)));
}

function setNav(view) {
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("on", a.dataset.view === view);
}

function parseHash() {
  const h = location.hash.replace(/^#\/?/, "");
  const [path, query] = h.split("?");
  return { parts: (path || "").split("/").filter(Boolean), params: new URLSearchParams(query || "") };
}

function go(path, params) {
  const q = params ? qs(params) : "";
  location.hash = "#/" + path + (q ? "?" + q : "");
}

// ---------- periods ----------

function parseDay(s) {
  const [y, m, d] = s.split("-").map(Number);
  return new Date(Date.UTC(y, (m || 1) - 1, d || 1));
}
function dayStr(d) { return d.toISOString().slice(0, 10); }

// The key of the period holding day `d` (as the server names it) and the next period's start.
function periodKey(d, by) {
  if (by === "day") return dayStr(d);
  if (by === "week") {
    const w = new Date(d); w.setUTCDate(w.getUTCDate() - ((w.getUTCDay() + 6) % 7)); return dayStr(w);
  }
  if (by === "month") return dayStr(d).slice(0, 7);
  return dayStr(d).slice(0, 4);
}
function periodStart(key, by) {
  if (by === "month") return parseDay(key + "-01");
  if (by === "year") return parseDay(key + "-01-01");
  return parseDay(key);
}
function nextPeriod(start, by) {
  const d = new Date(start);
  if (by === "day") d.setUTCDate(d.getUTCDate() + 1);
  else if (by === "week") d.setUTCDate(d.getUTCDate() + 7);
  else if (by === "month") d.setUTCMonth(d.getUTCMonth() + 1);
  else d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d;
}
function periodRange(key, by) {
  const s = periodStart(key, by);
  const e = nextPeriod(s, by); e.setUTCDate(e.getUTCDate() - 1);
  return [dayStr(s), dayStr(e)];
}

// Every period from the first to the last with data (or the asked range), empty ones included.
function fillPeriods(rows, by, from, to) {
  const byKey = new Map(rows.map(r => [r.period, r]));
  if (!rows.length && !(from && to)) return [];
  const first = from ? periodStart(periodKey(parseDay(from), by), by) : periodStart(rows[0].period, by);
  const last = to ? periodStart(periodKey(parseDay(to), by), by) : periodStart(rows[rows.length - 1].period, by);
  const out = [];
  for (let d = first; d <= last && out.length < 5000; d = nextPeriod(d, by)) {
    const k = periodKey(d, by);
    out.push(byKey.get(k) || { period: k, events: 0, quad: [0, 0, 0, 0], mean_goldstein: null, mean_tone: null, top_codes: [] });
  }
  return out;
}

// ---------- charts (SVG, drawn here) ----------

const W = 960, PADL = 44, PADR = 10;

function xBand(n) {
  const inner = W - PADL - PADR;
  const step = inner / Math.max(n, 1);
  return { step, x: i => PADL + i * step, bar: Math.max(1, step * 0.8) };
}

function xLabels(g, periods, band, y) {
  const every = Math.max(1, Math.ceil(periods.length / 10));
  periods.forEach((p, i) => {
    if (i % every === 0) g.append(svg("text", { x: band.x(i) + band.step / 2, y, "text-anchor": "middle" }, p.period));
  });
}

function barChart(periods, state, onPick) {
  const H = 230, top = 10, bottom = 24, h = H - top - bottom;
  const shown = [0, 1, 2, 3].filter(q => !state.hidden.has(q + 1));
  const total = p => shown.reduce((s, q) => s + p.quad[q], 0);
  const max = Math.max(1, ...periods.map(total));
  const band = xBand(periods.length);
  const s = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-label": "events per period by quad class" });
  const y = v => top + h - (v / max) * h;
  for (const t of [0, Math.round(max / 2), max]) {
    s.append(svg("line", { x1: PADL, x2: W - PADR, y1: y(t), y2: y(t), class: "axis" }));
    s.append(svg("text", { x: PADL - 6, y: y(t) + 4, "text-anchor": "end" }, t));
  }
  periods.forEach((p, i) => {
    let acc = 0;
    for (const q of shown) {
      const v = p.quad[q];
      if (!v) continue;
      const r = svg("rect", {
        x: band.x(i) + (band.step - band.bar) / 2, width: band.bar, y: y(acc + v), height: Math.max(0.5, y(acc) - y(acc + v)),
        class: "bar q" + (q + 1) + (state.period === p.period ? " sel" : ""),
        onclick: () => onPick(p.period),
      }, svg("title", {}, `${p.period}: ${v} ${QUADS[q]} of ${p.events} events`));
      s.append(r);
      acc += v;
    }
  });
  xLabels(s, periods, band, H - 6);
  return s;
}

function lineChart(periods, key, cls, label, fixed, onPick) {
  const H = 150, top = 12, bottom = 22, h = H - top - bottom;
  const vals = periods.map(p => (p.events ? p[key] : null));
  const present = vals.filter(v => v !== null && v !== undefined);
  let lo = fixed ? fixed[0] : Math.min(0, ...present), hi = fixed ? fixed[1] : Math.max(0, ...present);
  if (!fixed) { const m = Math.max(Math.abs(lo), Math.abs(hi), 1); lo = -m; hi = m; }
  const band = xBand(periods.length);
  const y = v => top + h - ((v - lo) / (hi - lo)) * h;
  const s = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-label": label });
  for (const t of [lo, 0, hi]) s.append(svg("text", { x: PADL - 6, y: y(t) + 4, "text-anchor": "end" }, fmt(t, 0)));
  s.append(svg("line", { x1: PADL, x2: W - PADR, y1: y(0), y2: y(0), class: "zero" }));
  s.append(svg("text", { x: PADL + 4, y: top + 2 }, label));
  let d = "", pen = false;
  vals.forEach((v, i) => {
    if (v === null || v === undefined) { pen = false; return; }
    d += (pen ? "L" : "M") + (band.x(i) + band.step / 2).toFixed(1) + " " + y(v).toFixed(1) + " ";
    pen = true;
  });
  if (d) s.append(svg("path", { d, class: "line " + cls }));
  vals.forEach((v, i) => {
    if (v === null || v === undefined) return;
    s.append(svg("circle", { cx: band.x(i) + band.step / 2, cy: y(v), r: 3, class: "pt line " + cls, onclick: () => onPick(periods[i].period) },
      svg("title", {}, `${periods[i].period}: ${label} ${fmt(v, 2)} (${periods[i].events} events)`)));
  });
  xLabels(s, periods, band, H - 5);
  return s;
}

// ---------- relations view ----------

const actorList = el("datalist", { id: "actors" });
document.body.append(actorList);
// The suggestions are asked for when a person first focuses an actor field, not while the page
// is drawn: counting every actor mention takes seconds on a big store.
let actorsLoaded = false;
function loadActors() {
  if (actorsLoaded) return;
  actorsLoaded = true;
  api("/api/actors?limit=200").then(v => {
    actorList.replaceChildren(...v.actors.map(a => el("option", { value: a.code }, a.name ? `${a.name} (${a.mentions})` : `${a.mentions} mentions`)));
  }).catch(() => { actorsLoaded = false; });
}

function relationsView(params) {
  setNav("relations");
  const st = {
    a: (params.get("a") || "").toUpperCase(), b: (params.get("b") || "").toUpperCase(),
    from: params.get("from") || "", to: params.get("to") || "", by: params.get("by") || "week",
    directed: params.get("directed") === "true", period: params.get("period") || "",
    hidden: new Set((params.get("hide") || "").split(",").filter(Boolean).map(Number)),
  };
  const save = changes => {
    Object.assign(st, changes);
    go("", { a: st.a, b: st.b, from: st.from, to: st.to, by: st.by === "week" ? "" : st.by, directed: st.directed,
      period: st.period, hide: [...st.hidden].join(",") });
  };
  const input = (name, ph) => el("input", { type: "text", name, value: st[name], placeholder: ph, list: "actors", maxlength: 20, required: true, autocomplete: "off", onfocus: loadActors });
  const form = el("form", { class: "controls", id: "pick", onsubmit: ev => {
    ev.preventDefault();
    const f = new FormData(form);
    save({ a: String(f.get("a")).trim().toUpperCase(), b: String(f.get("b")).trim().toUpperCase(),
      from: f.get("from"), to: f.get("to"), by: f.get("by"), directed: f.get("directed") === "on", period: "" });
  } },
    el("label", {}, "Actor A", input("a", "USA")),
    el("label", {}, "Actor B", input("b", "PRK")),
    el("label", {}, "From", el("input", { type: "date", name: "from", value: st.from })),
    el("label", {}, "To", el("input", { type: "date", name: "to", value: st.to })),
    el("label", {}, "Per", el("select", { name: "by" }, ...["day", "week", "month", "year"].map(p => el("option", { value: p, selected: p === st.by }, p)))),
    el("label", { class: "inline" }, el("input", { type: "checkbox", name: "directed", checked: st.directed }), "A → B only"),
    el("button", { type: "submit" }, "Show"));
  const charts = el("div", { class: "charts" });
  const table = el("div", {});
  main.replaceChildren(
    el("h1", {}, st.a && st.b ? `${st.a} and ${st.b}` : "How two actors treat each other"),
    el("div", { class: "panel" }, form),
    charts, table);
  if (!st.a || !st.b) {
    charts.replaceChildren(el("p", { class: "muted" }, "Pick two actors (country codes such as USA and PRK, or actor codes such as USAGOV) and a date range."));
    eventsTable(table, st, save);
    return;
  }
  charts.replaceChildren(el("p", { class: "muted" }, "Loading…"));
  api("/api/relations?" + qs({ a: st.a, b: st.b, from: st.from, to: st.to, by: st.by, directed: st.directed })).then(v => {
    const periods = fillPeriods(v.periods, st.by, st.from, st.to);
    const total = v.periods.reduce((s, p) => s + p.events, 0);
    const pick = p => save({ period: st.period === p ? "" : p });
    const legend = el("div", { class: "legend" }, ...QUADS.map((q, i) => el("button", {
      type: "button", class: st.hidden.has(i + 1) ? "off" : "", title: "show or hide " + q,
      onclick: () => { const h = new Set(st.hidden); h.has(i + 1) ? h.delete(i + 1) : h.add(i + 1); save({ hidden: h }); },
    }, el("span", { class: "sw q" + (i + 1) }), q)));
    if (!total) {
      charts.replaceChildren(el("p", { class: "muted" }, `No events between ${st.a} and ${st.b}${st.from || st.to ? " in this range" : ""}.`));
    } else {
      charts.replaceChildren(
        el("div", { class: "panel" },
          el("div", { class: "legend" }, el("strong", {}, `${total} events per ${st.by}`), legend),
          barChart(periods, st, pick),
          lineChart(periods, "mean_goldstein", "gold", "mean Goldstein", [-10, 10], pick),
          lineChart(periods, "mean_tone", "tone", "mean tone", null, pick)));
    }
    eventsTable(table, st, save);
  }).catch(e => showError(charts, e));
}

function eventsTable(where, st, save) {
  let from = st.from, to = st.to;
  if (st.period) [from, to] = periodRange(st.period, st.by);
  const quads = [1, 2, 3, 4].filter(q => !st.hidden.has(q));
  const pair = st.a && st.b;
  const query = { actors: pair ? st.a + "," + st.b : "", directed: pair && st.directed, from, to, limit: 50,
    quad: quads.length < 4 ? quads.join(",") : "" };
  const chips = [];
  if (st.period) chips.push(el("span", {}, `${st.by} of ${st.period}`, el("button", { type: "button", onclick: () => save({ period: "" }) }, "×")));
  if (quads.length < 4) chips.push(el("span", {}, " · " + quads.map(q => QUADS[q - 1]).join(", ")));
  const tbody = el("tbody", {});
  const more = el("div", { class: "more" });
  where.replaceChildren(
    el("h2", {}, pair ? "Events" : "Latest events"),
    el("div", { class: "filters muted" }, chips.length ? chips
      : pair ? "all events of the pair; click a bar to see one period" : "every actor, newest first; pick two actors to see how they treat each other"),
    el("div", { class: "panel" },
      el("table", { id: "events" },
        el("thead", {}, el("tr", {}, ...["date", "source", "", "target", "event", "PLOVER", "Goldstein", "tone", "mentions"].map(h => el("th", {}, h)))),
        tbody),
      more));
  const load = cursor => {
    more.replaceChildren(el("span", { class: "muted" }, "Loading…"));
    api("/api/events?" + qs(Object.assign({}, query, { cursor }))).then(v => {
      for (const e of v.events) {
        tbody.append(el("tr", { class: "ev", tabindex: 0, "data-id": e.id, title: "read the sentence behind this event",
          onclick: () => go("event/" + e.id), onkeydown: k => { if (k.key === "Enter") go("event/" + e.id); } },
          el("td", {}, e.date || "–"),
          el("td", {}, e.source_name ? `${e.source_name} (${e.source})` : e.source),
          el("td", {}, "→"),
          el("td", {}, e.target_name ? `${e.target_name} (${e.target})` : e.target),
          el("td", {}, el("span", { class: "tag q" + e.quad_class, title: QUADS[e.quad_class - 1] }, e.cameo)),
          el("td", {}, e.plover || "–"),
          el("td", { class: "num" }, fmt(e.goldstein)),
          el("td", { class: "num" }, fmt(e.avg_tone)),
          el("td", { class: "num" }, e.num_mentions)));
      }
      if (!tbody.children.length) tbody.append(el("tr", {}, el("td", { colspan: 9, class: "muted" }, "No events.")));
      more.replaceChildren(v.next ? el("button", { type: "button", onclick: () => load(v.next) }, "More events") : "");
    }).catch(e => showError(more, e));
  };
  load("");
}

// ---------- event and document views ----------

// Byte offsets (as the API gives them) to string indexes (UTF-16), for the offsets asked.
function byteIndex(text, offsets) {
  const want = [...new Set(offsets)].sort((a, b) => a - b);
  const out = new Map();
  let b = 0, i = 0, k = 0;
  while (k < want.length) {
    if (want[k] <= b || i >= text.length) { out.set(want[k], i); k++; continue; }
    const c = text.codePointAt(i);
    b += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    i += c >= 0x10000 ? 2 : 1;
  }
  return out;
}

// The body as text nodes and spans; each part gets the classes of the ranges that cover it.
function highlighted(body, ranges) {
  const idx = byteIndex(body, ranges.flatMap(r => [r.start, r.end]).concat([0]));
  const cuts = new Set([0, body.length]);
  const rs = ranges.map(r => ({ s: idx.get(r.start), e: idx.get(r.end), cls: r.cls, on: r.on, title: r.title }))
    .filter(r => r.s !== undefined && r.e !== undefined && r.e > r.s);
  for (const r of rs) { cuts.add(r.s); cuts.add(r.e); }
  const points = [...cuts].sort((a, b) => a - b);
  const out = el("div", { class: "body" });
  for (let j = 0; j + 1 < points.length; j++) {
    const [s, e] = [points[j], points[j + 1]];
    const cover = rs.filter(r => r.s <= s && r.e >= e);
    const text = body.slice(s, e);
    if (!cover.length) { out.append(text); continue; }
    const clickable = cover.find(r => r.on);
    const t = cover.map(r => r.title).filter(Boolean).join("; ");
    out.append(el("span", { class: cover.map(r => r.cls).join(" "), title: t || null,
      onclick: clickable ? clickable.on : null }, text));
  }
  return out;
}

function eventView(id) {
  setNav("relations");
  main.replaceChildren(el("p", { class: "muted" }, "Loading…"));
  api("/api/events/" + encodeURIComponent(id)).then(v => {
    const e = v.event;
    const docBox = el("div", {});
    const list = el("ul", { class: "list" });
    const open = m => {
      for (const li of list.children) li.classList.toggle("on", li.dataset.id === m.id);
      documentInto(docBox, m.doc, m.id);
    };
    for (const m of v.evidence) {
      list.append(el("li", { "data-id": m.id },
        el("button", { type: "button", class: "link", onclick: () => open(m) }, m.title || m.url || m.source),
        el("div", { class: "muted" }, [m.outlet, m.doc_date, "rule " + m.rule, "confidence " + fmt(m.confidence, 2)].filter(Boolean).join(" · "))));
    }
    main.replaceChildren(
      el("h1", {}, `${e.source_name || e.source} → ${e.target_name || e.target}: `, el("span", { class: "tag q" + e.quad_class }, e.cameo), " ", e.plover || ""),
      el("p", { class: "muted" }, `${e.date || "undated"} · ${QUADS[e.quad_class - 1]} · Goldstein ${fmt(e.goldstein)} · tone ${fmt(e.avg_tone)} · ${e.num_mentions} mentions in ${e.num_articles} articles from ${e.num_sources} sources`),
      el("div", { class: "panel" }, el("strong", {}, "Reported in"), list),
      docBox);
    if (v.evidence.length) open(v.evidence[0]);
  }).catch(e => showError(main, e));
}

function documentView(id, params) {
  setNav("");
  const box = el("div", {});
  main.replaceChildren(box);
  documentInto(box, id, params.get("m"));
}

function documentInto(box, id, mention) {
  box.replaceChildren(el("p", { class: "muted" }, "Loading the article…"));
  api("/api/documents/" + encodeURIComponent(id)).then(d => {
    let selected = mention || (d.events[0] && d.events[0].id);
    const bodyBox = el("div", { class: "panel", id: "article" });
    const list = el("ul", { class: "list" });
    const draw = () => {
      const ranges = [];
      for (const e of d.events) {
        if (e.id === selected) continue;
        ranges.push({ start: e.evidence[0], end: e.evidence[1], cls: "other", title: `${e.source.code} ${e.cameo} ${e.target ? e.target.code : ""}`, on: () => { selected = e.id; draw(); } });
      }
      const e = d.events.find(x => x.id === selected);
      if (e) {
        ranges.push({ start: e.evidence[0], end: e.evidence[1], cls: "ev", title: "evidence" });
        ranges.push({ start: e.source.span[0], end: e.source.span[1], cls: "src", title: "source " + e.source.code });
        if (e.target) ranges.push({ start: e.target.span[0], end: e.target.span[1], cls: "tgt", title: "target " + e.target.code });
        ranges.push({ start: e.trigger[0], end: e.trigger[1], cls: "verb", title: "verb, rule " + e.rule });
      }
      bodyBox.replaceChildren(
        el("div", { class: "keys" }, el("span", { class: "ev" }, "evidence"), el("span", { class: "src" }, "source"), el("span", { class: "tgt" }, "target"), el("span", { class: "verb" }, "verb")),
        highlighted(d.body, ranges));
      for (const li of list.children) li.classList.toggle("on", li.dataset.id === selected);
      const mark = bodyBox.querySelector(".ev");
      if (mark && mark.scrollIntoView) mark.scrollIntoView({ block: "center" });
    };
    for (const e of d.events) {
      list.append(el("li", { "data-id": e.id },
        el("button", { type: "button", class: "link", onclick: () => { selected = e.id; draw(); } },
          `${e.source.name || e.source.code} → ${e.target ? e.target.name || e.target.code : "–"}`),
        " ", el("span", { class: "tag q" + e.quad_class }, e.cameo), " ", el("span", { class: "muted" }, e.plover || "")));
    }
    const quotes = d.quotes.map(q => el("blockquote", { class: "quote" }, "“" + q.text + "”",
      el("div", { class: "who" }, (q.speaker_name || q.speaker_text || "unknown speaker") + (q.speaker_code ? ` (${q.speaker_code})` : ""))));
    box.replaceChildren(
      el("h1", {}, d.title || "(untitled)"),
      el("p", { class: "muted" }, [d.date, d.outlet, d.url ? null : d.source].filter(Boolean).join(" · "), d.url ? " · " : "", d.url ? el("a", { href: d.url, rel: "noreferrer noopener", target: "_blank" }, d.url) : ""),
      el("div", { class: "doc" }, bodyBox,
        el("div", {}, el("div", { class: "panel" }, el("strong", {}, `${d.events.length} events`), list),
          quotes.length ? el("div", { class: "panel" }, el("strong", {}, `${quotes.length} quotations`), quotes) : "")));
    draw();
  }).catch(e => showError(box, e));
}

// ---------- quotations by speaker ----------

function quotesView(params) {
  setNav("quotes");
  const st = { speaker: params.get("speaker") || "", text: params.get("text") || "", mentions: params.get("mentions") || "" };
  const form = el("form", { class: "controls", onsubmit: ev => {
    ev.preventDefault();
    const f = new FormData(form);
    go("quotes", { speaker: st.speaker, text: f.get("text"), mentions: String(f.get("mentions")).toUpperCase() });
  } },
    el("label", {}, "Words", el("input", { type: "search", name: "text", value: st.text, maxlength: 200 })),
    el("label", {}, "Mentions actor", el("input", { type: "text", name: "mentions", value: st.mentions, list: "actors", maxlength: 20, onfocus: loadActors })),
    el("button", { type: "submit" }, "Filter"));
  const side = el("ul", { class: "list", id: "speakers" });
  const quotes = el("div", {});
  main.replaceChildren(el("h1", {}, st.speaker ? "Quotations of " + st.speaker : "Quotations by speaker"),
    el("div", { class: "panel" }, form),
    el("div", { class: "speakers" }, el("div", { class: "panel" }, el("strong", {}, "Speakers"), side), quotes));
  api("/api/speakers?limit=200").then(v => {
    side.replaceChildren(el("li", { class: st.speaker ? "" : "on" }, el("button", { type: "button", class: "link", onclick: () => go("quotes", { text: st.text, mentions: st.mentions }) }, "everyone")),
      ...v.speakers.map(s => {
        const key = s.code || s.name || "";
        return el("li", { class: key === st.speaker ? "on" : "" },
          el("button", { type: "button", class: "link", onclick: () => go("quotes", { speaker: key, text: st.text, mentions: st.mentions }) },
            s.name || s.code || "unknown"), " ", el("span", { class: "muted" }, `${s.code && s.name ? s.code + " · " : ""}${s.quotes}`));
      }));
  }).catch(e => showError(side, e));
  const more = el("div", { class: "more" });
  const box = el("div", { class: "panel" });
  quotes.replaceChildren(box, more);
  const load = offset => {
    api("/api/quotes?" + qs({ speaker: st.speaker, text: st.text, mentions: st.mentions, limit: 30, offset })).then(v => {
      for (const q of v.quotes) box.append(quoteItem(q));
      if (!box.children.length) box.append(el("p", { class: "muted" }, "No quotations."));
      more.replaceChildren(v.next_offset ? el("button", { type: "button", onclick: () => load(v.next_offset) }, "More quotations") : "");
    }).catch(e => showError(more, e));
  };
  load(0);
}

function quoteItem(sq) {
  const q = sq.quote;
  return el("blockquote", { class: "quote" }, "“" + q.text + "”",
    el("div", { class: "who" },
      (q.speaker_name || q.speaker_text || "unknown speaker") + (q.speaker_code ? ` (${q.speaker_code})` : ""),
      sq.mentions.length ? " · about " + sq.mentions.join(", ") : "",
      " · ", el("a", { href: "#/doc/" + sq.doc }, sq.doc_date || "article")));
}

// ---------- search ----------

function snippet(s) {
  // The server marks matches with [ and ].
  const out = el("span", {});
  s.split(/(\[[^\]]*\])/).forEach(part => {
    if (part.startsWith("[") && part.endsWith("]")) out.append(el("mark", {}, part.slice(1, -1)));
    else out.append(part);
  });
  return out;
}

function searchView(params) {
  setNav("");
  const q = params.get("q") || "";
  document.querySelector("#search input").value = q;
  main.replaceChildren(el("h1", {}, "Search: " + q), el("p", { class: "muted" }, "Searching…"));
  if (!q.trim()) { main.replaceChildren(el("p", { class: "muted" }, "Type words to find.")); return; }
  api("/api/search?" + qs({ q, limit: 30 })).then(v => {
    const docs = el("ul", { class: "list", id: "found" }, ...v.documents.map(d => el("li", {},
      el("a", { href: "#/doc/" + d.id }, d.title || d.url || d.source), " ", el("span", { class: "muted" }, d.date || ""),
      el("div", {}, snippet(d.snippet)))));
    main.replaceChildren(el("h1", {}, "Search: " + q),
      el("div", { class: "panel" }, el("strong", {}, `${v.documents.length} articles`), v.documents.length ? docs : el("p", { class: "muted" }, "No article.")),
      el("div", { class: "panel" }, el("strong", {}, `${v.quotes.length} quotations`), ...v.quotes.map(quoteItem)));
  }).catch(e => showError(main, e));
}

// ---------- routing ----------

document.getElementById("search").addEventListener("submit", ev => {
  ev.preventDefault();
  const q = new FormData(ev.target).get("q");
  go("search", { q });
});

function route() {
  const { parts, params } = parseHash();
  if (parts[0] === "event" && parts[1]) eventView(parts[1]);
  else if (parts[0] === "doc" && parts[1]) documentView(parts[1], params);
  else if (parts[0] === "quotes") quotesView(params);
  else if (parts[0] === "search") searchView(params);
  else relationsView(params);
  window.scrollTo(0, 0);
  // A view that asked nothing is drawn already.
  setTimeout(() => { if (pending === 0) busy(0); }, 0);
}

window.addEventListener("hashchange", route);
route();
