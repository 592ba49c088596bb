// Runs first thing in <body>, before anything is drawn: GOV.UK Frontend styles its
// components for script only when the body says script runs (no inline script: CSP).
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
