// The console: plain modules, no build. Every call goes through the HTTP API with the saved bearer token.
const $ = (id) => document.getElementById(id);
const escapeHtml = (value) =>
  String(value ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );

function token() {
  return localStorage.getItem("mlops-token") ?? "";
}

async function api(method, path, body) {
  const headers = { "content-type": "application/json" };
  if (token()) headers.authorization = `Bearer ${token()}`;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = await response.json().catch(() => ({}));
  if (!response.ok && response.status !== 503) {
    const error = data.error ?? {};
    throw new Error(`${error.message ?? response.statusText}${error.hint ? ` — ${error.hint}` : ""}`);
  }
  return data;
}

function showError(error) {
  $("error").hidden = !error;
  $("error").textContent = error ? String(error.message ?? error) : "";
}

async function renderOverview() {
  const report = await api("GET", "/v1/doctor");
  $("doctor").innerHTML = report.checks
    .map(
      (c) =>
        `<tr><td class="${c.ok ? "ok" : "bad"}">${c.ok ? "✔" : "✘"}</td><td>${escapeHtml(c.component)}</td>` +
        `<td>${escapeHtml(c.target)}</td><td>${escapeHtml(c.detail)}</td></tr>`,
    )
    .join("");
}

async function pendingApprovals() {
  const { approvals = [] } = await api("GET", "/v1/approvals?status=pending");
  $("pending-count").textContent = approvals.length ? `(${approvals.length})` : "";
  return approvals;
}

async function renderApprovals() {
  const approvals = await pendingApprovals();
  if (approvals.length === 0) {
    $("approvals").innerHTML = "<p>Nothing waits for a decision.</p>";
    return;
  }
  $("approvals").innerHTML = approvals
    .map(
      (a) => `<div class="card" data-id="${escapeHtml(a.id)}">
        <strong>${escapeHtml(a.action?.kind)}</strong> on <code>${escapeHtml(a.action?.target)}</code>
        — requested by ${escapeHtml(a.requestedBy ?? a.requester)}, expires ${escapeHtml(a.expiresAt)}
        <p>${escapeHtml(a.reason)}</p>
        <pre>${escapeHtml(JSON.stringify(a.action, null, 2))}</pre>
        <p><strong>${escapeHtml(a.risk?.summary ?? "")}</strong>${a.risk?.reversible === false ? ' <span class="bad">cannot be undone</span>' : ""}</p>
        <p>digest <code>${escapeHtml(a.digest)}</code></p>
        <div class="actions">
          <button class="approve">Approve</button>
          <input class="reason" placeholder="reason (for a rejection)">
          <button class="reject">Reject</button>
        </div>
      </div>`,
    )
    .join("");
  for (const card of $("approvals").querySelectorAll(".card")) {
    const id = card.dataset.id;
    card.querySelector(".approve").onclick = () => decide(id, "approve", {});
    card.querySelector(".reject").onclick = () => decide(id, "reject", { reason: card.querySelector(".reason").value });
  }
}

async function decide(id, decision, body) {
  try {
    await api("POST", `/v1/approvals/${encodeURIComponent(id)}/${decision}`, body);
    showError(null);
  } catch (error) {
    showError(error);
  }
  await renderApprovals().catch(showError);
}

async function renderJobs() {
  const { jobs } = await api("GET", "/v1/jobs?limit=50");
  const colour = (s) => (s === "completed" ? "ok" : s === "failed" || s === "cancelled" ? "bad" : "warn");
  $("jobs").innerHTML = jobs
    .map(
      (j) =>
        `<tr><td><code>${escapeHtml(j.id)}</code></td><td>${escapeHtml(j.name)}</td><td class="${colour(j.status)}">${escapeHtml(j.status)}</td>` +
        `<td>${j.attempts}</td><td>${escapeHtml(j.createdAt)}</td><td><code>${escapeHtml(j.error ?? JSON.stringify(j.result ?? ""))}</code></td></tr>`,
    )
    .join("");
}

const views = { overview: renderOverview, approvals: renderApprovals, jobs: renderJobs };

async function show() {
  const name = location.hash.slice(1) in views ? location.hash.slice(1) : "overview";
  for (const view of Object.keys(views)) $(`view-${view}`).hidden = view !== name;
  for (const link of document.querySelectorAll("nav a")) link.classList.toggle("active", link.dataset.view === name);
  try {
    await views[name]();
    if (name !== "approvals") await pendingApprovals();
    showError(null);
  } catch (error) {
    showError(error);
  }
}

// `mlops up` prints a link with the local token in the fragment (never sent to the server): keep it, then drop it.
const fromLink = /^#token=([0-9a-f]+)/.exec(location.hash);
if (fromLink) {
  localStorage.setItem("mlops-token", fromLink[1]);
  history.replaceState(null, "", `${location.pathname}#overview`);
}
$("token").value = token();
$("token-form").onsubmit = (event) => {
  event.preventDefault();
  localStorage.setItem("mlops-token", $("token").value);
  show();
};
window.addEventListener("hashchange", show);
show();
setInterval(show, 5000);
