// Progressive enhancement only. Without it each line is a number field (0 to 10, one decimal)
// that starts empty. With it, a line to drag or tap comes before the field: the line writes
// into the field only once it is touched, so an untouched line stays unanswered (no dot, an
// empty field), and a number typed into the field moves the dot. A screen reader hears the
// line's value with the page's decimal mark and the ends in words ("7,5 – 0 er …, 10 er …").
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
    line.value = '5';  // hidden until touched; the first arrow key moves it from the middle
    line.id = field.id + '-line';
    var high = document.getElementById(field.id + '-high');
    var ends = document.getElementById(field.id + '-ends').textContent;
    var untouched = field.getAttribute('data-untouched');
    if (document.getElementById(field.id + '-bands')) line.setAttribute('aria-describedby', field.id + '-bands');
    // A line sent empty: the server asked for a number; here the dot is what to move.
    if (untouched) document.getElementById(field.id + '-error').textContent = untouched;
    holder.appendChild(name);
    holder.appendChild(line);
    field.parentNode.insertBefore(holder, field);
    high.parentNode.insertBefore(field, high);  // the number between the line's two ends
    function shown() { return Number(line.value).toFixed(1).replace('.', mark); }
    function speak(touched) { line.setAttribute('aria-valuetext', touched ? shown() + ' \u2013 ' + ends : ends); }
    function fromField() {
      var value = parse(field.value);
      line.classList.toggle('untouched', value === null);
      if (value !== null) line.value = value;
      speak(value !== null);
    }
    function fromLine() {
      line.classList.remove('untouched');
      field.value = shown();
      speak(true);
    }
    fromField();
    // pointerdown too: a tap on the very middle moves nothing, yet it is an answer.
    ['input', 'pointerdown'].forEach(function (e) { line.addEventListener(e, fromLine); });
    field.addEventListener('input', fromField);
  });
})();
