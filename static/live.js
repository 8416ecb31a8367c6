// The round page reloads itself every so often while answers come in, and the case worker
// can pause it (WCAG 2.2.1: timing adjustable). Without script, the page is reloaded by hand.
(function () {
  var box = document.getElementById("live");
  if (!box) { return; }
  var button = box.querySelector("button");
  var key = "samstem-live-paused";
  var paused = window.sessionStorage.getItem(key) === "1";
  function show() {
    box.querySelector(".live-state").textContent = paused ? box.dataset.paused : box.dataset.running;
    button.textContent = paused ? box.dataset.resume : box.dataset.pause;
  }
  button.hidden = false;
  show();
  button.addEventListener("click", function () {
    paused = !paused;
    window.sessionStorage.setItem(key, paused ? "1" : "0");
    show();
  });
  window.setInterval(function () {
    // ?live=1: a reload the page made by itself, which does not keep the session alive.
    if (!paused && !document.hidden) {
      var url = new URL(window.location.href);
      url.searchParams.set("live", "1");
      window.location.replace(url.toString());
    }
  }, parseInt(box.dataset.seconds, 10) * 1000);
})();
