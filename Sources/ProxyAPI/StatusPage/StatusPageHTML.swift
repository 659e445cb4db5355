/// The status page's markup, style and script (served by `StatusPage`). Every value from the
/// server is put into the page as text (`textContent`), never as markup.
enum StatusPageHTML {
    static let text = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Llama Smart Proxy</title>
<style>
:root { --bg:#f6f7f9; --card:#fff; --ink:#1d2330; --dim:#6b7383; --line:#e3e6eb; --ok:#1f9d55; --warn:#d98e04; --bad:#d64545; --idle:#8a93a3; --accent:#3b6fd8; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif; background:var(--bg); color:var(--ink); }
header { display:flex; align-items:center; gap:16px; padding:12px 20px; background:#1d2330; color:#fff; }
header h1 { font-size:17px; margin:0; font-weight:600; }
header .meta { color:#b8bfcc; font-size:12px; }
header .live { margin-left:auto; font-size:12px; }
header a { color:#b8d0ff; font-size:12px; }
.dot { display:inline-block; width:8px; height:8px; border-radius:50%; background:var(--idle); margin-right:6px; }
.dot.on { background:var(--ok); }
main { padding:16px 20px; display:grid; gap:16px; grid-template-columns: 1fr; max-width:1400px; }
section { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px 16px; }
section h2 { font-size:14px; margin:0 0 10px; text-transform:uppercase; letter-spacing:.04em; color:var(--dim); }
table { width:100%; border-collapse:collapse; }
th, td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-weight:600; color:var(--dim); font-size:12px; }
td.num { font-variant-numeric: tabular-nums; }
.state { display:inline-block; padding:1px 8px; border-radius:10px; font-size:12px; font-weight:600; color:#fff; background:var(--idle); }
.state.ready { background:var(--ok); } .state.loading, .state.unloading { background:var(--warn); } .state.failed { background:var(--bad); }
.error { color:var(--bad); font-size:12px; max-width:360px; word-break:break-word; }
button { font:inherit; padding:3px 10px; border-radius:5px; border:1px solid var(--line); background:#fff; cursor:pointer; }
button.load { border-color:var(--accent); color:var(--accent); } button.unload { border-color:var(--bad); color:var(--bad); }
button:disabled { opacity:.45; cursor:default; }
.devices { display:grid; gap:10px; grid-template-columns:repeat(auto-fill,minmax(260px,1fr)); }
.bar { height:10px; background:var(--line); border-radius:5px; overflow:hidden; margin:4px 0; }
.bar > div { height:100%; background:var(--accent); }
.dim { color:var(--dim); font-size:12px; }
#keyform { display:none; gap:8px; align-items:center; }
#keyform.shown { display:flex; }
#keyform input { font:inherit; padding:4px 8px; width:320px; }
#message { color:var(--bad); }
.split { display:grid; gap:16px; grid-template-columns: minmax(0,1fr) minmax(0,2fr); }
@media (max-width: 900px) { .split { grid-template-columns: 1fr; } }
</style>
</head>
<body>
<header>
  <h1>Llama Smart Proxy</h1>
  <span class="meta" id="meta"></span>
  <a href="/logs">logs</a>
  <span class="live"><span class="dot" id="livedot"></span><span id="livetext">connecting</span></span>
</header>
<main>
  <section id="keysection" hidden>
    <form id="keyform"><label for="key">Admin API key</label><input id="key" type="password" autocomplete="off"><button type="submit">Use key</button></form>
  </section>
  <div id="message"></div>
  <section>
    <h2>Models</h2>
    <table id="models"><thead><tr>
      <th>Model</th><th>State</th><th>Device</th><th>Memory MiB</th><th>In flight / queued</th><th>Uptime</th><th>Last use</th><th>Last load</th><th>Restarts</th><th></th>
    </tr></thead><tbody></tbody></table>
  </section>
  <section>
    <h2>Devices</h2>
    <div class="devices" id="devices"></div>
  </section>
  <div class="split">
    <section>
      <h2>Agents</h2>
      <table id="agents"><thead><tr><th>Command</th><th>Plugin</th><th>Summary</th></tr></thead><tbody></tbody></table>
    </section>
    <section>
      <h2>Recent requests</h2>
      <table id="requests"><thead><tr><th>Time</th><th>Request</th><th>Model</th><th>Status</th><th>ms</th><th>Bytes</th></tr></thead><tbody></tbody></table>
    </section>
  </div>
</main>
<script>
"use strict";
const keyName = "lsp-admin-key";
const state = { refreshTimer: null, models: new Map(), streamBackoff: 500 };

function headers(extra) {
  const h = Object.assign({}, extra || {});
  const key = sessionStorage.getItem(keyName);
  if (key) h["Authorization"] = "Bearer " + key;
  return h;
}

function askForKey() {
  document.getElementById("keysection").hidden = false;
  document.getElementById("keyform").classList.add("shown");
  document.getElementById("key").focus();
}

async function api(path, options) {
  const response = await fetch(path, Object.assign({}, options, { headers: headers(options && options.headers) }));
  if (response.status === 401) { askForKey(); throw new Error("the server asks for an admin key"); }
  return response;
}

function cell(row, text, cls) {
  const td = document.createElement("td");
  td.textContent = text === null || text === undefined ? "–" : String(text);
  if (cls) td.className = cls;
  row.appendChild(td);
  return td;
}

function seconds(value) {
  if (value === null || value === undefined) return "–";
  if (value < 60) return value.toFixed(1) + " s";
  if (value < 3600) return Math.floor(value / 60) + " min " + Math.floor(value % 60) + " s";
  return Math.floor(value / 3600) + " h " + Math.floor((value % 3600) / 60) + " min";
}

function stateBadge(td, name) {
  td.textContent = "";
  const badge = document.createElement("span");
  badge.className = "state " + name;
  badge.textContent = name;
  td.appendChild(badge);
}

function renderModels(models) {
  const body = document.querySelector("#models tbody");
  body.textContent = "";
  for (const model of models) {
    state.models.set(model.id, model);
    const row = document.createElement("tr");
    row.dataset.model = model.id;
    cell(row, model.id + (model.pinned ? " (pinned)" : ""));
    const st = cell(row, "", "statecell");
    stateBadge(st, model.state);
    if (model.last_error) {
      const err = document.createElement("div");
      err.className = "error";
      err.textContent = model.last_error;
      st.appendChild(err);
    }
    cell(row, model.device);
    const measured = model.memory_measured_mib === null ? "" : " (measured " + model.memory_measured_mib + ")";
    const reported = model.memory_reported_mib === null ? "" : " (reported " + model.memory_reported_mib + ")";
    cell(row, model.memory_mib + " / est. " + model.memory_estimate_mib + measured + reported, "num");
    cell(row, model.in_flight + " / " + model.queued, "num inflight");
    cell(row, seconds(model.uptime_seconds), "num uptime");
    cell(row, model.last_used_seconds_ago === null ? "–" : seconds(model.last_used_seconds_ago) + " ago", "num");
    cell(row, seconds(model.last_load_seconds), "num");
    cell(row, model.restarts, "num");
    const actions = cell(row, "");
    const loaded = model.state !== "unloaded" && model.state !== "failed";
    const button = document.createElement("button");
    button.className = loaded ? "unload" : "load";
    button.dataset.model = model.id;
    button.textContent = loaded ? "Unload" : "Load";
    button.disabled = model.state === "unloading";
    button.addEventListener("click", () => act(loaded ? "unload" : "load", model.id, button));
    actions.appendChild(button);
    body.appendChild(row);
  }
}

function renderDevices(devices) {
  const box = document.getElementById("devices");
  box.textContent = "";
  for (const device of devices) {
    const div = document.createElement("div");
    div.dataset.device = device.name;
    const title = document.createElement("div");
    title.textContent = device.name + ": " + device.used_mib + " MiB" + (device.budget_mib === null ? " (no budget)" : " of " + device.budget_mib + " MiB");
    const bar = document.createElement("div");
    bar.className = "bar";
    const fill = document.createElement("div");
    const share = device.budget_mib ? Math.min(100, 100 * device.used_mib / device.budget_mib) : (device.used_mib > 0 ? 100 : 0);
    fill.style.width = share.toFixed(1) + "%";
    bar.appendChild(fill);
    const models = document.createElement("div");
    models.className = "dim";
    models.textContent = device.models.length ? device.models.join(", ") : "no model loaded";
    div.append(title, bar, models);
    box.appendChild(div);
  }
}

function renderAgents(agents) {
  const body = document.querySelector("#agents tbody");
  body.textContent = "";
  if (!agents.length) { const row = document.createElement("tr"); cell(row, "no agents loaded", "dim").colSpan = 3; body.appendChild(row); }
  for (const agent of agents) {
    const row = document.createElement("tr");
    cell(row, agent.command); cell(row, agent.plugin); cell(row, agent.summary, "dim");
    body.appendChild(row);
  }
}

function renderRequests(requests) {
  const body = document.querySelector("#requests tbody");
  body.textContent = "";
  for (const request of requests.slice(0, 50)) {
    const row = document.createElement("tr");
    cell(row, new Date(request.time * 1000).toLocaleTimeString());
    cell(row, request.method + " " + request.path);
    cell(row, request.model);
    cell(row, request.status, "num");
    cell(row, request.ms, "num");
    cell(row, request.bytes, "num");
    body.appendChild(row);
  }
}

async function refresh() {
  state.refreshTimer = null;
  try {
    const response = await api("/admin/status");
    if (!response.ok) throw new Error("GET /admin/status answered " + response.status);
    const status = await response.json();
    document.getElementById("meta").textContent = "v" + status.version + " · up " + seconds(status.uptime_seconds);
    renderModels(status.models);
    renderDevices(status.devices);
    renderAgents(status.agents);
    renderRequests(status.recent_requests);
    document.getElementById("message").textContent = "";
  } catch (error) {
    document.getElementById("message").textContent = error.message;
  }
}

function refreshSoon() {
  if (state.refreshTimer === null) state.refreshTimer = setTimeout(refresh, 250);
}

async function act(action, model, button) {
  button.disabled = true;
  try {
    const response = await api("/models/" + action, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ model: model }),
    });
    const answer = await response.json();
    if (!response.ok) throw new Error((answer.error && answer.error.message) || ("answered " + response.status));
  } catch (error) {
    document.getElementById("message").textContent = action + " " + model + ": " + error.message;
  }
  refreshSoon();
}

function applyEvent(event) {
  if (event.type === "state") {
    const row = document.querySelector('tr[data-model="' + CSS.escape(event.model) + '"] .statecell');
    if (row) stateBadge(row, event.state);
  } else if (event.type === "progress") {
    const row = document.querySelector('tr[data-model="' + CSS.escape(event.model) + '"] .statecell');
    if (row) row.title = "loading for " + event.elapsed_seconds + " s";
    return;
  }
  refreshSoon();
}

function live(on, text) {
  document.getElementById("livedot").classList.toggle("on", on);
  document.getElementById("livetext").textContent = text;
}

async function follow() {
  try {
    const response = await api("/events", { headers: { "Accept": "text/event-stream" } });
    if (!response.ok || !response.body) throw new Error("GET /events answered " + response.status);
    live(true, "live");
    state.streamBackoff = 500;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split("\n").filter((line) => line.startsWith("data:")).map((line) => line.slice(5).trimStart()).join("\n");
        if (data) applyEvent(JSON.parse(data));
      }
    }
  } catch (error) {
    document.getElementById("message").textContent = error.message;
  }
  live(false, "reconnecting");
  setTimeout(follow, state.streamBackoff);
  state.streamBackoff = Math.min(10000, state.streamBackoff * 2);
}

document.getElementById("keyform").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem(keyName, document.getElementById("key").value);
  document.getElementById("keysection").hidden = true;
  document.getElementById("keyform").classList.remove("shown");
  refresh();
});

refresh();
follow();
setInterval(refresh, 10000);
</script>
</body>
</html>
"""#
}
