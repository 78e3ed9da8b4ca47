// The live dashboard: polls the API once a second, keeps 5 minutes of samples in memory, and draws rates. No
// library and no CDN: it runs on an isolated management network. With api.tokens-file, it asks for a token once
// (kept in sessionStorage, or passed as #token=... in the address) and sends it as a bearer token.
"use strict";

const POLL_MS = 1000;
const HISTORY_MS = 5 * 60 * 1000;
const COLOURS = ["#2f6fde", "#e07b00", "#1a7f37", "#c62828", "#7b3fbf", "#00838f", "#8d6e63", "#d81b60"];
const samples = [];   // {t, stats} oldest first
let token = sessionStorage.getItem("isthmus-token") || "";

const hash = new URLSearchParams(location.hash.slice(1));
if (hash.get("token")) {
  token = hash.get("token");
  sessionStorage.setItem("isthmus-token", token);
  window.history.replaceState(null, "", location.pathname);
}

document.getElementById("token-form").addEventListener("submit", e => {
  e.preventDefault();
  token = document.getElementById("token").value.trim();
  sessionStorage.setItem("isthmus-token", token);
  document.getElementById("token-form").hidden = true;
  poll();
});

async function get(path) {
  const headers = token ? {Authorization: "Bearer " + token} : {};
  const response = await fetch(path, {headers, cache: "no-store"});
  if (response.status === 401 || response.status === 403) {
    document.getElementById("token-form").hidden = false;
    throw new Error(path + ": " + response.status);
  }
  return response.json();
}

const fmt = n => n == null || !isFinite(n) ? "–" : n >= 1e9 ? (n / 1e9).toFixed(2) + " G"
    : n >= 1e6 ? (n / 1e6).toFixed(2) + " M" : n >= 1e4 ? (n / 1e3).toFixed(1) + " k"
    : Number.isInteger(n) ? String(n) : n.toFixed(1);

function cell(row, text, numeric) {
  const td = row.insertCell();
  td.textContent = text;
  if (numeric) td.className = "num";
  return td;
}

function fill(id, rows, render) {
  const body = document.querySelector("#" + id + " tbody");
  body.replaceChildren();
  rows.forEach(r => render(body.insertRow(), r));
}

/** Per second between the newest sample and the one before, of what pick() reads from a /stats answer. */
function rate(pick) {
  if (samples.length < 2) return null;
  const a = samples[samples.length - 2], b = samples[samples.length - 1];
  const dt = (b.t - a.t) / 1000;
  const va = pick(a.stats), vb = pick(b.stats);
  return dt > 0 && va != null && vb != null ? Math.max(0, (vb - va) / dt) : null;
}

/** Series per key (e.g. each RCODE) of per-second rates over the samples, for a chart. */
function seriesOf(pickMap) {
  const keys = new Set();
  samples.forEach(h => Object.keys(pickMap(h.stats) || {}).forEach(k => keys.add(k)));
  const series = {};
  keys.forEach(k => {
    series[k] = [];
    for (let i = 1; i < samples.length; i++) {
      const a = samples[i - 1], b = samples[i], dt = (b.t - a.t) / 1000;
      const va = (pickMap(a.stats) || {})[k] || 0, vb = (pickMap(b.stats) || {})[k] || 0;
      series[k].push({t: b.t, v: dt > 0 ? Math.max(0, (vb - va) / dt) : 0});
    }
  });
  return series;
}

function chart(id, series) {
  const canvas = document.getElementById(id), g = canvas.getContext("2d");
  const w = canvas.width, h = canvas.height, left = 48, bottom = 16;
  g.clearRect(0, 0, w, h);
  const now = Date.now(), keys = Object.keys(series).sort();
  const max = Math.max(1, ...keys.flatMap(k => series[k].map(p => p.v)));
  g.strokeStyle = "#d9dde3"; g.fillStyle = "#6b7280"; g.font = "11px sans-serif";
  for (let i = 0; i <= 4; i++) {
    const y = (h - bottom) * (1 - i / 4);
    g.beginPath(); g.moveTo(left, y); g.lineTo(w, y); g.stroke();
    g.fillText(fmt(max * i / 4), 2, Math.max(10, y - 2));
  }
  g.fillText("-5 min", left, h - 3); g.fillText("now", w - 24, h - 3);
  const legend = document.getElementById(id.replace("chart", "legend"));
  legend.replaceChildren();
  keys.forEach((k, i) => {
    const colour = COLOURS[i % COLOURS.length];
    g.strokeStyle = colour; g.lineWidth = 1.5; g.beginPath();
    series[k].forEach((p, j) => {
      const x = left + (w - left) * (1 - (now - p.t) / HISTORY_MS), y = (h - bottom) * (1 - p.v / max);
      j ? g.lineTo(x, y) : g.moveTo(x, y);
    });
    g.stroke();
    const item = document.createElement("span");
    item.innerHTML = '<i style="background:' + colour + '"></i>';
    item.append(k + " " + fmt(series[k].length ? series[k][series[k].length - 1].v : 0) + "/s");
    item.dataset.key = k;
    legend.append(item);
  });
}

