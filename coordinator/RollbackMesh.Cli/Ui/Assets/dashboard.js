// The RollbackMesh dashboard: five pages over the JSON endpoints of `rollbackmesh ui` (each one Operator rpc).
// Everything is built with textContent, never innerHTML: node names, errors and dry runs come from the fleet.
"use strict";

const PAGE_SIZE = 100;
const FLEET_REFRESH_MS = 5000;
// The header the server requires on changes (LoopbackGuard.ActionHeader): a cross-site form cannot send it.
const ACTION_HEADER = "X-RollbackMesh-Dashboard";

let leavePage = () => {};

// ---- small DOM helpers ----

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function announce(text) {
  document.getElementById("announce").textContent = text;
}

async function api(path, options) {
  const response = await fetch(path, options);
  const body = await response.json().catch(() => ({ error: response.statusText }));
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function post(path, body) {
  return api(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", [ACTION_HEADER]: "1" },
    body: JSON.stringify(body),
  });
}

// ---- states: a word, a class that colours it, and an order (failing first) ----

const STEP_STATES = {
  STEP_STATE_FAILED: ["failed", "bad", 0],
  STEP_STATE_TIMED_OUT: ["timed out", "bad", 0],
  STEP_STATE_REFUSED: ["refused", "bad", 0],
  STEP_STATE_CANCELLED: ["cancelled", "warn", 1],
  STEP_STATE_RUNNING: ["running", "busy", 2],
  STEP_STATE_DISPATCHED: ["dispatched", "busy", 2],
  STEP_STATE_PENDING: ["pending", "muted", 3],
  STEP_STATE_SKIPPED: ["skipped (already done)", "ok", 4],
  STEP_STATE_SUCCEEDED: ["succeeded", "ok", 4],
};

const RUN_STATES = {
  RUN_STATE_PENDING: ["pending", "muted"],
  RUN_STATE_RUNNING: ["running", "busy"],
  RUN_STATE_PAUSED: ["paused", "warn"],
  RUN_STATE_AWAITING_APPROVAL: ["awaiting approval", "warn"],
  RUN_STATE_SUCCEEDED: ["succeeded", "ok"],
  RUN_STATE_SUCCEEDED_WITH_FAILURES: ["finished with failed nodes", "warn"],
  RUN_STATE_FAILED: ["failed", "bad"],
  RUN_STATE_ABORTED: ["aborted", "bad"],
};

function stateWord(table, state) {
  return table[state] || [String(state || "unknown").toLowerCase().replace(/^[a-z]+_state_/, "").replace(/_/g, " "), "muted", 3];
}

function badge(word, tone) {
  return el("span", { class: "state state-" + tone }, word);
}

// ---- a paginated table: only one page of rows is in the DOM, so 10,000 nodes stay responsive ----

function pagedTable(caption, headers, rows, renderRow, state) {
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  state.page = Math.min(state.page || 0, pages - 1);
  const first = state.page * PAGE_SIZE;
  const shown = rows.slice(first, first + PAGE_SIZE);
  const table = el("table", {},
    el("caption", { class: "visually-hidden" }, caption),
    el("thead", {}, el("tr", {}, headers.map(h => el("th", { scope: "col" }, h)))),
    el("tbody", {}, shown.map(renderRow)));
  const summary = rows.length === 0 ? "No rows." : `Rows ${first + 1}–${first + shown.length} of ${rows.length}`;
  const pager = el("div", { class: "pager", role: "group", "aria-label": caption + " pages" },
    el("button", { type: "button", "data-focus-key": caption + "-previous", disabled: state.page === 0, onclick: () => { state.page--; state.redraw(); } }, "Previous page"),
    el("span", { "data-testid": "pager-summary" }, `${summary} (page ${state.page + 1} of ${pages})`),
    el("button", { type: "button", "data-focus-key": caption + "-next", disabled: state.page >= pages - 1, onclick: () => { state.page++; state.redraw(); } }, "Next page"));
  return el("div", {}, table, pager);
}

