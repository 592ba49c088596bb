// The idle timeout warning (issue 14). The body carries the server's idle timeout and how
// long before it to warn. Typing or clicking keeps the session alive (a ping at most once
// a minute); with no activity the warning appears, and "Stay signed in" pings at once.
// An audit's typing is kept in this browser by autosave.js, so nothing is lost if the
// session ends; then the page goes to sign-in, which brings the person back here.

const body = document.body;
const timeout = Number(body.dataset.idleTimeout || 0) * 1000;
const warning = Number(body.dataset.idleWarning || 0) * 1000;
const pingUrl = body.dataset.keepAliveUrl;

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

if (timeout && pingUrl) {
  const panel = document.getElementById("idle-warning");
  const minutes = panel ? panel.querySelector("[data-idle-minutes]") : null;
  let lastActivity = Date.now();
  let lastPing = Date.now();
  let warnTimer = null;
  let endTimer = null;

  const ping = async () => {
    lastPing = Date.now();
    try {
      const response = await fetch(pingUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      });
      return response.status === 204;
    } catch (e) {
      return false;
    }
  };

  const hide = () => { if (panel) panel.hidden = true; };

  const show = () => {
    if (!panel) return;
    if (minutes) minutes.textContent = String(Math.max(1, Math.round(warning / 60000)));
    panel.hidden = false;
    const button = panel.querySelector("button");
    if (button) button.focus();
  };

  const end = () => {
    const here = window.location.pathname + window.location.search;
    window.location.assign(`/accounts/sign-in/?idle=1&next=${encodeURIComponent(here)}`);
  };

  const schedule = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(show, Math.max(0, timeout - warning));
    endTimer = setTimeout(end, timeout + 5000);
  };

  const active = () => {
    lastActivity = Date.now();
    if (panel && !panel.hidden) return;
    if (lastActivity - lastPing > 60000) ping();
    schedule();
  };

  if (panel) {
    panel.querySelector("button")?.addEventListener("click", async () => {
      if (await ping()) { hide(); schedule(); } else { end(); }
    });
  }
  for (const type of ["input", "keydown", "click"]) {
    document.addEventListener(type, active, { passive: true });
  }
  schedule();
}
