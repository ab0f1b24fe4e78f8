// Progressive enhancement of the import's two long steps. Without JavaScript both forms are
// plain posts and work the same, minus the bar. The shell loads this script on every page, and
// it enhances the forms whenever they appear: on a page the server sent, and on one the app
// rendered in the browser after a click on one of its links.
// - Upload (/import): a bar for the bytes sent, then for the rows the server has checked.
// - Commit ("Übernehmen" on a preview): a bar for the rows the server has processed.
//
// The script asks for `application/x-ndjson`: the server then answers with one JSON line per
// progress step ({"rows_checked":…,"rows_expected":…}) and last {"location":"/import/…"}.
// Any other answer (a redirect the browser followed, a proxy's 413 or 502) is handled as the
// plain form's answer would be.
(function () {
  if (!window.XMLHttpRequest || !window.FormData || !window.WeakMap) return;
  var german = (document.documentElement.lang || 'de') !== 'en';
  var locale = german ? 'de-DE' : 'en-GB';

  function number(n) {
    return n.toLocaleString(locale);
  }

  function rows(n) {
    return n === 1 ? (german ? ' Zeile' : ' row') : (german ? ' Zeilen' : ' rows');
  }

  // Only an address of this server's import pages is followed.
  function ours(target) {
    try {
      var url = new URL(target, window.location.href);
      return url.origin === window.location.origin && url.pathname.indexOf('/import') === 0;
    } catch (e) {
      return false;
    }
  }

  // The fields of a form without a file, URL-encoded as the browser would send them.
  function encoded(form) {
    var pairs = [];
    for (var i = 0; i < form.elements.length; i++) {
      var field = form.elements[i];
      if (!field.name || field.disabled) continue;
      if ((field.type === 'checkbox' || field.type === 'radio') && !field.checked) continue;
      pairs.push(encodeURIComponent(field.name) + '=' + encodeURIComponent(field.value));
    }
    return pairs.join('&');
  }

  // How each enhanced form is made to work again; kept weakly, so a form the app has taken
  // off the page is not held.
  var resets = new WeakMap();

  // form: the form; upload: whether it sends a file (and so has an upload phase); done: the
  // word for rows the server is through with; last: what the server still does after the last
  // row (the bar is full, but the page has not changed yet); lost(): where to go when the
  // answer ends without an address; failed(): where to go when the answer is neither the
  // progress nor a page of the import.
  // Both are asked at the time of the post: the app may reuse a form for another preview.
  function enhance(form, upload, done, last, lost, failed) {
    if (!form || form.getAttribute('data-enhanced')) return;
    form.setAttribute('data-enhanced', 'ja'); // once, however often the script is loaded
    var box = form.querySelector('.import-progress');
    var bar = box.querySelector('progress');
    var status = form.querySelector('[role=status]');
    var busy = false;
    var buttons = [];

    // Leaving while the server works stops it: a check leaves no preview, a commit is rolled
    // back. So the browser asks first (with its own words), only while the server works; going
    // on to the answer's page asks nothing.
    function guard(event) {
      event.preventDefault();
      event.returnValue = '';
    }
    function go(target) {
      window.removeEventListener('beforeunload', guard);
      window.location.assign(target);
    }
    function working(on) {
      busy = on;
      if (on) window.addEventListener('beforeunload', guard);
      else window.removeEventListener('beforeunload', guard);
      if (on) buttons = Array.prototype.slice.call(form.querySelectorAll('button'));
      buttons.forEach(function (button) { button.disabled = on; });
    }
    // Back to this page from the browser's history: the form works again (see `start`).
    resets.set(form, function () {
      working(false);
      box.hidden = true;
      status.textContent = '';
    });

    // The status is a live region: screen readers read each new text, so it changes at most
    // once a second (and at the end of a phase); the bar itself follows every step.
    var lastSpoken = 0;
    function say(text, always) {
      var now = Date.now();
      if (text === status.textContent || (!always && now - lastSpoken < 1000)) return;
      lastSpoken = now;
      status.textContent = text;
    }

    function showRows(progress) {
      var checked = progress.rows_checked;
      var expected = progress.rows_expected;
      if (typeof expected === 'number' && expected > 0) {
        var percent = Math.min(100, Math.floor((checked / expected) * 100));
        bar.value = percent;
        say(done + number(checked) + (german ? ' von ' : ' of ') + number(expected) + rows(expected) +
          ' (' + percent + (german ? ' %)' : '%)') + (checked >= expected ? ' – ' + last : ''), checked >= expected);
      } else if (checked > 0) {
        bar.removeAttribute('value'); // the file does not say how many rows it has
        say(done + number(checked) + rows(checked), false);
      }
    }

    form.addEventListener('submit', function (event) {
      var body;
      if (upload) {
        var input = form.querySelector('input[type=file]');
        if (!input || !input.files || input.files.length === 0) return;
        // Too large: the page's message with the limit, as the server would give it, without
        // sending megabytes that the server would refuse.
        var limit = document.getElementById('upload-limit');
        var max = limit ? Number(limit.getAttribute('data-bytes')) : 0;
        if (max > 0 && input.files[0].size > max) {
          event.preventDefault();
          window.location.assign('/import?fehler=zu-gross');
          return;
        }
        body = new FormData(form);
      } else {
        body = encoded(form);
      }
      event.preventDefault();
      if (busy) return; // one post at a time, however often the button is pressed
      working(true);
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.setRequestHeader('Accept', 'application/x-ndjson');
      if (!upload) xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
      box.hidden = false;
      // The pressed button is disabled now, which would drop the keyboard focus to the page's
      // start; the progress takes it instead.
      box.tabIndex = -1;
      box.focus();
      bar.removeAttribute('value');
      if (upload) {
        bar.value = 0;
        say(german ? 'Datei wird hochgeladen …' : 'Uploading …', true);
        xhr.upload.onprogress = function (e) {
          if (!e.lengthComputable) return;
          bar.value = Math.round((e.loaded / e.total) * 100);
          say((german ? 'Hochgeladen: ' : 'Uploaded: ') + bar.value + (german ? ' %' : '%'), e.loaded >= e.total);
        };
        xhr.upload.onload = function () {
          bar.removeAttribute('value'); // indeterminate until the server reports rows
          say(german ? 'Datei wird geprüft …' : 'Checking the file …', true);
        };
      } else {
        say(german ? 'Änderungen werden übernommen …' : 'Applying the changes …', true);
      }

      var read = 0; // how much of the answer has been taken apart into lines
      var target = null;
      function streamed() {
        return (xhr.getResponseHeader('Content-Type') || '').indexOf('application/x-ndjson') === 0;
      }
      function takeLines() {
        if (!streamed()) return;
        var text = xhr.responseText || '';
        var end;
        while ((end = text.indexOf('\n', read)) >= 0) {
          var line = text.slice(read, end);
          read = end + 1;
          var message;
          try { message = JSON.parse(line); } catch (e) { continue; }
          if (typeof message.location === 'string') target = message.location;
          else if (typeof message.rows_checked === 'number') showRows(message);
        }
      }
      xhr.onprogress = takeLines;
      xhr.onload = function () {
        if (streamed()) {
          takeLines();
          // No address: the answer broke off; the page to go to shows what happened.
          go(target && ours(target) ? target : lost());
          return;
        }
        // The server answered 303 (say, a broken or missing upload); XHR followed it, and
        // responseURL is the page with its message. Anything else (a proxy's 413 or 502)
        // goes back to the form with a message.
        var url = xhr.responseURL || '';
        if (xhr.status === 200 && ours(url) && url !== form.action) {
          go(url);
        } else {
          go(upload && xhr.status === 413 ? '/import?fehler=zu-gross' : failed());
        }
      };
      xhr.onerror = function () {
        working(false);
        box.hidden = true;
        say(german
          ? 'Die Übertragung ist fehlgeschlagen. Bitte versuchen Sie es erneut.'
          : 'The transfer failed. Please try again.', true);
      };
      xhr.send(body);
    });
  }

  function internal() { return '/import?fehler=intern'; }

  function enhanceAll() {
    enhance(document.getElementById('upload-form'), true, german ? 'Geprüft: ' : 'Checked: ',
      german ? 'die Vorschau wird erstellt …' : 'preparing the preview …', internal, internal);
    var commit = document.getElementById('commit-form');
    // The preview's own address (/import/7/uebernehmen -> /import/7) shows whether the commit
    // went through. "Verwerfen" sits inside this form (it posts the discard form), so it waits
    // with the form's own buttons.
    function preview() { return commit.getAttribute('action').replace(/\/uebernehmen$/, ''); }
    enhance(commit, false, german ? 'Verarbeitet: ' : 'Processed: ',
      german ? 'die Änderungen werden gespeichert …' : 'saving the changes …',
      preview, function () { return preview() + '?fehler=intern'; });
  }

  function start() {
    // One listener for all forms: the app replaces its forms while the page stays, and a
    // listener per form would pile up and keep each old form alive.
    window.addEventListener('pageshow', function (event) {
      if (!event.persisted) return;
      var forms = document.querySelectorAll('form[data-enhanced]');
      for (var i = 0; i < forms.length; i++) {
        var reset = resets.get(forms[i]);
        if (reset) reset();
      }
    });
    enhanceAll();
    if (window.MutationObserver) new MutationObserver(enhanceAll).observe(document.body, { childList: true, subtree: true });
  }
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
})();