// A redraw replaces the page's rows and buttons (after a pager click, a refresh, a live update); the control that had
// the keyboard focus gets it back, so a keyboard or screen-reader user is not thrown to the top of the page.
function keepingFocus(redraw) {
  return () => {
    const key = document.activeElement && document.activeElement.getAttribute("data-focus-key");
    redraw();
    if (key) {
      const again = document.querySelector(`[data-focus-key="${CSS.escape(key)}"]`);
      if (again && !again.disabled) again.focus();
    }
  };
}

function age(timestamp) {
  if (!timestamp) return "never";
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(timestamp)) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  return `${Math.floor(seconds / 3600)}h ago`;
}

// ---- fleet ----

function nodeConnection(node) {
  if (node.removed) return ["removed", "bad"];
  if (!node.connected) return ["disconnected", "bad"];
  if (node.stale) return ["stale", "warn"];
  return ["connected", "ok"];
}

function nodeHealth(node) {
  if (!node.health) return ["no report", "muted"];
  if (node.health.healthy) return ["healthy", "ok"];
  return ["unhealthy: " + (node.health.problems || []).join("; "), "bad"];
}

function versions(node) {
  const map = (node.health && node.health.versions) || {};
  return Object.keys(map).sort().map(k => `${k}=${map[k]}`).join(", ");
}

// Clusters first (the ones with a disconnected, stale or unhealthy node on top), then the nodes of the chosen cluster.
function clusterCounts(nodes) {
  const clusters = new Map();
  for (const node of nodes) {
    const name = node.cluster || "";
    const c = clusters.get(name) || { name, nodes: 0, connected: 0, stale: 0, unhealthy: 0 };
    c.nodes++;
    const connection = nodeConnection(node)[0];
    if (connection === "connected") c.connected++;
    if (connection === "stale") c.stale++;
    if (node.health && !node.health.healthy) c.unhealthy++;
    clusters.set(name, c);
  }
  const troubled = c => c.nodes - c.connected + c.unhealthy;
  return [...clusters.values()].sort((x, y) => troubled(y) - troubled(x) || x.name.localeCompare(y.name));
}

function fleetPage(main) {
  const state = { page: 0, nodes: null, error: null, filter: "", cluster: null };
  const clusterPager = { page: 0 };
  const filter = el("input", { id: "fleet-filter", type: "search", placeholder: "name, role, state, version…" });
  const clusters = el("section", { id: "fleet-clusters", "aria-labelledby": "clusters-heading" });
  const body = el("section", { id: "fleet-table", "aria-labelledby": "nodes-heading" });
  const updated = el("p", { class: "muted" });
  filter.addEventListener("input", () => { state.filter = filter.value.trim().toLowerCase(); state.page = 0; state.redraw(); });
  main.append(
    el("h1", {}, "Fleet"),
    el("form", { class: "bar", role: "search", onsubmit: e => e.preventDefault() }, el("label", { for: "fleet-filter" }, "Filter nodes", filter)),
    updated, clusters, body);

  const chooseCluster = name => {
    state.cluster = name;
    state.page = 0;
    state.redraw();
    document.getElementById("nodes-heading").focus();
    announce(name === null ? "Showing the nodes of every cluster." : `Showing the nodes of cluster ${name || "(none)"}.`);
  };

  state.redraw = keepingFocus(() => {
    clusters.replaceChildren();
    body.replaceChildren();
    if (state.error) body.append(el("p", { class: "error", role: "alert" }, "Could not list the nodes: " + state.error));
    if (!state.nodes) return;
    const matching = state.nodes.filter(n => !state.filter || searchText(n).includes(state.filter));
    const counts = clusterCounts(matching);
    clusters.append(el("h2", { id: "clusters-heading" }, `Clusters (${counts.length})`));
    clusters.append(pagedTable("Clusters", ["Cluster", "Nodes", "Connected", "Stale", "Disconnected or removed", "Unhealthy", ""], counts, c => {
      const down = c.nodes - c.connected - c.stale;
      return el("tr", { "data-cluster": c.name },
        el("th", { scope: "row" }, c.name || "(none)"),
        el("td", {}, c.nodes),
        el("td", {}, c.connected),
        el("td", {}, c.stale ? badge(`${c.stale} stale`, "warn") : "0"),
        el("td", {}, down ? badge(`${down} down`, "bad") : "0"),
        el("td", {}, c.unhealthy ? badge(`${c.unhealthy} unhealthy`, "bad") : "0"),
        el("td", {}, el("button", { type: "button", "data-focus-key": "cluster-" + c.name, "aria-pressed": state.cluster === c.name ? "true" : "false",
          onclick: () => chooseCluster(c.name) }, `Show nodes of ${c.name || "(none)"}`)));
    }, Object.assign(clusterPager, { redraw: state.redraw })));

    const rows = matching.filter(n => state.cluster === null || (n.cluster || "") === state.cluster);
    const connected = state.nodes.filter(n => n.connected && !n.stale).length;
    body.append(el("h2", { id: "nodes-heading", tabindex: "-1" },
      state.cluster === null ? "Nodes of every cluster" : `Nodes of cluster ${state.cluster || "(none)"}`));
    if (state.cluster !== null) body.append(el("button", { type: "button", onclick: () => chooseCluster(null) }, "Show every cluster's nodes"));
    body.append(el("p", {}, `${state.nodes.length} nodes, ${connected} connected and fresh; ${rows.length} shown.`));
    body.append(pagedTable("Nodes", ["Name", "Cluster", "Roles", "Connection", "Health", "Agent", "Versions", "Last seen"], rows, node => {
      const [connection, connectionTone] = nodeConnection(node);
      const [health, healthTone] = nodeHealth(node);
      return el("tr", { "data-node": node.name },
        el("th", { scope: "row" }, node.name),
        el("td", {}, node.cluster || ""),
        el("td", {}, (node.roles || []).join(", ")),
        el("td", {}, badge(connection, connectionTone)),
        el("td", {}, badge(health, healthTone)),
        el("td", {}, node.agentVersion || ""),
        el("td", {}, versions(node)),
        el("td", {}, age(node.lastSeen)));
    }, state));
  });

  async function load() {
    try {
      state.nodes = (await api("/api/nodes")).nodes || [];
      state.error = null;
      updated.textContent = "Updated " + new Date().toLocaleTimeString() + "; refreshes every 5 seconds.";
    } catch (e) {
      state.error = e.message;
    }
    state.redraw();
  }

  load();
  const timer = setInterval(load, FLEET_REFRESH_MS);
  return () => clearInterval(timer);
}

