// Saves a part of an audit as the auditor types. Progressive enhancement: the form posts
// normally without this script. With it, a pause in typing posts the form to its JSON
// endpoint with the revision it was loaded at. The server refuses a stale revision (409),
// so two tabs never overwrite each other; the typed text always stays in the page, and a
// copy is kept in this browser until the server has it, for a lost connection or an
// expired session.

const DELAY = 1500;
const RETRY = 20000;

function setup(form) {
  const url = form.dataset.autosaveUrl;
  const revision = form.querySelector("[data-autosave-revision], input[name=revision]");
  const status = form.querySelector("#autosave-status");
  const storeKey = `casefile-audit-draft:${url}`;
  let timer = null;
  let stopped = false;
  let saving = false;
  let pending = false;

  const say = (text) => { if (status) status.textContent = text; };

  const snapshot = () => {
    const data = {};
    for (const el of form.elements) {
      if (!el.name || el.type === "hidden" || el.type === "submit") continue;
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) continue;
      (data[el.name] ||= []).push(el.value);
    }
    return data;
  };

  const keep = () => {
    try { localStorage.setItem(storeKey, JSON.stringify({ at: Date.now(), revision: revision ? revision.value : "", data: snapshot() })); } catch (e) { /* storage full or blocked */ }
  };
  const forget = () => { try { localStorage.removeItem(storeKey); } catch (e) { /* ignore */ } };

  const restore = () => {
    let saved = null;
    try { saved = JSON.parse(localStorage.getItem(storeKey) || "null"); } catch (e) { saved = null; }
    if (!saved || !saved.data) return false;
    // Typed on top of an older or newer saved copy: the server's copy wins.
    if (revision && String(saved.revision) !== String(revision.value)) { forget(); return false; }
    for (const el of form.elements) {
      if (!el.name || el.type === "hidden" || !(el.name in saved.data)) continue;
      const values = saved.data[el.name];
      if (el.type === "radio" || el.type === "checkbox") el.checked = values.includes(el.value);
      else el.value = values[0];
    }
    say("We have put back text you typed that had not been saved. Saving it now.");
    return true;
  };

  const showConflict = (message) => {
    stopped = true;
    let box = form.querySelector(".app-autosave-conflict");
    if (!box) {
      box = document.createElement("div");
      box.className = "govuk-error-summary app-autosave-conflict";
      box.setAttribute("data-module", "govuk-error-summary");
      box.innerHTML = '<div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2>' +
        '<div class="govuk-error-summary__body"><p class="govuk-body"></p></div></div>';
      form.prepend(box);
    }
    box.querySelector("p").textContent = message;
    box.focus?.();
    say("Not saved: this part was changed in another tab.");
  };

  let inflight = null;
  const save = () => {
    if (stopped) return Promise.resolve();
    if (saving) { pending = true; return inflight; }
    inflight = send().finally(() => { inflight = null; });
    return inflight;
  };

  const send = async () => {
    saving = true;
    keep();
    const body = new FormData(form);
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", Accept: "application/json" },
      });
    } catch (e) {
      say("No connection. Your text is kept on this device and will be saved when the connection is back.");
      saving = false;
      setTimeout(save, RETRY);
      return;
    }
    const type = response.headers.get("Content-Type") || "";
    if (response.redirected || response.status === 401 || response.status === 403 || !type.includes("json")) {
      say("Your session has ended. Sign in again in another tab: your text is kept on this device and will be saved after you sign in.");
      saving = false;
      setTimeout(save, RETRY);
      return;
    }
    const reply = await response.json();
    saving = false;
    if (response.status === 409) {
      showConflict(reply.error);
      return;
    }
    if (!response.ok) {
      say(reply.error || "Not saved. Try again.");
      return;
    }
    if (revision) revision.value = reply.revision;
    forget();
    say(`Saved at ${reply.saved_at}`);
    if (pending) { pending = false; save(); }
  };

  const soon = () => {
    if (stopped) return;
    keep();
    clearTimeout(timer);
    timer = setTimeout(() => { timer = null; save(); }, DELAY);
  };

  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
  // A save still waiting or on its way would leave the page's revision behind the
  // server's: finish it first, then post the form with the revision it returned.
  form.addEventListener("submit", (event) => {
    // The kept copy stays until the server has it: if the session has ended, the sign-in
    // page follows and the text comes back when the auditor returns to this page.
    if (!timer && !inflight) return;
    event.preventDefault();
    clearTimeout(timer);
    timer = null;
    Promise.resolve(inflight).then(() => save()).then(() => form.submit());
  });
  if (restore()) save();
}

document.querySelectorAll("form[data-autosave-url]").forEach(setup);
