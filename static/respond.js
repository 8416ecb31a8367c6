// Progressive enhancement only: the form works the same without it, except that an
// untouched line then counts as its middle value.
(function () {
  var lines = document.querySelectorAll('input[type=range]');
  Array.prototype.forEach.call(lines, function (line) {
    var out = document.getElementById(line.id + '-value');
    function show() {
      line.classList.remove('untouched');
      if (out) out.textContent = Number(line.value).toFixed(1);
    }
    if (line.hasAttribute('data-set')) show(); else line.classList.add('untouched');
    ['input', 'change', 'pointerdown'].forEach(function (e) { line.addEventListener(e, show); });
  });
  var form = document.querySelector('form.answers');
  if (form) form.addEventListener('submit', function () {
    // An untouched line is no answer: leave it out so the server asks for it.
    Array.prototype.forEach.call(form.querySelectorAll('input[type=range].untouched'), function (line) {
      line.disabled = true;
    });
  });
})();