function render(stats, health, zones, domains) {
  const badge = document.getElementById("health");
  badge.textContent = health.status + (health.problems.length ? ": " + health.problems.join("; ") : "");
  badge.className = "badge " + (health.status === "UP" ? "up" : "down");
  document.getElementById("updated").textContent = "updated " + new Date().toLocaleTimeString();

  fill("ports", stats.ports, (row, p) => {
    const pick = f => s => (s.ports.find(q => q.name === p.name) || {})[f];
    cell(row, p.name); cell(row, p.device); cell(row, p.linkUp ? "up " + p.speedMbps + " Mb/s" : "down");
    cell(row, fmt(rate(pick("rxPackets"))), true).dataset.metric = "port-rx-rate";
    cell(row, fmt(rate(pick("txPackets"))), true).dataset.metric = "port-tx-rate";
    cell(row, fmt(8 * rate(pick("rxBytes"))), true);
    cell(row, fmt(8 * rate(pick("txBytes"))), true);
    cell(row, p.rxPackets, true).dataset.metric = "port-rx-packets";
    cell(row, p.txPackets, true).dataset.metric = "port-tx-packets";
    cell(row, p.rxMissed, true); cell(row, p.rxNoMbuf, true);
  });

  const totals = stats.dns.totals || {};
  document.getElementById("dns-answered").textContent = totals.answered ?? 0;
  document.getElementById("dns-rate").textContent = fmt(rate(s => (s.dns.totals || {}).answered));
  document.getElementById("dns-cached").textContent = totals.answered_from_cache ?? 0;
  document.getElementById("dns-truncated").textContent = totals.truncated ?? 0;
  chart("chart-rcode", seriesOf(s => s.dns.rcodes));
  chart("chart-qtype", seriesOf(s => s.dns.qtypes));

  fill("lcores", Object.entries(stats.lcores), (row, [name, c]) => {
    const loops = rate(s => (s.lcores[name] || {}).loops), idle = rate(s => (s.lcores[name] || {}).idle_loops);
    // The lcore's two counters are read one after the other while it runs, so over one interval idle loops can
    // advance a little more than loops: clamp, or an idle lcore shows "-0.000 %".
    const busy = loops ? Math.min(1, Math.max(0, 1 - idle / loops)) : null;
    cell(row, name);
    cell(row, busy == null ? "–" : (100 * busy).toFixed(busy < 0.01 ? 3 : 1) + " %", true).dataset.metric = "lcore-busy";
    const bar = row.insertCell(), fillBar = document.createElement("div");
    bar.className = "bar"; fillBar.style.width = (100 * (busy || 0)) + "%"; bar.append(fillBar);
    cell(row, fmt(rate(s => (s.lcores[name] || {}).rx_packets)), true);
    cell(row, c.dropped, true);
  });

  fill("drops", Object.entries(stats.drops).sort((a, b) => b[1] - a[1]), (row, [reason, n]) => {
    cell(row, reason); cell(row, n, true).dataset.metric = "drops";
    cell(row, fmt(rate(s => s.drops[reason])), true);
  });

  fill("zones", zones, (row, z) => {
    cell(row, z.name); cell(row, z.serial, true).dataset.metric = "zone-serial"; cell(row, z.records, true);
    cell(row, z.source);
  });

  fill("domains", domains, (row, d) => {
    const c = stats.vswitch[String(d.vni)] || {};
    cell(row, d.vni, true); cell(row, d.name);
    cell(row, d.ports.map(p => p.vlan ? p.port + "." + p.vlan : p.port).join(" ") || "–");
    cell(row, d.vteps.concat(d.learnedVteps.map(v => v + " (learned)")).join(" ") || "–");
    cell(row, c.macs_learned_now ?? 0, true).dataset.metric = "fdb-learned";
    cell(row, c.macs_static ?? 0, true).dataset.metric = "fdb-static";
    cell(row, fmt(rate(s => {
      const v = s.vswitch[String(d.vni)] || {};
      return (v.rx_local || 0) + (v.rx_remote || 0);
    })), true);
  });
}

async function poll() {
  try {
    const [stats, health, zones, domains] = await Promise.all([get("/stats"),
      fetch("/health", {cache: "no-store"}).then(r => r.json()), get("/dns/zones"), get("/vswitch/bridge-domains")]);
    const now = Date.now();
    samples.push({t: now, stats});
    while (samples.length && now - samples[0].t > HISTORY_MS) samples.shift();
    render(stats, health, zones, domains);
    document.body.dataset.polls = String(Number(document.body.dataset.polls || 0) + 1);
  } catch (e) {
    document.getElementById("updated").textContent = "not updated: " + e.message;
  }
}

poll();
setInterval(poll, POLL_MS);
