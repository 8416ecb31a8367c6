// Progressive enhancement only. Without it each line is a number field (0 to 10, one decimal)
// that starts empty. With it, a line to drag or tap comes before the field: the line writes
// into the field only once it is touched, so an untouched line stays unanswered (no dot, an
// empty field), and a number typed into the field moves the dot. A screen reader hears the
// line's value with the page's decimal mark and the ends in words ("7,5 – 0 er …, 10 er …").
window.samstemLines = function () {
  var number = /^\s*(\d{1,2})(?:[.,](\d))?\s*$/;
  function parse(text) {
    var parts = number.exec(text);
    var value = parts && Number(parts[1] + '.' + (parts[2] || '0'));
    return parts && value <= 10 ? value : null;
  }
  Array.prototype.forEach.call(document.querySelectorAll('input.vas-number:not([data-lined])'), function (field) {
    field.setAttribute('data-lined', '');
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
};

// Sending on a weak connection (issue 18 item 3). An answer or a "no thanks" is sent in the
// background. If the connection is gone, what was typed stays on the page and in this tab's
// sessionStorage (never localStorage: a shared tablet keeps nothing once the tab is closed),
// the page says in plain words that it is not sent yet, and it is sent again, with the same
// submission id, when the connection returns (the "online" event, every 10 seconds, or Send
// tapped again), so the server stores it once. Background Sync is not used: Safari and Firefox
// lack it. Without JavaScript the form posts as usual.
(function () {
  var KEY = 'samstem-unsent';
  var owed = null;  // {action, pairs}: the form as it was sent
  var sending = false;
  if (!window.fetch || !window.DOMParser || !window.URLSearchParams) {
    window.samstemLines();
    return;
  }
  function store() {
    try {
      if (owed) sessionStorage.setItem(KEY, JSON.stringify(owed)); else sessionStorage.removeItem(KEY);
    } catch (e) { /* private mode: memory only */ }
  }
  function stored() {
    try { return JSON.parse(sessionStorage.getItem(KEY) || 'null'); } catch (e) { return null; }
  }
  function note(show) {
    var unsent = document.getElementById('unsent');
    if (unsent) unsent.hidden = !show;
  }
  function render(html, url) {
    // The reply is a whole page: show it as if the browser had loaded it.
    var page = new DOMParser().parseFromString(html, 'text/html');
    if (url && url !== location.href) history.replaceState(null, '', url);
    document.title = page.title;
    document.documentElement.lang = page.documentElement.lang;
    document.documentElement.dir = page.documentElement.dir;
    document.body.parentNode.replaceChild(document.adoptNode(page.body), document.body);
    window.scrollTo(0, 0);
    start();
  }
  function send() {
    if (!owed || sending) return;
    sending = true;
    var body = new URLSearchParams();
    owed.pairs.forEach(function (pair) { body.append(pair[0], pair[1]); });
    fetch(owed.action, {method: 'POST', body: body, credentials: 'same-origin'}).then(function (response) {
      // A proxy that could not reach Samstem: not sent.
      if (response.status >= 502 && response.status <= 504) throw new Error('not reached');
      return response.text().then(function (html) {
        sending = false;
        owed = null;
        store();
        render(html, response.redirected ? response.url : null);
      });
    }).catch(function () {
      sending = false;
      note(true);
    });
  }
  function pairs(form, button) {
    var result = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled || field.type === 'submit' || field.type === 'button') return;
      if ((field.type === 'radio' || field.type === 'checkbox') && !field.checked) return;
      result.push([field.name, field.value]);
    });
    if (button && button.name) result.push([button.name, button.value]);
    return result;
  }
  function refill(form, saved) {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.type === 'radio' || field.type === 'checkbox') field.checked = false;
    });
    saved.forEach(function (pair) {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name !== pair[0]) return;
        if (field.type === 'radio' || field.type === 'checkbox') {
          if (field.value === pair[1]) field.checked = true;
        } else if (field.type !== 'submit' && field.type !== 'button') {
          field.value = pair[1];
        }
      });
    });
  }
  function start() {
    var forms = document.querySelectorAll('form.answers, form.decline');
    var saved = owed || stored();
    // Reloaded while something was not sent: the same form again, filled in as it was sent.
    Array.prototype.forEach.call(forms, function (form) {
      if (saved && form.action === saved.action) {
        refill(form, saved.pairs);
        owed = saved;
      }
    });
    window.samstemLines();
    Array.prototype.forEach.call(forms, function (form) {
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        owed = {action: form.action, pairs: pairs(form, event.submitter)};
        store();
        send();
      });
    });
    if (owed) { note(!navigator.onLine); send(); }
  }
  window.addEventListener('online', send);
  setInterval(send, 10000);
  start();
})();
