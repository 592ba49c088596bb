// Poll an import's progress and update the bar; reload the page when it has finished.
// Without JavaScript the page offers a link to refresh it instead.
const box = document.getElementById("import-progress");
if (box) {
  const bar = document.getElementById("progress-bar");
  const text = document.getElementById("progress-text");
  const format = new Intl.NumberFormat("en-GB");
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.url, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const p = await response.json();
        if (p.finished) {
          window.location.reload();
          return;
        }
        bar.value = p.percent;
        bar.textContent = `${p.percent}%`;
        const of = p.rows_expected ? ` of about ${format.format(p.rows_expected)}` : "";
        text.textContent = `${p.status_label}: ${format.format(p.rows_read)} rows read${of}.`;
      }
    } catch (error) {
      // A dropped request is retried on the next tick.
    }
    window.setTimeout(poll, 1500);
  };
  window.setTimeout(poll, 1000);
}
