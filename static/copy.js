// The copy button on the plain-text summary: shown only when script runs; without it,
// the text can be selected and copied by hand.
document.querySelectorAll("button.copy").forEach(function (button) {
  var field = document.getElementById(button.dataset.copy);
  var status = button.parentNode.querySelector(".copy-status");
  button.hidden = false;
  button.addEventListener("click", function () {
    var done = function () { status.textContent = button.dataset.done; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
    } else {
      field.select();
      if (document.execCommand("copy")) { done(); }
    }
  });
});
