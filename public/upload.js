// Progressive enhancement of the upload form on /import: with JavaScript the upload shows a
// progress bar for the bytes sent, then for the rows the server has checked. Without
// JavaScript the plain multipart form does the same job, minus the bar.
//
// The script asks for `application/x-ndjson`: the server then answers with one JSON line per
// progress step ({"rows_checked":…,"rows_expected":…}) and last {"location":"/import/…"}.
// Any other answer (a redirect the browser followed, a proxy's 413 or 502) is handled as the
// plain form's answer would be.
(function () {
  var form = document.getElementById('upload-form');
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var box = document.getElementById('upload-progress');
  var bar = document.getElementById('upload-bar');
  var status = document.getElementById('upload-status');
  var german = (document.documentElement.lang || 'de') !== 'en';
  var locale = german ? 'de-DE' : 'en-GB';
  var busy = false;

  function number(n) {
    return n.toLocaleString(locale);
  }

  // The status is a live region: screen readers read each new text, so it changes at most
  // once a second (and at the end); the bar itself follows every step.
  var lastSpoken = 0;
  function say(text, always) {
    var now = Date.now();
    if (text === status.textContent || (!always && now - lastSpoken < 1000)) return;
    lastSpoken = now;
    status.textContent = text;
  }

  function showChecked(progress) {
    var checked = progress.rows_checked;
    var expected = progress.rows_expected;
    if (typeof expected === 'number' && expected > 0) {
      var percent = Math.min(100, Math.floor((checked / expected) * 100));
      bar.value = percent;
      say((german ? 'Geprüft: ' : 'Checked: ') + number(checked) + (german ? ' von ' : ' of ') +
        number(expected) + (german ? ' Zeilen (' : ' rows (') + percent + ' %)', checked >= expected);
    } else {
      bar.removeAttribute('value'); // the file does not say how many rows it has
      say((german ? 'Geprüft: ' : 'Checked: ') + number(checked) + (german ? ' Zeilen' : ' rows'), false);
    }
  }

  form.addEventListener('submit', function (event) {
    var input = form.querySelector('input[type=file]');
    if (!input || !input.files || input.files.length === 0) return;
    event.preventDefault();
    if (busy) return; // one upload at a time, however often the button is pressed
    busy = true;
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.setRequestHeader('Accept', 'application/x-ndjson');
    box.hidden = false;
    bar.value = 0;
    say(german ? 'Datei wird hochgeladen …' : 'Uploading …', true);
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      bar.value = Math.round((e.loaded / e.total) * 100);
      say((german ? 'Hochgeladen: ' : 'Uploaded: ') + bar.value + ' %', e.loaded >= e.total);
    };
    xhr.upload.onload = function () {
      bar.removeAttribute('value'); // indeterminate until the server reports rows
      say(german ? 'Datei wird geprüft …' : 'Checking the file …', true);
    };

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
        else if (typeof message.rows_checked === 'number') showChecked(message);
      }
    }
    xhr.onprogress = takeLines;
    xhr.onload = function () {
      if (streamed()) {
        takeLines();
        // Only an address on this server: the preview, or the form with a message.
        window.location.assign(target && /^\/(?!\/)/.test(target) ? target : '/import?fehler=intern');
        return;
      }
      // The server answered 303 (a broken or missing upload); XHR followed it, responseURL is
      // the form with its message. Anything else (a proxy's 413 or 502) goes back to the form.
      var url = xhr.responseURL || '';
      if (xhr.status === 200 && url.indexOf('/import') >= 0 && url.indexOf('/import/hochladen') < 0) {
        window.location.assign(url);
      } else {
        window.location.assign(xhr.status === 413 ? '/import?fehler=zu-gross' : '/import?fehler=intern');
      }
    };
    xhr.onerror = function () {
      busy = false;
      say(german
        ? 'Die Übertragung ist fehlgeschlagen. Bitte versuchen Sie es erneut.'
        : 'The upload failed. Please try again.', true);
    };
    xhr.send(new FormData(form));
  });
})();
