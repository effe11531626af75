// Shows a PDF job's state live: polls its JSON status until it is done or failed.
// Never spins forever: after a few minutes without an answer it says so and stops.
const POLL_MS = 2000;
const GIVE_UP_MS = 5 * 60 * 1000;
const COLOURS = { queued: "grey", rendering: "blue", done: "green", failed: "red" };

function show(root, status) {
  const tag = root.querySelector("[data-job-state]");
  tag.textContent = status.label;
  tag.className = `govuk-tag govuk-tag--${COLOURS[status.state] || "grey"}`;
  root.querySelector("[data-job-message]").textContent = status.message;
  const errorBox = root.querySelector("[data-job-error-box]");
  root.querySelector("[data-job-error]").textContent = status.error;
  errorBox.hidden = status.state !== "failed";
  const download = root.querySelector("[data-job-download]");
  download.hidden = !status.download_url;
  if (status.download_url) download.querySelector("a").href = status.download_url;
}

async function poll(root) {
  const url = root.dataset.statusUrl;
  const started = Date.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    if (Date.now() - started > GIVE_UP_MS) {
      root.querySelector("[data-job-message]").textContent =
        "Still not finished after 5 minutes. The job carries on; reload this page later to see its state.";
      return;
    }
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) continue;
      const status = await response.json();
      show(root, status);
      if (status.finished) return;
    } catch {
      // A dropped connection: keep trying until the time limit above.
    }
  }
}

for (const root of document.querySelectorAll("[data-report-job]")) {
  const state = root.querySelector("[data-job-state]").textContent.trim().toLowerCase();
  if (state !== "done" && state !== "failed") poll(root);
}
