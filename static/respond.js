// Progressive enhancement only. Without it each line is a number field (0 to 10, one decimal)
// that starts empty. With it, a line to drag or tap comes before the field: the line writes
// into the field only once it is touched, so an untouched line stays unanswered (no dot, an
// empty field), and a number typed into the field moves the dot.
(function () {
  var number = /^\s*(\d{1,2})(?:[.,](\d))?\s*$/;
  function parse(text) {
    var parts = number.exec(text);
    var value = parts && Number(parts[1] + '.' + (parts[2] || '0'));
    return parts && value <= 10 ? value : null;
  }
  Array.prototype.forEach.call(document.querySelectorAll('input.vas-number'), function (field) {
    var mark = field.getAttribute('data-decimal') || '.';
    var holder = document.createElement('label');
    var name = document.createElement('span');
    var line = document.createElement('input');
    holder.className = 'vas-line';
    name.className = 'visually-hidden';
    name.textContent = field.labels[0].textContent.trim();
    line.type = 'range';
    line.min = '0';
    line.max = '10';
    line.step = '0.1';
    line.id = field.id + '-line';
    var ends = document.getElementById(field.id + '-high');
    var bands = document.getElementById(field.id + '-bands');
    line.setAttribute('aria-describedby', field.id + '-low ' + field.id + '-high' + (bands ? ' ' + bands.id : ''));
    holder.appendChild(name);
    holder.appendChild(line);
    field.parentNode.insertBefore(holder, field);
    ends.parentNode.insertBefore(field, ends);  // the number between the line's two ends
    function fromField() {
      var value = parse(field.value);
      line.classList.toggle('untouched', value === null);
      if (value !== null) line.value = value;
    }
    function fromLine() {
      line.classList.remove('untouched');
      field.value = Number(line.value).toFixed(1).replace('.', mark);
    }
    fromField();
    // pointerdown too: a tap on the very middle moves nothing, yet it is an answer.
    ['input', 'pointerdown'].forEach(function (e) { line.addEventListener(e, fromLine); });
    field.addEventListener('input', fromField);
  });
})();
