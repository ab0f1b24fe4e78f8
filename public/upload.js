// Progressive enhancement of the upload form on /import: with JavaScript the upload shows a
// progress bar (bytes sent), then "wird geprüft" while the server reads the file. Without
// JavaScript the plain multipart form does the same job, minus the bar.
(function () {
  var form = document.getElementById('upload-form');
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var box = document.getElementById('upload-progress');
  var bar = document.getElementById('upload-bar');
  var status = document.getElementById('upload-status');
  var german = (document.documentElement.lang || 'de') !== 'en';
  var busy = false;
  form.addEventListener('submit', function (event) {
    var input = form.querySelector('input[type=file]');
    if (!input || !input.files || input.files.length === 0) return;
    event.preventDefault();
    if (busy) return; // one upload at a time, however often the button is pressed
    busy = true;
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    box.hidden = false;
    bar.value = 0;
    status.textContent = german ? 'Datei wird hochgeladen …' : 'Uploading …';
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      bar.value = Math.round((e.loaded / e.total) * 100);
      status.textContent = (german ? 'Hochgeladen: ' : 'Uploaded: ') + bar.value + ' %';
    };
    xhr.upload.onload = function () {
      bar.removeAttribute('value'); // indeterminate while the server checks the file
      status.textContent = german ? 'Datei wird geprüft …' : 'Checking the file …';
    };
    xhr.onload = function () {
      // The server answers 303 to the preview; XHR follows it, responseURL is the preview.
      // Anything else (a proxy's 413 or 502) goes back to the form with a message.
      var url = xhr.responseURL || '';
      if (xhr.status === 200 && url.indexOf('/import') >= 0 && url.indexOf('/import/hochladen') < 0) {
        window.location.assign(url);
      } else {
        window.location.assign(xhr.status === 413 ? '/import?fehler=zu-gross' : '/import?fehler=intern');
      }
    };
    xhr.onerror = function () {
      busy = false;
      status.textContent = german
        ? 'Die Übertragung ist fehlgeschlagen. Bitte versuchen Sie es erneut.'
        : 'The upload failed. Please try again.';
    };
    xhr.send(new FormData(form));
  });
})();
