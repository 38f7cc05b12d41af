// pcbridge dashboard: fetches /admin/usage and /admin/status from the admin listener that
// served this page and renders them; again every 10 s. Everything shown is set as text
// (textContent), never parsed as HTML: client names come from clients.
// The admin token, when the listener has one: typed into the form (or handed over once as
// "#token=..." by a script; moved out of the URL at once), kept in sessionStorage, sent as
// "Authorization: Bearer". It never appears in a URL that reaches a server or a log.
"use strict";

const refresh_ms = 10000;
const token_key = "pcbridge-admin-token";
const spark_days = 30;

function $(id) { return document.getElementById(id); }

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function token() { return sessionStorage.getItem(token_key) || ""; }

function take_token_from_fragment() {
  const m = /^#token=(.+)$/.exec(location.hash);
  if (!m) return;
  sessionStorage.setItem(token_key, decodeURIComponent(m[1]));
  history.replaceState(null, "", location.pathname + location.search);
}

class refusal extends Error {
  constructor(status, text) { super(text); this.status = status; }
}

async function get_json(path) {
  const headers = {};
  if (token()) headers["Authorization"] = "Bearer " + token();
  const res = await fetch(path, { headers, cache: "no-store", credentials: "omit" });
  if (!res.ok) throw new refusal(res.status, (await res.text()).trim());
  return res.json();
}

// "2026-12-02T10:00:00Z" -> "2026-12-02 10:00"
function short_time(iso) { return iso ? iso.slice(0, 16).replace("T", " ") : "never"; }