function searchText(node) {
  const labels = Object.entries(node.labels || {}).map(([k, v]) => `${k}=${v}`).join(" ");
  return [node.name, node.cluster, (node.roles || []).join(" "), nodeConnection(node)[0], nodeHealth(node)[0], node.agentVersion, versions(node), labels]
    .join(" ").toLowerCase();
}

// ---- a run, live ----

function runPage(main, runId) {
  const input = el("input", { id: "run-id", name: "run", value: runId || "", required: true, size: 40 });
  main.append(
    el("h1", {}, runId ? "Run " + runId : "Run"),
    el("form", { class: "bar", onsubmit: e => { e.preventDefault(); location.hash = "#/run/" + encodeURIComponent(input.value.trim()); } },
      el("label", { for: "run-id" }, "Run id", input), el("button", { type: "submit" }, "Open")));
  if (!runId) {
    main.append(el("p", {}, "Open a run by its id (printed by apply), or pick one of the runs and campaigns below."));
    return runsList(main);
  }

  const status = el("div", { id: "run-status" });
  const live = el("p", { class: "muted", id: "run-live" }, "Connecting to the run's live stream…");
  const matrix = el("div", { id: "run-matrix" });
  main.append(status, live, matrix);
  const state = { page: 0, run: null };
  let lastState = null;

  state.redraw = keepingFocus(() => {
    const run = state.run;
    if (!run) return;
    const [word, tone] = stateWord(RUN_STATES, run.state);
    if (lastState !== null && lastState !== run.state) announce(`Run ${run.runId} is ${word}.`);
    lastState = run.state;
    status.replaceChildren(
      el("dl", {},
        el("dt", {}, "State"), el("dd", { "data-testid": "run-state" }, badge(word, tone)),
        el("dt", {}, "Runbook"), el("dd", {}, run.runbook),
        el("dt", {}, "Current phase"), el("dd", {}, run.currentPhase || "—"),
        run.message ? [el("dt", {}, "Message"), el("dd", {}, run.message)] : null),
      runControls(run),
      ...(run.awaitingApproval ? [approveGate(run)] : []));
    matrix.replaceChildren(stepMatrix(run, state));
  });

  const events = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events`);
  events.addEventListener("run", e => {
    state.run = JSON.parse(e.data).status;
    live.textContent = "Live: updates as the coordinator reports them.";
    state.redraw();
  });
  events.addEventListener("end", () => { events.close(); live.textContent = "The run has ended; this is its final state."; });
  events.addEventListener("failed", e => {
    events.close();
    live.replaceChildren(el("span", { class: "error", role: "alert" }, "Could not follow the run: " + JSON.parse(e.data).error));
  });
  events.onerror = () => { if (events.readyState !== EventSource.CLOSED) live.textContent = "Connection lost; reconnecting…"; };
  return () => events.close();
}

// Rows are nodes, columns phases; nodes with a failed step come first, then those busy, then by name.
function stepMatrix(run, state) {
  const phases = [];
  const nodes = new Map();
  for (const step of run.steps || []) {
    if (!phases.includes(step.phase)) phases.push(step.phase);
    if (!nodes.has(step.node)) nodes.set(step.node, []);
    nodes.get(step.node).push(step);
  }
  const rank = steps => Math.min(...steps.map(s => stateWord(STEP_STATES, s.state)[2]));
  const rows = [...nodes.entries()].sort((a, b) => rank(a[1]) - rank(b[1]) || a[0].localeCompare(b[0]));
  return el("div", {},
    el("h2", {}, "Steps by node and phase"),
    pagedTable("Steps by node and phase", ["Node", ...phases], rows, ([node, steps]) =>
      el("tr", { "data-node": node },
        el("th", { scope: "row" }, node),
        phases.map(phase => el("td", {}, steps.filter(s => s.phase === phase).map(s => {
          const [word, tone] = stateWord(STEP_STATES, s.state);
          return el("span", { class: "step", "data-step": s.stepId, "data-state": word, title: s.error || s.summary || "" },
            s.name + ": ", badge(word, tone), s.error ? " — " + s.error : "");
        })))), state));
}

// Pause, resume and abort, each offered only in the states the coordinator accepts it in, each asking for a reason and
// a confirmation first. The result line lives outside the redraw so a live update does not wipe it.
const CONTROLS = [
  { action: "pause", label: "Pause", states: ["RUN_STATE_RUNNING", "RUN_STATE_AWAITING_APPROVAL", "RUN_STATE_PENDING"],
    ask: "Pause run {id}? Steps already sent finish; no new step starts until it is resumed." },
  { action: "resume", label: "Resume", states: ["RUN_STATE_PAUSED"], ask: "Resume run {id}?" },
  { action: "abort", label: "Abort", states: ["RUN_STATE_RUNNING", "RUN_STATE_PAUSED", "RUN_STATE_AWAITING_APPROVAL", "RUN_STATE_PENDING"],
    ask: "Abort run {id}? No new step starts, the steps in flight are cancelled, and the run ends aborted; this cannot be undone." },
];
const controlResult = el("p", { id: "control-result", "aria-live": "polite" });

function runControls(run) {
  const offered = CONTROLS.filter(c => c.states.includes(run.state));
  if (offered.length === 0) return el("div", {});
  return el("section", { "aria-labelledby": "controls-heading" },
    el("h2", { id: "controls-heading" }, "Control the run"),
    el("div", { class: "bar", role: "group", "aria-label": "Run controls" }, offered.map(c =>
      el("button", { type: "button", "data-focus-key": "control-" + c.action, onclick: async event => {
        const reason = window.prompt(`Reason to ${c.action} run ${run.runId} (kept in the audit):`, "");
        if (reason === null) return;
        if (!window.confirm(c.ask.replace("{id}", run.runId))) return;
        event.target.disabled = true;
        try {
          await post(`/api/runs/${encodeURIComponent(run.runId)}/${c.action}`, { reason });
          controlResult.textContent = `${c.label}: done.`;
        } catch (e) {
          controlResult.replaceChildren(el("span", { class: "error", role: "alert" }, `${c.label} refused: ` + e.message));
          event.target.disabled = false;
        }
      } }, c.label + "…"))),
    controlResult);
}

function approveGate(run) {
  const result = el("p", { "aria-live": "polite" });
  const button = el("button", { type: "button", id: "approve-gate", onclick: async () => {
    if (!window.confirm(`Approve gate ${run.awaitingApproval} of run ${run.runId}? This lets the run continue and is recorded in the audit under your name.`)) return;
    button.disabled = true;
    try {
      await post(`/api/runs/${encodeURIComponent(run.runId)}/approve`, { gate: run.awaitingApproval });
      result.textContent = "Approved.";
    } catch (e) {
      result.replaceChildren(el("span", { class: "error", role: "alert" }, "Approval refused: " + e.message));
      button.disabled = false;
    }
  } }, `Approve gate ${run.awaitingApproval}…`);
  return el("section", { "aria-labelledby": "gate-heading" }, el("h2", { id: "gate-heading" }, "Waiting for approval"), button, result);
}

// ---- the list of runs and campaigns (newest first), and a campaign's live page ----

function runsList(main) {
  const body = el("div", { id: "runs-list" }, el("p", { class: "muted" }, "Loading the runs…"));
  const state = { page: 0, runs: [] };
  main.append(el("h2", {}, "Runs and campaigns"), body);
  state.redraw = keepingFocus(() => {
    body.replaceChildren(pagedTable("Runs and campaigns, newest first", ["Id", "Kind", "Runbook", "Cluster", "State", "Started", "Finished", "Campaign"],
      state.runs, r => {
        const [word, tone] = stateWord(RUN_STATES, r.state);
        const page = r.kind === "campaign" ? "#/campaign/" : "#/run/";
        return el("tr", { "data-run": r.id, "data-kind": r.kind },
          el("th", { scope: "row" }, el("a", { href: page + encodeURIComponent(r.id) }, r.id)),
          el("td", {}, r.kind),
          el("td", {}, r.runbook),
          el("td", {}, r.cluster || "—"),
          el("td", {}, badge(word, tone)),
          el("td", {}, r.startedAt ? new Date(r.startedAt).toLocaleString() : "—"),
          el("td", {}, r.finishedAt ? new Date(r.finishedAt).toLocaleString() : "—"),
          el("td", {}, r.campaignId ? el("a", { href: "#/campaign/" + encodeURIComponent(r.campaignId) }, r.campaignId) : "—"));
      }, state));
  });
  api("/api/runs").then(reply => { state.runs = reply.runs || []; state.redraw(); })
    .catch(e => body.replaceChildren(el("p", { class: "error", role: "alert" }, "Could not list the runs: " + e.message)));
  return () => {};
}

// Clusters that need attention first (failed, then running or waiting for approval), then pending, then done.
const CLUSTER_ORDER = {
  RUN_STATE_FAILED: 0, RUN_STATE_ABORTED: 0, RUN_STATE_SUCCEEDED_WITH_FAILURES: 1, RUN_STATE_AWAITING_APPROVAL: 2,
  RUN_STATE_PAUSED: 2, RUN_STATE_RUNNING: 3, RUN_STATE_PENDING: 4, RUN_STATE_SUCCEEDED: 5,
};

const CAMPAIGN_CONTROLS = [
  { action: "pause", label: "Pause", states: ["RUN_STATE_RUNNING", "RUN_STATE_AWAITING_APPROVAL"],
    ask: "Pause campaign {id}? Cluster runs already going continue; no new cluster starts until it is resumed." },
  { action: "resume", label: "Resume", states: ["RUN_STATE_PAUSED"], ask: "Resume campaign {id}?" },
  { action: "approve", label: "Approve after the canaries", states: ["RUN_STATE_AWAITING_APPROVAL"],
    ask: "The canary clusters succeeded. Approve campaign {id} to go on with the other clusters? This is recorded in the audit under your name." },
  { action: "abort", label: "Abort", states: ["RUN_STATE_RUNNING", "RUN_STATE_PAUSED", "RUN_STATE_AWAITING_APPROVAL", "RUN_STATE_PENDING"],
    ask: "Abort campaign {id}? The running cluster runs are aborted and no other cluster starts; this cannot be undone." },
];
const campaignResult = el("p", { id: "campaign-control-result", "aria-live": "polite" });

function campaignPage(main, campaignId) {
  main.append(el("h1", {}, campaignId ? "Campaign " + campaignId : "Campaign"));
  if (!campaignId) {
    main.append(el("p", {}, "Open a campaign from the list on the Run page."));
    return () => {};
  }
  const status = el("div", { id: "campaign-status" });
  const live = el("p", { class: "muted", id: "campaign-live" }, "Connecting to the campaign's live stream…");
  const clusters = el("div", { id: "campaign-clusters" });
  main.append(status, live, clusters);
  const state = { page: 0, campaign: null };
  let lastState = null;

  state.redraw = keepingFocus(() => {
    const c = state.campaign;
    if (!c) return;
    const [word, tone] = stateWord(RUN_STATES, c.state);
    if (lastState !== null && lastState !== c.state) announce(`Campaign ${c.campaignId} is ${word}.`);
    lastState = c.state;
    status.replaceChildren(
      el("dl", {},
        el("dt", {}, "State"), el("dd", { "data-testid": "campaign-state" }, badge(word, tone)),
        el("dt", {}, "Runbook"), el("dd", {}, c.runbook),
        el("dt", {}, "Clusters"), el("dd", { "data-testid": "campaign-counts" },
          `${c.succeeded} succeeded, ${c.running} running, ${c.pending} pending, ${c.failed} failed (of ${(c.clusters || []).length})`),
        el("dt", {}, "Shape"), el("dd", {},
          `canary ${c.canary}, then at most ${c.parallel} at once; the line stops at ${c.failureBudget} failed` +
          (c.approveAfterCanary ? "; waits for approval after the canaries" : "")),
        el("dt", {}, "Current wave"), el("dd", {}, c.currentWave === 0 ? "canary" : String(c.currentWave)),
        c.startedBy ? [el("dt", {}, "Started by"), el("dd", {}, c.startedBy)] : null,
        c.message ? [el("dt", {}, "Message"), el("dd", { "data-testid": "campaign-message" }, c.message)] : null),
      campaignControls(c));
    const rows = [...(c.clusters || [])].sort((a, b) =>
      (CLUSTER_ORDER[a.state] ?? 4) - (CLUSTER_ORDER[b.state] ?? 4) || a.wave - b.wave || a.cluster.localeCompare(b.cluster));
    clusters.replaceChildren(el("h2", {}, "Clusters"),
      pagedTable("Clusters of the campaign, those needing attention first", ["Cluster", "Wave", "State", "Run", "Started", "Finished", "Message"], rows, k => {
        const [kword, ktone] = stateWord(RUN_STATES, k.state);
        return el("tr", { "data-cluster": k.cluster },
          el("th", { scope: "row" }, k.cluster),
          el("td", {}, k.canary ? "canary" : String(k.wave)),
          el("td", {}, badge(kword, ktone)),
          el("td", {}, k.runId ? el("a", { href: "#/run/" + encodeURIComponent(k.runId) }, k.runId) : "not started"),
          el("td", {}, k.startedAt ? new Date(k.startedAt).toLocaleString() : "—"),
          el("td", {}, k.finishedAt ? new Date(k.finishedAt).toLocaleString() : "—"),
          el("td", {}, k.message || ""));
      }, state));
  });

  const events = new EventSource(`/api/campaigns/${encodeURIComponent(campaignId)}/events`);
  events.addEventListener("campaign", e => {
    state.campaign = JSON.parse(e.data).status;
    live.textContent = "Live: updates as the coordinator reports them.";
    state.redraw();
  });
  events.addEventListener("end", () => { events.close(); live.textContent = "The campaign has ended; this is its final state."; });
  events.addEventListener("failed", e => {
    events.close();
    live.replaceChildren(el("span", { class: "error", role: "alert" }, "Could not follow the campaign: " + JSON.parse(e.data).error));
  });
  events.onerror = () => { if (events.readyState !== EventSource.CLOSED) live.textContent = "Connection lost; reconnecting…"; };
  return () => events.close();
}

function campaignControls(c) {
  const offered = CAMPAIGN_CONTROLS.filter(k => k.states.includes(c.state));
  if (offered.length === 0) return el("div", {});
  return el("section", { "aria-labelledby": "campaign-controls-heading" },
    el("h2", { id: "campaign-controls-heading" }, "Control the campaign"),
    el("div", { class: "bar", role: "group", "aria-label": "Campaign controls" }, offered.map(k =>
      el("button", { type: "button", "data-focus-key": "campaign-" + k.action, onclick: async event => {
        const reason = window.prompt(`Reason to ${k.action} campaign ${c.campaignId} (kept in the audit):`, "");
        if (reason === null) return;
        if (!window.confirm(k.ask.replace("{id}", c.campaignId))) return;
        event.target.disabled = true;
        try {
          await post(`/api/campaigns/${encodeURIComponent(c.campaignId)}/${k.action}`, { reason });
          campaignResult.textContent = `${k.label}: done.`;
        } catch (e) {
          campaignResult.replaceChildren(el("span", { class: "error", role: "alert" }, `${k.label} refused: ` + e.message));
          event.target.disabled = false;
        }
      } }, k.label + "…"))),
    campaignResult);
}

// ---- history (the audit) ----

function historyPage(main) {
  const run = el("input", { id: "history-run", name: "run", size: 40 });
  const limit = el("input", { id: "history-limit", name: "limit", type: "number", min: 1, max: 10000, value: 200 });
  const body = el("div", { id: "history-table" });
  const state = { page: 0, entries: [] };
  main.append(
    el("h1", {}, "History"),
    el("p", {}, "The coordinator's audit log: who did what and when, and every run and step transition."),
    el("form", { class: "bar", onsubmit: e => { e.preventDefault(); load(); } },
      el("label", { for: "history-run" }, "Only run (id, optional)", run),
      el("label", { for: "history-limit" }, "Newest entries", limit),
      el("button", { type: "submit" }, "Show")),
    body);

  state.redraw = keepingFocus(() => {
    body.replaceChildren(pagedTable("Audit entries, newest first", ["Time", "Who", "What", "Run", "Detail"], state.entries, entry =>
      el("tr", {},
        el("td", {}, new Date(entry.at).toLocaleString()),
        el("td", {}, entry.who),
        el("td", {}, entry.what),
        el("td", {}, entry.runId ? el("a", { href: "#/run/" + encodeURIComponent(entry.runId) }, entry.runId) : "—"),
        el("td", {}, entry.detail)), state));
  });

  async function load() {
    const query = new URLSearchParams({ limit: limit.value || "200" });
    if (run.value.trim()) query.set("run", run.value.trim());
    try {
      state.entries = ((await api("/api/history?" + query)).entries || []).reverse();
      state.page = 0;
      state.redraw();
    } catch (e) {
      body.replaceChildren(el("p", { class: "error", role: "alert" }, "Could not read the history: " + e.message));
    }
  }

  load();
  return () => {};
}

// ---- plan review ----

function planPage(main) {
  const runbook = el("select", { id: "plan-runbook", name: "runbook", required: true });
  const parameters = el("textarea", { id: "plan-parameters", name: "parameters", rows: 3, cols: 40, placeholder: "name=value, one a line" });
  const cluster = el("input", { id: "plan-cluster", name: "cluster", type: "text", size: 20, placeholder: "needed when there are several" });
  const body = el("div", { id: "plan-result" });
  main.append(
    el("h1", {}, "Plan review"),
    el("p", {}, "Plans a runbook against one cluster of the fleet with every agent's dry run; nothing changes until you approve."),
    el("form", { class: "bar", onsubmit: e => { e.preventDefault(); plan(); } },
      el("label", { for: "plan-runbook" }, "Runbook", runbook),
      el("label", { for: "plan-parameters" }, "Parameters", parameters),
      el("label", { for: "plan-cluster" }, "Cluster", cluster),
      el("button", { type: "submit", id: "plan-submit" }, "Plan with dry runs")),
    body);

  api("/api/runbooks").then(r => {
    runbook.replaceChildren(...(r.runbooks || []).map(b => el("option", { value: b.name }, `${b.name} (v${b.version})`)));
  }, e => body.replaceChildren(el("p", { class: "error", role: "alert" }, "Could not list the runbooks: " + e.message)));

  function parsedParameters() {
    const map = {};
    for (const line of parameters.value.split("\n").map(l => l.trim()).filter(Boolean)) {
      const eq = line.indexOf("=");
      if (eq <= 0) throw new Error(`parameter line '${line}' is not name=value`);
      map[line.slice(0, eq).trim()] = line.slice(eq + 1);
    }
    return map;
  }

  async function plan() {
    body.replaceChildren(el("p", {}, "Planning…"));
    try {
      const request = { runbook: runbook.value, parameters: parsedParameters(), cluster: cluster.value.trim() };
      const result = await post("/api/plan", request);
      body.replaceChildren(renderPlan(result, request));
      announce("The plan is ready for review.");
    } catch (e) {
      body.replaceChildren(el("p", { class: "error", role: "alert" }, "Planning failed: " + e.message));
    }
  }
  return () => {};
}

function renderPlan(plan, request) {
  const result = el("p", { "aria-live": "polite" });
  const approve = el("button", { type: "button", id: "approve-plan", disabled: !plan.preflightOk, onclick: async () => {
    if (!window.confirm(`Start ${plan.runbook} exactly as reviewed (plan ${plan.hash})? The run is recorded in the audit under your name.`)) return;
    approve.disabled = true;
    try {
      const run = await post("/api/runs", { runbook: request.runbook, parameters: request.parameters, cluster: plan.cluster || "", planHash: plan.hash });
      location.hash = "#/run/" + encodeURIComponent(run.runId);
    } catch (e) {
      result.replaceChildren(el("span", { class: "error", role: "alert" }, "Not started: " + e.message));
      approve.disabled = false;
    }
  } }, "Approve and start…");
  return el("section", { "aria-labelledby": "plan-heading" },
    el("h2", { id: "plan-heading" }, `Plan for ${plan.runbook}`),
    el("p", {}, "Hash: ", el("code", { "data-testid": "plan-hash" }, plan.hash)),
    el("p", { "data-testid": "plan-cluster" }, "Cluster: ", plan.cluster || "(none: the nodes name no cluster)",
      plan.clusterInferred ? " (none chosen: every node of the fleet is in this one)" : ""),
    el("h3", {}, "Preflight"),
    el("p", {}, plan.preflightOk ? badge("passed", "ok") : badge("failed: fix these before approving", "bad")),
    el("ul", {}, (plan.preflight || []).map(line => el("li", {}, line))),
    (plan.phases || []).map(phase => el("section", {},
      el("h3", {}, `Phase ${phase.name}`),
      el("p", { class: "muted" }, `nodes: ${phase.selector}; at most ${phase.maxConcurrency} at once; failure budget ${phase.failureBudget}`),
      (phase.waves || []).map(wave => el("div", {},
        el("h4", {}, `Wave ${wave.index + 1}`),
        (wave.nodes || []).map(node => el("details", { "data-node": node.node },
          el("summary", {}, `${node.node}: ${(node.steps || []).length} step(s)`),
          (node.steps || []).map(step => el("div", {},
            el("p", {}, el("strong", {}, step.name), ` (${step.actionKind}) ${step.arguments}`, step.irreversible ? badge(" irreversible", "warn") : null),
            step.dryRun ? el("pre", {}, step.dryRun) : el("p", { class: "muted" }, "no dry run"))))))))),
    approve, result);
}

// ---- routing ----

const PAGES = { fleet: fleetPage, run: runPage, campaign: campaignPage, history: historyPage, plan: planPage };

function route() {
  leavePage();
  const [, name = "fleet", ...rest] = location.hash.replace(/^#/, "").split("/");
  const page = PAGES[name] ? name : "fleet";
  for (const link of document.querySelectorAll("nav a")) {
    if (link.dataset.page === (page === "campaign" ? "run" : page)) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const main = document.getElementById("main");
  main.replaceChildren();
  leavePage = PAGES[page](main, decodeURIComponent(rest.join("/")));
  document.title = `${main.querySelector("h1").textContent} · RollbackMesh`;
}

window.addEventListener("hashchange", () => { route(); document.getElementById("main").focus(); });
route();
