// Warns a few minutes before an unused staff session ends (app/auth/sessions.py), and keeps
// it on the user's word (WCAG 2.2.1: timing adjustable). Another tab may have used the
// session meanwhile, so the page asks how long is left before it warns.
(function () {
  var box = document.getElementById("session-warning");
  if (!box) { return; }
  var warn = parseInt(box.dataset.warn, 10);
  var timer = null;
  function later(seconds, then) {
    window.clearTimeout(timer);
    timer = window.setTimeout(then, Math.max(1, seconds) * 1000);
  }
  function ended() {
    box.querySelector("p").textContent = box.dataset.ended;
    box.querySelector("button").hidden = true;
    box.hidden = false;
  }
  function check() {
    window.fetch(box.dataset.leftUrl, {credentials: "same-origin", redirect: "manual"})
      .then(function (response) { return response.ok ? response.json() : {left: 0}; })
      .then(function (data) {
        if (data.left <= 0) { ended(); return; }
        if (data.left > warn) { box.hidden = true; later(data.left - warn, check); return; }
        box.hidden = false;
        box.querySelector("button").focus();
        later(data.left, check);
      })
      .catch(function () { later(60, check); });
  }
  box.querySelector("button").addEventListener("click", function () {
    window.fetch(box.dataset.keepUrl, {method: "POST", credentials: "same-origin",
                                        headers: {"X-CSRFToken": box.dataset.csrf}, redirect: "manual"})
      .then(function (response) {
        if (!response.ok) { ended(); return; }
        box.hidden = true;
        check();
      });
  });
  later(parseInt(box.dataset.left, 10) - warn, check);
})();
