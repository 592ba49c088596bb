// Follow work the worker is doing: poll the JSON at data-poll-url, show its text and
// percent, and reload the page when it says it has finished. Without JavaScript the page
// offers a link to refresh it instead.
const box = document.querySelector("[data-poll-url]");
if (box) {
  const bar = box.querySelector("progress");
  const text = box.querySelector("[data-poll-text]");
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.pollUrl, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const p = await response.json();
        if (p.finished) {
          window.location.reload();
          return;
        }
        if (bar) {
          bar.value = p.percent;
          bar.textContent = `${p.percent}%`;
        }
        if (text) text.textContent = p.text;
      }
    } catch (error) {
      // A dropped request is retried on the next tick.
    }
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 700);
}