function day_before(iso_day, n) {
  const d = new Date(iso_day + "T00:00:00Z");
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

function sparkline(daily, today) {
  const ns = "http://www.w3.org/2000/svg";
  const counts = [];
  for (let i = spark_days - 1; i >= 0; --i) counts.push(daily[day_before(today, i)] || 0);
  const max = Math.max(1, ...counts);
  const w = 3, gap = 1, h = 18;
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("class", "spark");
  svg.setAttribute("width", String(spark_days * (w + gap)));
  svg.setAttribute("height", String(h));
  const total = counts.reduce((a, b) => a + b, 0);
  const title = document.createElementNS(ns, "title");
  title.textContent = total + " calls in the last " + spark_days + " days";
  svg.appendChild(title);
  counts.forEach((n, i) => {
    const r = document.createElementNS(ns, "rect");
    const bar = n === 0 ? 1 : Math.max(2, Math.round((n / max) * h));
    r.setAttribute("x", String(i * (w + gap)));
    r.setAttribute("y", String(h - bar));
    r.setAttribute("width", String(w));
    r.setAttribute("height", String(bar));
    if (n === 0) r.setAttribute("class", "zero");
    svg.appendChild(r);
  });
  svg.dataset.total = String(total);
  return svg;
}

function fill(table_id, rows, columns, empty_text) {
  const body = $(table_id).tBodies[0];
  body.replaceChildren();
  if (rows.length === 0) {
    const tr = el("tr");
    const td = el("td", empty_text, "empty");
    td.colSpan = columns;
    tr.appendChild(td);
    body.appendChild(tr);
    return;
  }
  rows.forEach((r) => body.appendChild(r));
}

function row(cells, data) {
  const tr = el("tr");
  for (const [k, v] of Object.entries(data || {})) tr.dataset[k] = v;
  for (const c of cells) {
    const td = c instanceof Node ? c : el("td", c[0], c[1]);
    tr.appendChild(td);
  }
  return tr;
}

// "/?quiet_days=60" moves the in use / quiet boundary (default: /admin/status's quiet_after_days).
function quiet_days(status) {
  const asked = Number.parseInt(new URLSearchParams(location.search).get("quiet_days") || "", 10);
  return Number.isInteger(asked) && asked > 0 ? asked : status.quiet_after_days;
}

function render_methods(status) {
  const mode = (m) => [m.mode, "mode-" + m.mode];
  const days = quiet_days(status);
  const state = (m) => (m.last_seen === null ? "unused" : m.days_since_last_call >= days ? "quiet" : "in_use");
  const in_use = status.methods.filter((m) => state(m) === "in_use").map((m) =>
    row([[m.method], mode(m), [m.calls, "num"], [m.clients, "num"], [short_time(m.last_seen)]], { method: m.method }));
  const quiet = status.methods.filter((m) => state(m) === "quiet").map((m) =>
    row([[m.method], mode(m), [m.calls, "num"], [m.clients, "num"], [short_time(m.last_seen)],
         [m.days_since_last_call, "num"]], { method: m.method }));
  fill("methods-in-use", in_use, 5, "no method was called recently");
  fill("methods-quiet", quiet, 6, "no method has gone quiet");
  const unused = status.methods.filter((m) => state(m) === "unused").map((m) => m.method + " (" + m.mode + ")");
  $("methods-unused").textContent = unused.length ? unused.join(", ") : "every method was called";
  document.querySelectorAll(".quiet-days").forEach((e) => { e.textContent = String(days); });
}

function render_matrix(usage, status) {
  const methods = [...new Set(usage.clients.flatMap((c) => c.methods.map((m) => m.method)))].sort();
  const head = $("matrix").tHead.rows[0];
  head.replaceChildren(el("th", "Client"));
  methods.forEach((m) => head.appendChild(el("th", m)));
  const rows = usage.clients.map((c) => {
    const by_method = new Map(c.methods.map((m) => [m.method, m]));
    // "-": requests with no valid sign-in (no route matched, wrong or missing credentials).
    const tr = row([[c.user === "-" ? "- (before sign-in)" : c.user]], { user: c.user });
    for (const name of methods) {
      const m = by_method.get(name);
      const td = el("td", null, "cell");
      td.dataset.method = name;
      if (m) {
        td.appendChild(el("span", m.count, "count"));
        if (m.errors > 0) td.appendChild(el("span", " (" + m.errors + " err)", "errors"));
        td.appendChild(el("span", "last " + short_time(m.last_seen), "seen"));
        td.appendChild(sparkline(m.daily, status.today));
      } else {
        td.textContent = "–";
        td.classList.add("empty");
      }
      tr.appendChild(td);
    }
    return tr;
  });
  fill("matrix", rows, methods.length + 1, "no calls recorded yet");
}

function render_quota(status) {
  const q = status.quota;
  $("quota-scope").textContent = q.scope + ", limit " + q.operations_per_hour + "/h per key";
  const rows = q.keys.map((k) => {
    const meter = el("td", null, "nowrap");
    const bar = el("span", null, "meter");
    const fill_part = el("span");
    const pct = q.operations_per_hour > 0 ? Math.min(100, (100 * k.operations_last_hour) / q.operations_per_hour) : 0;
    fill_part.style.width = pct.toFixed(1) + "%";
    bar.appendChild(fill_part);
    meter.appendChild(bar);
    meter.appendChild(document.createTextNode(" " + pct.toFixed(1) + "%"));
    return row([[k.api_key], [k.clients.join(", ") || "(client's own X-ApiKey)"],
                [k.operations_last_hour + " / " + q.operations_per_hour, "num"], meter,
                [k.queue_length + " / " + q.max_queue, "num"]], { key: k.api_key });
  });
  fill("quota", rows, 5, "no upstream operation in the last hour");
}

function render_tokens(status) {
  const minutes = (s) => (s === null || s === undefined ? "–" : Math.floor(s / 60) + " min");
  const rows = status.tokens.map((t) =>
    row([[t.user], [t.client_id], [t.state, "state-" + t.state], [minutes(t.age_s), "num"],
         [minutes(t.expires_in_s), "num"], [t.last_error || "none"]], { user: t.user }));
  fill("tokens", rows, 6, "no configured clients");
}

function render_errors(status) {
  const e = status.upstream_errors;
  $("errors-total").textContent = e.total + " since start; the last " + e.capacity + " are kept.";
  const rows = e.recent.map((x) => {
    const cls = x.status === null ? "status-none" : x.status >= 500 ? "status-5xx" : "status-4xx";
    return row([[short_time(x.time)], [x.status === null ? "no answer" : x.status, cls], [x.method], [x.user],
                [x.message]]);
  });
  fill("errors", rows, 5, "no upstream error since start");
}

function show_refusal(err) {
  $("content").hidden = true;
  if (err.status === 401) {
    $("login").hidden = false;
    $("login-why").textContent = token() ? "That token was not accepted; type the admin token again."
                                         : "This admin listener needs its admin token (admin.token_file / token_env).";
    $("refused").hidden = true;
    document.body.dataset.state = "needs-token";
  } else {
    $("refused").hidden = false;
    $("refused").textContent = (err.status ? "HTTP " + err.status + ": " : "") + err.message;
    document.body.dataset.state = "refused";
  }
}

let timer = null;
let loads = 0;  // successful refreshes, on <body data-loads> (the browser test counts them)

async function load() {
  clearTimeout(timer);
  try {
    const [usage, status] = await Promise.all([get_json("/admin/usage"), get_json("/admin/status")]);
    render_methods(status);
    render_matrix(usage, status);
    render_quota(status);
    render_tokens(status);
    render_errors(status);
    $("retention").textContent = String(usage.retention_days);
    $("generated").textContent = "as of " + short_time(status.generated_at) + " UTC";
    $("fetch-state").textContent = "ok";
    $("login").hidden = true;
    $("refused").hidden = true;
    $("content").hidden = false;
    document.body.dataset.state = "loaded";
    document.body.dataset.loads = String(++loads);
  } catch (err) {
    if (err instanceof refusal) {
      show_refusal(err);
      if (err.status === 401) return;  // no polling until a token is typed
    } else {
      $("fetch-state").textContent = "last refresh failed: " + err.message;  // keeps the last view
    }
  }
  timer = setTimeout(load, refresh_ms);
}

document.addEventListener("DOMContentLoaded", () => {
  take_token_from_fragment();
  $("login-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(token_key, $("token").value);
    $("token").value = "";
    load();
  });
  load();
});
