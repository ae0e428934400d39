// Thread page: replies by others appear without a reload (Socket.IO /live, subscribe and
// post_created), edits and deletions refresh in place, a reconnect catches up on what was
// missed, and the reaction buttons work without leaving the page. The post HTML comes
// from /live/posts/<id>, rendered by the server for this viewer (anonymity holds).
// Every text shown comes from data-* attributes rendered by the template.
(function () {
  "use strict";

  var box = document.getElementById("thread-live");
  var list = document.getElementById("posts");
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  // --- reactions ---------------------------------------------------------------------------

  function showReactions(form, data) {
    form.querySelectorAll("button[data-kind]").forEach(function (button) {
      var kind = button.getAttribute("data-kind");
      var n = (data.counts && data.counts[kind]) || 0;
      var mine = (data.mine || []).indexOf(kind) >= 0;
      button.querySelector("[data-count]").textContent = n ? String(n) : "";
      button.classList.toggle("is-mine", mine);
      button.setAttribute("aria-pressed", mine ? "true" : "false");
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("reactions")) return;
    var button = event.submitter;
    if (!button || !button.getAttribute("data-kind") || !window.fetch) return;
    event.preventDefault();
    var kind = button.getAttribute("data-kind");
    var on = button.getAttribute("aria-pressed") !== "true";
    button.disabled = true;
    fetch(form.getAttribute("data-api") + "/" + encodeURIComponent(kind), {
      method: on ? "PUT" : "DELETE",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data) showReactions(form, data);
    }).catch(function () { /* the count stays as it was */ }).then(function () {
      button.disabled = false;
    });
  });

  if (!box || !list) return;

  // --- quote a selected passage ----------------------------------------------------------------
  // Selecting text in a post shows a "Quote" button; it hands the selection to the post's
  // own Quote link (static/js/thread.js), which quotes the passage and answers that post.

  var quoteButton = document.createElement("button");
  quoteButton.type = "button";
  quoteButton.className = "button quote-selection is-empty";
  quoteButton.textContent = box.getAttribute("data-quote-selection") || "";
  document.body.appendChild(quoteButton);
  var quoteTarget = null;

  function selectionPost() {
    var selection = window.getSelection ? window.getSelection() : null;
    if (!selection || selection.isCollapsed || !selection.rangeCount || !selection.toString().trim()) return null;
    var node = selection.getRangeAt(0).commonAncestorContainer;
    var element = node.nodeType === 1 ? node : node.parentElement;
    var bodyElement = element && element.closest(".post-body");
    return bodyElement ? bodyElement.closest(".post") : null;
  }

  document.addEventListener("selectionchange", function () {
    var post = selectionPost();
    var link = post && post.querySelector("a[data-quote]");
    quoteTarget = link || null;
    if (!link) {
      quoteButton.classList.add("is-empty");
      return;
    }
    var rect = window.getSelection().getRangeAt(0).getBoundingClientRect();
    quoteButton.style.top = (window.scrollY + rect.bottom + 6) + "px";
    quoteButton.style.left = (window.scrollX + rect.left) + "px";
    quoteButton.classList.remove("is-empty");
  });
  // Keep the selection alive while the button is pressed.
  quoteButton.addEventListener("mousedown", function (event) { event.preventDefault(); });
  quoteButton.addEventListener("click", function () {
    if (quoteTarget) quoteTarget.click();
    quoteButton.classList.add("is-empty");
  });

  // --- live posts ------------------------------------------------------------------------------

  var threadId = parseInt(box.getAttribute("data-thread-id"), 10);
  var lastNumber = parseInt(box.getAttribute("data-last-number"), 10) || 0;
  var onLastPage = box.getAttribute("data-page-is-last") === "true";
  var status = document.getElementById("live-status");
  var more = document.getElementById("live-more");
  var waiting = 0;
  var socket = window.forumLive || (typeof window.io === "function" ? window.io("/live") : null);
  if (!socket) return;

  function setStatus(text) {
    if (status) status.textContent = text || "";
  }

  function fetchPost(event) {
    return fetch(event.html_url, { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.text() : null;
    });
  }

  function parse(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    return holder.content.firstElementChild;
  }

  function markRead(number) {
    if (document.visibilityState !== "visible" || !window.fetch) return;
    fetch("/api/v1/threads/" + threadId + "/read-state", {
      method: "PUT",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Content-Type": "application/json" },
      body: JSON.stringify({ last_read_number: number })
    }).catch(function () { /* read state catches up on the next page view */ });
  }

  function announceWaiting() {
    if (!more) return;
    more.textContent = box.getAttribute("data-new-posts").replace("{n}", waiting);
    more.classList.toggle("is-empty", !waiting);
  }

  function addPost(event) {
    if (!event || event.thread_id !== threadId) return;
    lastNumber = Math.max(lastNumber, event.number || 0);
    if (document.getElementById("post-" + event.id)) return;
    if (!onLastPage) {
      waiting += 1;
      announceWaiting();
      return;
    }
    fetchPost(event).then(function (html) {
      if (!html || document.getElementById("post-" + event.id)) return;
      var item = parse(html);
      if (!item) return;
      // Keep the thread's order even when events cross on the wire.
      var before = null;
      list.querySelectorAll(".post[data-number]").forEach(function (post) {
        if (!before && parseInt(post.getAttribute("data-number"), 10) > event.number) before = post.closest("li");
      });
      list.insertBefore(item, before);
      markRead(lastNumber);
    }).catch(function () { /* shown on the next reload */ });
  }

  function refreshPost(event) {
    var current = event && document.getElementById("post-" + event.id);
    if (!current) return;
    fetchPost(event).then(function (html) {
      var item = html && parse(html);
      var holder = current.closest("li");
      if (item && holder) holder.replaceWith(item);
    }).catch(function () { /* shown on the next reload */ });
  }

  function subscribe() {
    socket.emit("subscribe", { thread_id: threadId, after: lastNumber }, function (answer) {
      if (!answer || answer.error) return;
      setStatus(box.getAttribute("data-live"));
      (answer.missed || []).forEach(addPost);
    });
  }

  if (more) {
    more.addEventListener("click", function () {
      window.location.href = "/threads/" + threadId + "/unread";
    });
  }
  socket.on("connect", subscribe);
  socket.on("disconnect", function () { setStatus(box.getAttribute("data-reconnecting")); });
  socket.on("post_created", addPost);
  socket.on("post_updated", refreshPost);
  socket.on("post_deleted", refreshPost);
  if (socket.connected) subscribe();
})();
