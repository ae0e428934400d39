// Thread page: keep the reply draft across reloads (localStorage), reply to and quote
// a post into the reply box. Without this script the Reply/Quote links still work
// (the server fills the form from ?reply_to= / ?quote=).
(function () {
  "use strict";

  var form = document.getElementById("reply-form");
  if (!form) return;
  var body = form.querySelector("textarea[name=body]");
  var replyTo = form.querySelector("input[name=reply_to]");
  var indicator = document.getElementById("replying-to");
  var status = document.getElementById("draft-status");
  var key = form.getAttribute("data-draft-key");

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function saveDraft() {
    var store = storage();
    if (!store || !key) return;
    try {
      if (body.value.trim()) {
        store.setItem(key, JSON.stringify({ body: body.value, replyTo: replyTo ? replyTo.value : "" }));
      } else {
        store.removeItem(key);
      }
    } catch (e) { /* full or disabled: the text stays in the box */ }
  }

  function showReplyingTo(postId, number) {
    if (!replyTo || !indicator) return;
    replyTo.value = postId || "";
    var text = indicator.querySelector(".text");
    if (postId) {
      text.textContent = form.getAttribute("data-replying-to").replace("{n}", number);
      indicator.classList.remove("is-empty");
    } else {
      text.textContent = "";
      indicator.classList.add("is-empty");
    }
  }

  function restoreDraft() {
    var store = storage();
    if (!store || !key) return;
    var saved = store.getItem(key);
    if (!saved) return;
    if (body.value.trim()) {
      // The server filled the box (an error or a quote): that text wins, and is kept.
      saveDraft();
      return;
    }
    try {
      var draft = JSON.parse(saved);
      body.value = draft.body || "";
      if (draft.replyTo && replyTo && !replyTo.value) {
        var target = document.querySelector('.post[data-post-id="' + draft.replyTo + '"]');
        if (target) showReplyingTo(draft.replyTo, target.getAttribute("data-number"));
      }
      if (status && body.value) status.textContent = form.getAttribute("data-draft-restored");
    } catch (e) {
      store.removeItem(key);
    }
  }

  function selectedTextIn(element) {
    var selection = window.getSelection ? window.getSelection() : null;
    if (!selection || selection.isCollapsed || !selection.rangeCount) return "";
    var range = selection.getRangeAt(0);
    return element.contains(range.commonAncestorContainer) ? selection.toString() : "";
  }

  function quoteOf(post) {
    var bodyElement = post.querySelector(".post-body");
    if (!bodyElement) return "";
    var text = (selectedTextIn(bodyElement) || bodyElement.innerText || "").trim();
    if (!text) return "";
    return text.split(/\r?\n/).map(function (line) { return line ? "> " + line : ">"; }).join("\n") + "\n\n";
  }

  function focusBox() {
    body.focus();
    body.setSelectionRange(body.value.length, body.value.length);
    form.scrollIntoView({ behavior: "smooth", block: "start" });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-quote], a[data-reply-to]");
    if (link) {
      var id = link.getAttribute("data-quote") || link.getAttribute("data-reply-to");
      var post = document.querySelector('.post[data-post-id="' + id + '"]');
      if (!post) return;
      event.preventDefault();
      showReplyingTo(id, link.getAttribute("data-number"));
      if (link.hasAttribute("data-quote")) {
        var quote = quoteOf(post);
        var existing = body.value.replace(/\s+$/, "");
        body.value = (existing ? existing + "\n\n" : "") + quote;
      }
      saveDraft();
      focusBox();
      return;
    }
    if (event.target.closest(".cancel-reply")) {
      event.preventDefault();
      showReplyingTo("", "");
      saveDraft();
      body.focus();
    }
  });

  body.addEventListener("input", saveDraft);
  form.addEventListener("submit", function () {
    var store = storage();
    if (store && key) store.removeItem(key);
  });
  restoreDraft();
})();
