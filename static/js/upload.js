/* Upload page: drag and drop several files, send each one by itself with a progress bar.
   Messages come from data-* attributes of the form (translated by the template). */
(function () {
  "use strict";
  var form = document.querySelector("form.upload-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  var input = form.querySelector("input[type=file]");
  var zone = form.querySelector(".dropzone");
  var list = form.querySelector(".upload-progress");
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;
  var queued = [];

  function msg(name, fileName) {
    return (form.getAttribute("data-msg-" + name) || "").replace("{name}", fileName || "");
  }

  function row(file) {
    var li = document.createElement("li");
    li.className = "upload-item";
    var label = document.createElement("span");
    label.className = "upload-name";
    label.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    var state = document.createElement("span");
    state.className = "upload-state";
    state.textContent = msg("uploading");
    li.appendChild(label);
    li.appendChild(bar);
    li.appendChild(state);
    list.appendChild(li);
    return { li: li, bar: bar, state: state };
  }

  function finish(view, ok, text, href) {
    view.li.classList.add(ok ? "is-done" : "is-error");
    view.state.textContent = "";
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      view.state.appendChild(a);
    } else {
      view.state.textContent = text;
    }
    if (!ok) view.state.setAttribute("role", "alert");
  }

  function send(file) {
    var view = row(file);
    if (maxBytes && file.size > maxBytes) {
      finish(view, false, msg("too-large", file.name));
      return Promise.resolve();
    }
    var data = new FormData(form);
    data.delete("files");
    data.append("files", file, file.name);
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) view.bar.value = Math.round((event.loaded / event.total) * 100);
      });
      xhr.addEventListener("load", function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
        if (xhr.status >= 200 && xhr.status < 300 && body && body.items && body.items.length) {
          var item = body.items[0];
          view.bar.value = 100;
          finish(view, true, (item.duplicate ? msg("duplicate") : msg("done")) + ": " + item.title, item.url);
        } else if (xhr.status === 413) {
          finish(view, false, (body && body.error && body.error.message) || msg("too-large", file.name));
        } else {
          finish(view, false, (body && body.error && body.error.message) || msg("failed", file.name));
        }
        resolve();
      });
      xhr.addEventListener("error", function () {
        finish(view, false, msg("network"));
        resolve();
      });
      xhr.send(data);
    });
  }

  function sendAll(files) {
    var chain = Promise.resolve();
    Array.prototype.forEach.call(files, function (file) {
      chain = chain.then(function () { return send(file); });
    });
    return chain;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var files = queued.length ? queued : Array.prototype.slice.call(input.files || []);
    if (!files.length) {
      var li = document.createElement("li");
      li.className = "upload-item is-error";
      li.setAttribute("role", "alert");
      li.textContent = msg("none");
      list.appendChild(li);
      return;
    }
    queued = [];
    sendAll(files).then(function () { input.value = ""; });
  });

  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("is-over");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("is-over"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    var files = event.dataTransfer && event.dataTransfer.files;
    if (files && files.length) sendAll(Array.prototype.slice.call(files));
  });
})();
