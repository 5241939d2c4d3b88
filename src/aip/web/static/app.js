// aip dashboard: vanilla JS, talks only to this server's /api (no CDN, no remote fonts).
// Values from the server are inserted with textContent, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
// Map frame: contiguous US and Montreal, equirectangular [deg].
const MAP = { lonMin: -126, lonMax: -64, latMin: 24, latMax: 50.5, w: 600, h: 330 };
const state = { station: null, uploadId: null, jobId: null, poll: null };

function headers(extra) {
  const h = Object.assign({}, extra || {});
  const token = sessionStorage.getItem("aip-token");
  if (token) h["Authorization"] = "Bearer " + token;
  return h;
}

async function api(path, options) {
  const opts = Object.assign({}, options || {});
  opts.headers = headers(opts.headers);
  const response = await fetch(path, opts);
  if (!response.ok) {
    let message = response.status + " " + response.statusText;
    try {
      const body = await response.json();
      if (body && body.error) message = body.error;
    } catch (e) { /* not JSON: keep the status line */ }
    throw new Error(message);
  }
  return response;
}

const getJSON = async (path) => (await api(path)).json();

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = !message;
}

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function svgEl(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function project(lat, lon) {
  const x = (lon - MAP.lonMin) / (MAP.lonMax - MAP.lonMin) * MAP.w;
  const y = (MAP.latMax - lat) / (MAP.latMax - MAP.latMin) * MAP.h;
  return [x, y];
}

function drawMap(sites) {
  const svg = $("map");
  svg.replaceChildren();
  for (let lon = -125; lon <= -65; lon += 10) {
    const [x] = project(MAP.latMin, lon);
    svg.appendChild(svgEl("line", { x1: x, y1: 0, x2: x, y2: MAP.h, class: "grat" }));
    svg.appendChild(svgEl("text", { x: x + 2, y: MAP.h - 3, class: "grat-label" }, `${-lon}°W`));
  }
  for (let lat = 25; lat <= 50; lat += 5) {
    const [, y] = project(lat, MAP.lonMin);
    svg.appendChild(svgEl("line", { x1: 0, y1: y, x2: MAP.w, y2: y, class: "grat" }));
    svg.appendChild(svgEl("text", { x: 2, y: y - 2, class: "grat-label" }, `${lat}°N`));
  }
  for (const site of sites) {
    const [x, y] = project(site.latitude, site.longitude);
    const dot = svgEl("circle", { cx: x, cy: y, r: 6, class: "site", "data-key": site.key, tabindex: 0 });
    dot.appendChild(svgEl("title", {}, site.label));
    dot.addEventListener("click", () => selectStation(site.key));
    dot.addEventListener("keydown", (e) => { if (e.key === "Enter") selectStation(site.key); });
    svg.appendChild(dot);
    svg.appendChild(svgEl("text", { x: x + 8, y: y + 3, class: "site-label" }, site.key));
  }
}

function selectStation(key) {
  state.station = key;
  $("station").value = key;
  for (const dot of document.querySelectorAll("#map .site")) {
    dot.classList.toggle("selected", dot.getAttribute("data-key") === key);
  }
}

function fillSelect(select, items, value, label) {
  select.replaceChildren(...items.map((it) => el("option", { value: it.key }, label(it))));
  if (value && items.some((it) => it.key === value)) select.value = value;
}

async function loadCatalogues() {
  const [sites, accelerators, cooling, technologies] = await Promise.all([
    getJSON("/api/sites"), getJSON("/api/accelerators"), getJSON("/api/cooling"),
    getJSON("/api/technologies"),
  ]);
  drawMap(sites.items);
  fillSelect($("station"), sites.items, "ashburn", (s) => s.label);
  selectStation($("station").value);
  fillSelect($("accelerator"), accelerators.items, "h100", (a) => `${a.label} (${a.key})`);
  fillSelect($("cooling"), cooling.items, "air_economizer", (c) => c.key);
  const box = $("technologies");
  box.replaceChildren();
  for (const t of technologies.items) {
    const input = el("input", { type: "checkbox", value: t.key, name: "technology" });
    const label = el("label", { title: t.source || "" });
    label.append(input, " " + (t.label || t.key));
    box.appendChild(label);
  }
}

function numberOrNull(id) {
  const raw = $(id).value.trim();
  return raw === "" ? null : Number(raw);
}

function buildScenario() {
  const mode = document.querySelector("input[name=site-mode]:checked").value;
  const site = {};
  if (mode === "upload") {
    if (!state.uploadId) throw new Error("site.weather_file: upload an EPW file first");
    site.weather_file = state.uploadId;
    if ($("us-state").value.trim()) site.us_state = $("us-state").value.trim();
    if ($("avert-region").value.trim()) site.avert_region = $("avert-region").value.trim();
  } else {
    site.station = $("station").value;
  }
  const gridMw = numberOrNull("grid-mw") || 0;
  const technologies = {};
  for (const box of document.querySelectorAll("#technologies input:checked")) technologies[box.value] = {};
  const constraints = { n_minus: numberOrNull("n-minus") ?? 1 };
  const caps = { co2_cap_t_per_year: "co2-cap", nox_cap_t_per_year: "nox-cap", min_cfe_share: "cfe" };
  for (const [field, id] of Object.entries(caps)) {
    const v = numberOrNull(id);
    if (v !== null) constraints[field] = v;
  }
  const typicalDays = numberOrNull("typical-days");
  return {
    name: $("name").value.trim() || "web-plan",
    site,
    compute: { accelerator: $("accelerator").value, count: numberOrNull("count") ?? 0,
      profile: $("profile").value },
    facility: { cooling: $("cooling").value },
    grid: { enabled: gridMw > 0, import_limit_mw: gridMw },
    technologies,
    constraints,
    ...(typicalDays === null ? {} : {
      solver: { typical_days: typicalDays, check_full_year: $("check-full-year").checked,
        calibrate_targets: $("calibrate-targets").checked },
    }),
  };
}

function fmt(value, digits, scale) {
  if (typeof value !== "number" || !isFinite(value)) return "–";
  return (value / (scale || 1)).toLocaleString("en-US",
    { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function showNumbers(s) {
  const load = s.load || {}, cost = s.cost_usd_per_year || {}, em = s.emissions_t_per_year || {};
  const rows = [
    ["GPUs [-]", fmt(s.gpus, 0)], ["Facility peak [MW]", fmt(load.facility_mw_peak, 1)],
    ["Mean PUE [-]", fmt(load.pue_mean, 3)],
    ["Annual cost [million USD/yr]", fmt(cost.total, 1, 1e6)],
    ["LCOE [USD/MWh]", fmt(s.lcoe_usd_per_mwh, 1)],
    ["Power cost [USD/GPU-hour]", fmt(s.power_cost_usd_per_gpu_hour, 3)],
    ["CO2 [kt/yr]", fmt(em.co2, 0, 1e3)], ["NOx [t/yr]", fmt(em.nox, 1)],
    ["24/7 CFE share [-]", fmt(s.cfe_share, 3)], ["Unserved [MWh/yr]", fmt(s.unserved_mwh, 0)],
    ["Resolution", s.time_aggregation ? `${s.time_aggregation.typical_days} typical days` : "8760 h"],
  ];
  const calibration = (s.time_aggregation || {}).calibration;
  if (calibration && Object.keys(calibration.targets).length) {
    const at = Object.entries(calibration.screened_at).map(([k, v]) => `${k} ${fmt(v, 4)}`);
    rows.push(["Targets screened at (calibrated)", at.join(", ")]);
  }
  const check = (s.time_aggregation || {}).full_year_check;
  if (check && check.error) {
    rows.push(["Full-year check", `failed: ${check.error}`]);
  } else if (check) {
    const missed = Object.keys(check.targets_missed || {});
    rows.push(["Screened plan over 8760 h [million USD/yr]", fmt(check.cost_usd_per_year, 1, 1e6)],
      ["Targets over 8760 h", missed.length ? `missed: ${missed.join(", ")}` : "met"]);
  }
  $("numbers").replaceChildren(...rows.map(([k, v]) => {
    const box = el("div", { class: "number" });
    box.append(el("div", { class: "v" }, v), el("div", { class: "k" }, k));
    return box;
  }));
}

async function showCharts(jobId) {
  const doc = await getJSON(`/api/plans/${jobId}/figures`);
  const charts = $("charts");
  charts.replaceChildren();
  if (doc.error) charts.appendChild(el("p", { class: "hint" }, doc.error));
  for (const f of doc.figures) {
    const section = el("div", { class: "chart", id: `chart-${f.name}` });
    const plot = el("div", { class: "plot" });
    section.append(el("h3", {}, f.title), plot);
    charts.appendChild(section);
    await Plotly.newPlot(plot, f.figure.data, f.figure.layout, { displaylogo: false, responsive: true });
  }
}

async function showResult(jobId) {
  state.jobId = jobId;
  const summary = await getJSON(`/api/plans/${jobId}/result`);
  showNumbers(summary);
  $("downloads").hidden = false;
  await showCharts(jobId);
  $("status").textContent = `Plan ${summary.scenario}: ${summary.status}.`;
}

async function poll(jobId) {
  const job = await getJSON(`/api/plans/${jobId}`);
  $("status").textContent = `Job ${job.name} (${job.id.slice(0, 8)}): ${job.status}…`;
  if (job.status === "queued" || job.status === "running") {
    state.poll = setTimeout(() => poll(jobId).catch((e) => showError(e.message)), 700);
    return;
  }
  $("run").disabled = false;
  loadJobs().catch(() => {});
  if (job.status === "succeeded") await showResult(jobId);
  else showError(`${job.status}: ${job.error || "no reason given"}`);
}

async function submit(event) {
  event.preventDefault();
  showError("");
  clearTimeout(state.poll);
  let scenario;
  try { scenario = buildScenario(); } catch (e) { showError(e.message); return; }
  $("run").disabled = true;
  $("numbers").replaceChildren();
  $("charts").replaceChildren();
  $("downloads").hidden = true;
  try {
    const job = await (await api("/api/plans", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(scenario),
    })).json();
    await poll(job.id);
  } catch (e) {
    $("run").disabled = false;
    $("status").textContent = "Not run.";
    showError(e.message);
  }
}

async function upload() {
  const file = $("epw").files[0];
  state.uploadId = null;
  $("upload-info").textContent = "";
  if (!file) return;
  const form = new FormData();
  form.append("file", file);
  try {
    const info = await (await api("/api/weather", { method: "POST", body: form })).json();
    state.uploadId = info.id;
    $("upload-info").textContent =
      `${info.name}: ${fmt(info.latitude, 2)}°N, ${fmt(info.longitude, 2)}°E, ${info.hours} hours`;
    showError("");
  } catch (e) { showError(e.message); }
}

async function download(button) {
  if (!state.jobId) return;
  try {
    const blob = await (await api(`/api/plans/${state.jobId}/${button.dataset.file}`)).blob();
    const link = el("a", { href: URL.createObjectURL(blob), download: button.dataset.name });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  } catch (e) { showError(e.message); }
}

async function loadJobs() {
  const { jobs } = await getJSON("/api/plans?limit=20");
  const rows = jobs.map((job) => {
    const tr = el("tr");
    tr.append(el("td", {}, job.name), el("td", {}, job.status), el("td", {}, job.created_at.slice(0, 19)));
    const td = el("td");
    if (job.status === "succeeded") {
      const b = el("button", { type: "button" }, "show");
      b.addEventListener("click", () => { showError(""); showResult(job.id).catch((e) => showError(e.message)); });
      td.appendChild(b);
    }
    tr.appendChild(td);
    return tr;
  });
  document.querySelector("#jobs tbody").replaceChildren(...rows);
}

async function start() {
  $("plan-form").addEventListener("submit", submit);
  $("station").addEventListener("change", () => selectStation($("station").value));
  $("epw").addEventListener("change", upload);
  for (const radio of document.querySelectorAll("input[name=site-mode]")) {
    radio.addEventListener("change", () => {
      const upload = radio.value === "upload" && radio.checked;
      $("upload-pane").hidden = !upload;
      $("station-pane").hidden = upload;
    });
  }
  for (const b of document.querySelectorAll("#downloads button")) b.addEventListener("click", () => download(b));
  $("token").value = sessionStorage.getItem("aip-token") || "";
  $("token").addEventListener("change", () => {
    sessionStorage.setItem("aip-token", $("token").value);
    showError("");
    load().catch((e) => showError(e.message));
  });
  await load();
}

async function load() {
  const health = await (await fetch("/api/health")).json();
  $("auth").hidden = !health.auth;
  if (health.auth && !sessionStorage.getItem("aip-token")) {
    showError("This server needs an API token: enter it at the top right.");
    return;
  }
  await loadCatalogues();
  await loadJobs();
}

start().catch((e) => showError(e.message));
