// A photo is made smaller on the phone before it is sent: a camera's 3-8 MB original takes
// minutes on a slow connection, and the server keeps no more than 1280 px of it anyway. Whatever
// fails or is missing here, the chosen file stays as it was and the server takes it as it would
// without scripts. The words shown come from the page (data-working, data-done), in its language.
(function () {
  // htmx runs this again with every page or fragment that brings it; listening twice would resubmit twice
  if (window.ruamPhoto) return;
  var LONG_SIDE = 1600, QUALITY = 0.85, MOST_WAIT_MS = 20000;
  var TYPES = /^image\/(jpeg|png|webp)$/; // what the server reads; anything else it explains itself
  try {
    new DataTransfer();
    if (!window.Promise || !window.File || !document.createElement("canvas").toBlob) return;
  } catch (e) {
    return;
  }
  window.ruamPhoto = true;

  function say(status, text) {
    if (status) status.textContent = text || "";
  }

  function size(bytes) {
    if (bytes < 1024 * 1024) return Math.max(1, Math.round(bytes / 1024)) + " KB";
    return (bytes / 1024 / 1024).toFixed(1) + " MB";
  }

  function viaImage(file) {
    // An <img> is drawn upright only where the browser applies the EXIF orientation to images;
    // elsewhere a sideways copy would be worse than the original, which the server turns itself.
    if (!(window.CSS && CSS.supports && CSS.supports("image-orientation", "from-image"))) {
      return Promise.reject(new Error("no orientation"));
    }
    return new Promise(function (resolve, reject) {
      var image = new Image(), address = URL.createObjectURL(file);
      image.onload = function () { URL.revokeObjectURL(address); resolve(image); };
      image.onerror = function () { URL.revokeObjectURL(address); reject(new Error("not decoded")); };
      image.src = address;
    });
  }

  function decode(file) {
    if (!window.createImageBitmap) return viaImage(file);
    // older browsers refuse the 'from-image' option itself
    return createImageBitmap(file, { imageOrientation: "from-image" }).catch(function () { return viaImage(file); });
  }

  function shrink(file) {
    return decode(file).then(function (picture) {
      var width = picture.naturalWidth || picture.width, height = picture.naturalHeight || picture.height;
      var scale = Math.min(1, LONG_SIDE / Math.max(width, height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(width * scale));
      canvas.height = Math.max(1, Math.round(height * scale));
      var context = canvas.getContext("2d");
      // JPEG has no transparency: lay it on white, as the server does, rather than on black
      context.fillStyle = "#fff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.imageSmoothingQuality = "high";
      context.drawImage(picture, 0, 0, canvas.width, canvas.height);
      if (picture.close) picture.close();
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", QUALITY); });
    }).then(function (blob) {
      if (!blob || blob.size >= file.size) return file;
      var name = (file.name || "").replace(/\.[^.]*$/, "") || "photo";
      return new File([blob], name + ".jpg", { type: "image/jpeg", lastModified: file.lastModified });
    });
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-shrink]")) return;
    var status = document.getElementById(input.getAttribute("data-shrink"));
    var file = input.files && input.files[0];
    var job = input.ruamJob = {};
    if (!file || !TYPES.test(file.type)) {
      input.ruamPending = null;
      say(status, "");
      return;
    }
    say(status, status && status.getAttribute("data-working"));
    input.ruamPending = shrink(file).then(function (smaller) {
      if (input.ruamJob !== job) return; // another photo was chosen meanwhile
      if (smaller !== file) {
        var transfer = new DataTransfer();
        transfer.items.add(smaller);
        input.files = transfer.files;
      }
      say(status, status && status.getAttribute("data-done").replace("{size}", size(smaller.size)));
    }).catch(function () {
      if (input.ruamJob === job) say(status, "");
    }).then(function () {
      if (input.ruamJob === job) input.ruamPending = null;
    });
  });

  // Capturing on the document comes before htmx's listener on the form, which reads the files as
  // soon as it sees the event; a form sent without htmx is held back the same way.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.ruamLetThrough) return;
    var pending = [];
    var inputs = form.querySelectorAll ? form.querySelectorAll("input[data-shrink]") : [];
    for (var i = 0; i < inputs.length; i++) if (inputs[i].ruamPending) pending.push(inputs[i].ruamPending);
    if (!pending.length && !form.ruamWaiting) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (form.ruamWaiting) return; // a second tap while waiting: the first one sends
    form.ruamWaiting = true;
    var submitter = event.submitter && event.submitter.form === form ? event.submitter : null;
    // a phone that never finishes still sends, with whichever file the field holds by then
    var most = new Promise(function (resolve) { setTimeout(resolve, MOST_WAIT_MS); });
    Promise.race([Promise.all(pending), most]).then(function () {
      form.ruamWaiting = false;
      form.ruamLetThrough = true;
      try {
        if (!form.requestSubmit) form.submit();
        else if (submitter) form.requestSubmit(submitter);
        else form.requestSubmit();
      } finally {
        form.ruamLetThrough = false;
      }
    });
  }, true);
})();

// While a form with a photo is sent through htmx, its <progress data-upload> shows how much has gone
// (without scripts, the page says beforehand that it can take a while).
(function () {
  if (window.ruamUpload) return;
  window.ruamUpload = true;
  document.addEventListener("htmx:xhr:progress", function (event) {
    var bar = event.target.querySelector && event.target.querySelector("progress[data-upload]");
    var done = event.detail && event.detail.total ? Math.round(100 * event.detail.loaded / event.detail.total) : 0;
    // the answer's own download counts from 0 again: only ever move forward
    if (bar && done > (bar.hasAttribute("value") ? bar.value : -1)) bar.value = done;
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var bar = event.target.querySelector && event.target.querySelector("progress[data-upload]");
    if (bar) bar.removeAttribute("value");
  });
})();
