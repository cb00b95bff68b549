// The session-timeout warning: a few minutes before the session ends (the server's expiry, in the
// body's data-session-ends), a notice says so and offers to stay signed in (a POST that renews it).
(function () {
  const body = document.body;
  const ends = Date.parse(body.dataset.sessionEnds || "");
  if (!ends) return;
  const notice = document.getElementById("carm-session-warning");
  const WARN_BEFORE = 5 * 60 * 1000;
  let timer;
  function schedule(at) {
    clearTimeout(timer);
    timer = setTimeout(() => { notice.hidden = false; notice.querySelector("button").focus(); }, Math.max(at - WARN_BEFORE - Date.now(), 0));
  }
  notice.querySelector("button").addEventListener("click", async () => {
    const response = await fetch(body.dataset.sessionRenew, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": JSON.parse(body.getAttribute("hx-headers"))["X-CSRFToken"] },
    });
    if (response.ok) { notice.hidden = true; schedule(Date.parse((await response.json()).ends)); }
  });
  schedule(ends);
})();
