// A live room: Socket.IO on the /live namespace (CONTRACT.md, "Live rooms").
// Messages are kept by id, in id order, each once: the page's own, the history a
// (re)join returns after the last id it holds, and the live broadcasts. Sent messages
// wait in a pending list until the server acknowledges them with their stored id; a
// resend after a lost connection reuses the client_id, so it is never stored twice.
// Every text shown comes from the page's data-t-* attributes (already translated).
(function () {
  "use strict";

  var root = document.getElementById("room");
  if (!root || typeof window.io !== "function") return;

  var roomId = parseInt(root.getAttribute("data-room-id"), 10);
  var me = root.getAttribute("data-me");
  var canModerate = root.getAttribute("data-can-moderate") === "true";
  var mayPost = root.getAttribute("data-can-post") === "true";
  var locale = root.getAttribute("data-locale") || undefined;

  var list = document.getElementById("room-messages");
  var pendingList = document.getElementById("room-pending");
  var form = document.getElementById("room-send");
  var input = document.getElementById("room-input");
  var sendError = document.getElementById("room-send-error");
  var banner = document.getElementById("room-banner");
  var typingLine = document.getElementById("room-typing");
  var presenceList = document.getElementById("room-presence");
  var presenceCount = document.getElementById("room-present-count");
  var pinnedBox = document.getElementById("room-pinned");
  var pinnedBody = document.getElementById("room-pinned-body");
  var earlier = document.getElementById("room-earlier");
  var replying = document.getElementById("room-replying");
  var replyingText = document.getElementById("room-replying-text");
  var closedNotice = document.getElementById("room-closed-notice");
  var slowNotice = document.getElementById("room-slow-notice");
  var mutedNotice = document.getElementById("room-muted-notice");

  var byId = new Map();      // message id -> <li>
  var synced = 0;            // every message up to this id is on the page
  var joined = false;
  var pending = new Map();   // client_id -> {body, replyTo, li, inflight}
  var replyTo = null;        // {id, name}
  var typers = new Map();    // username -> {name, until}
  var lastTypingSent = 0;
  var status = root.getAttribute("data-status");

  function t(key, vars) {
    var text = root.getAttribute("data-t-" + key) || "";
    Object.keys(vars || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(vars[name]));
    });
    return text;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function formatTime(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) return "";
    var today = new Date().toDateString() === date.toDateString();
    var options = today ? { hour: "2-digit", minute: "2-digit" }
      : { month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" };
    return date.toLocaleString(locale, options);
  }

  function clientId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function showBanner(text) {
    banner.textContent = text;
    banner.hidden = !text;
  }

  // --- drawing messages ------------------------------------------------------------------

  function quoteNode(quote) {
    var block = el("blockquote", "room-quote");
    block.setAttribute("data-reply-to", quote.id);
    if (quote.deleted) {
      block.appendChild(el("span", "room-quote-deleted", t("deleted")));
    } else {
      block.appendChild(el("span", "room-quote-author", quote.author ? quote.author.display_name : ""));
      block.appendChild(document.createTextNode(" "));
      block.appendChild(el("span", "room-quote-text", quote.excerpt));
    }
    return block;
  }

  function addActions(li) {
    if (li.querySelector(".room-message-actions")) return;
    var box = el("div", "room-message-actions");
    if (mayPost) box.appendChild(button("reply", t("reply")));
    if (canModerate) {
      box.appendChild(button("pin", t("pin")));
      box.appendChild(button("delete", t("delete")));
      var author = li.getAttribute("data-author");
      if (author && author !== me) box.appendChild(button("mute", t("mute")));
    }
    if (box.childNodes.length) li.appendChild(box);
  }

  function button(action, label) {
    var b = el("button", "link-button room-action", label);
    b.type = "button";
    b.setAttribute("data-action", action);
    return b;
  }

  function messageNode(m) {
    var li = el("li", "room-message");
    li.id = "m-" + m.id;
    li.setAttribute("data-id", m.id);
    li.setAttribute("data-author", m.author ? m.author.username : "");
    li.setAttribute("data-client-id", m.client_id || "");
    var head = el("div", "room-message-head");
    head.appendChild(el("span", "room-author", m.author ? m.author.display_name : t("deleted-user")));
    var time = el("time", "room-time", formatTime(m.created_at));
    time.setAttribute("datetime", m.created_at);
    head.appendChild(time);
    li.appendChild(head);
    if (m.reply_to) li.appendChild(quoteNode(m.reply_to));
    var body = el("div", "room-body");
    body.innerHTML = m.body_html; // sanitized by the server when the message was stored
    li.appendChild(body);
    addActions(li);
    return li;
  }

  function nearBottom() {
    return window.innerHeight + window.scrollY >= document.body.scrollHeight - 120;
  }

  function insert(m) {
    if (byId.has(m.id)) return false;
    var li = messageNode(m);
    // Keep id order: walk back from the end to the first smaller id.
    var after = list.lastElementChild;
    while (after && parseInt(after.getAttribute("data-id"), 10) > m.id) after = after.previousElementSibling;
    list.insertBefore(li, after ? after.nextSibling : list.firstChild);
    byId.set(m.id, li);
    if (m.author && m.author.username === me && pending.has(m.client_id)) dropPending(m.client_id);
    return true;
  }

  function insertMany(messages) {
    var stick = nearBottom();
    var added = false;
    messages.forEach(function (m) { added = insert(m) || added; });
    if (added && stick) window.scrollTo(0, document.body.scrollHeight);
  }

  function maxId() {
    var last = list.lastElementChild;
    return last ? parseInt(last.getAttribute("data-id"), 10) : 0;
  }

  function removeMessage(id) {
    var li = byId.get(id);
    if (li) li.remove();
    byId.delete(id);
    list.querySelectorAll('.room-quote[data-reply-to="' + id + '"]').forEach(function (q) {
      q.textContent = "";
      q.appendChild(el("span", "room-quote-deleted", t("deleted")));
    });
  }

  // --- room state --------------------------------------------------------------------------

  function setPinned(m) {
    pinnedBody.textContent = "";
    if (!m) { pinnedBox.hidden = true; return; }
    pinnedBody.appendChild(el("span", "room-author", m.author ? m.author.display_name : ""));
    pinnedBody.appendChild(document.createTextNode(" "));
    var body = el("span", "room-body");
    body.innerHTML = m.body_html;
    pinnedBody.appendChild(body);
    pinnedBox.hidden = false;
  }

  function setSlowMode(seconds) {
    slowNotice.hidden = !seconds;
    slowNotice.textContent = seconds ? t("slow-mode", { seconds: seconds }) : "";
  }

  function setStatus(value) {
    status = value;
    root.classList.toggle("is-closed", value === "closed");
    closedNotice.hidden = value !== "closed";
    form.hidden = !(mayPost && value === "open");
  }

  function setMuted(until) {
    if (!until || new Date(until) <= new Date()) { mutedNotice.hidden = true; return; }
    mutedNotice.textContent = t("muted", { time: formatTime(until) });
    mutedNotice.hidden = false;
  }

  function renderPresence(p) {
    presenceList.textContent = "";
    (p.users || []).forEach(function (u) {
      var li = el("li", u.username === me ? "is-me" : "", u.display_name);
      li.setAttribute("data-username", u.username);
      presenceList.appendChild(li);
    });
    presenceCount.textContent = t("present", { count: p.count || 0 });
  }

  function renderTyping() {
    var now = Date.now();
    var names = [];
    typers.forEach(function (v, k) { if (v.until > now) names.push(v.name); else typers.delete(k); });
    if (!names.length) typingLine.textContent = "";
    else if (names.length === 1) typingLine.textContent = t("typing-one", { name: names[0] });
    else typingLine.textContent = t("typing-many", { names: names.join(", ") });
  }

  // --- the connection ------------------------------------------------------------------------

  list.querySelectorAll("li.room-message").forEach(function (li) {
    var id = parseInt(li.getAttribute("data-id"), 10);
    byId.set(id, li);
    var time = li.querySelector("time");
    if (time) time.textContent = formatTime(time.getAttribute("datetime"));
    addActions(li);
  });
  synced = maxId();
  setMuted(root.getAttribute("data-muted-until"));

  var socket = window.io(root.getAttribute("data-namespace"), {
    transports: ["websocket"],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });

  function caughtUp() {
    // From now on the room's broadcasts reach us: everything up to the newest is here.
    synced = Math.max(synced, maxId());
    joined = true;
    showBanner(navigator.onLine === false ? t("offline") : "");
    pending.forEach(function (_p, cid) { trySend(cid); });
  }

  function fetchAfter() {
    socket.emit("history", { room_id: roomId, after: synced, limit: 500 }, function (ack) {
      if (!ack || ack.error) { showBanner(ack && ack.error ? ack.error.message : t("error")); return; }
      insertMany(ack.history);
      if (ack.history.length) synced = ack.history[ack.history.length - 1].id;
      if (ack.more) fetchAfter(); else caughtUp();
    });
  }

  socket.on("connect", function () {
    var payload = { room_id: roomId };
    if (synced > 0) payload.after = synced;
    socket.emit("join", payload, function (ack) {
      if (!ack || ack.error) { showBanner(ack && ack.error ? ack.error.message : t("error")); return; }
      mayPost = ack.can_write;
      setStatus(ack.room.status);
      setSlowMode(ack.room.slow_mode_seconds);
      setPinned(ack.room.pinned);
      setMuted(ack.muted_until);
      renderPresence(ack.presence);
      insertMany(ack.history);
      if (payload.after === undefined) {
        earlier.hidden = !ack.more;
        caughtUp();
      } else {
        if (ack.history.length) synced = ack.history[ack.history.length - 1].id;
        if (ack.more) fetchAfter(); else caughtUp();
      }
    });
  });

  socket.on("disconnect", function () {
    joined = false;
    showBanner(navigator.onLine === false ? t("offline") : t("reconnecting"));
  });
  socket.on("connect_error", function () {
    showBanner(navigator.onLine === false ? t("offline") : t("reconnecting"));
  });

  // A tablet that goes offline or to sleep: drop the dead socket, reconnect when back.
  window.addEventListener("offline", function () { socket.disconnect(); showBanner(t("offline")); });
  window.addEventListener("online", function () { if (!socket.connected) socket.connect(); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && !socket.connected && navigator.onLine !== false) socket.connect();
  });

  socket.on("message", function (m) {
    if (m.room_id !== roomId) return;
    insertMany([m]);
    if (joined) synced = Math.max(synced, m.id);
    if (m.author) typers.delete(m.author.username);
    renderTyping();
  });
  socket.on("message_deleted", function (d) { if (d.room_id === roomId) removeMessage(d.id); });
  socket.on("pinned", function (d) { if (d.room_id === roomId) setPinned(d.message); });
  socket.on("slow_mode", function (d) { if (d.room_id === roomId) setSlowMode(d.seconds); });
  socket.on("room_closed", function (d) { if (d.room_id === roomId) setStatus("closed"); });
  socket.on("room_reopened", function (d) { if (d.room_id === roomId) setStatus("open"); });
  socket.on("muted", function (d) { if (d.room_id === roomId) setMuted(d.until); });
  socket.on("presence", function (p) { if (p.room_id === roomId) renderPresence(p); });
  socket.on("typing", function (d) {
    if (d.room_id !== roomId || !d.user || d.user.username === me) return;
    typers.set(d.user.username, { name: d.user.display_name, until: Date.now() + 4000 });
    renderTyping();
    window.setTimeout(renderTyping, 4100);
  });

  // --- sending ---------------------------------------------------------------------------------

  function dropPending(cid) {
    var p = pending.get(cid);
    if (p && p.li) p.li.remove();
    pending.delete(cid);
  }

  function trySend(cid) {
    var p = pending.get(cid);
    if (!p || p.inflight || !socket.connected || !joined) return;
    p.inflight = true;
    var payload = { room_id: roomId, body: p.body, client_id: cid };
    if (p.replyTo) payload.reply_to = p.replyTo;
    socket.timeout(10000).emit("message", payload, function (err, ack) {
      p.inflight = false;
      if (err) { window.setTimeout(function () { trySend(cid); }, 1000); return; }  // no answer: same client_id again
      if (ack.error) {
        dropPending(cid);
        sendError.textContent = t("failed") + " " + ack.error.message;
        sendError.hidden = false;
        if (!input.value) input.value = p.body;
        return;
      }
      insertMany([ack.message]);
      dropPending(cid);
    });
  }

  function send() {
    var body = input.value.trim();
    if (!body) return;
    var cid = clientId();
    var li = el("li", "room-message is-pending");
    var head = el("div", "room-message-head");
    head.appendChild(el("span", "room-author", ""));
    head.appendChild(el("span", "room-time", t("sending")));
    li.appendChild(head);
    li.appendChild(el("div", "room-body", body));
    pendingList.appendChild(li);
    pending.set(cid, { body: body, replyTo: replyTo ? replyTo.id : null, li: li, inflight: false });
    input.value = "";
    sendError.hidden = true;
    setReply(null);
    window.scrollTo(0, document.body.scrollHeight);
    trySend(cid);
  }

  function setReply(target) {
    replyTo = target;
    replying.hidden = !target;
    replyingText.textContent = target ? t("replying", { name: target.name }) + " " + target.excerpt : "";
    if (target) input.focus();
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); send(); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); send(); }
  });
  input.addEventListener("input", function () {
    var now = Date.now();
    if (now - lastTypingSent > 2000 && socket.connected && input.value) {
      lastTypingSent = now;
      socket.emit("typing", { room_id: roomId });
    }
  });
  document.getElementById("room-reply-cancel").addEventListener("click", function () { setReply(null); });

  function moderate(event, payload) {
    payload.room_id = roomId;
    socket.emit(event, payload, function (ack) {
      if (ack && ack.error) showBanner(ack.error.message);
      else if (event === "mute" && ack) showBanner(t("muted-done", { name: payload.username, time: formatTime(ack.until) }));
    });
  }

  list.addEventListener("click", function (event) {
    var quote = event.target.closest(".room-quote");
    if (quote) {
      var original = byId.get(parseInt(quote.getAttribute("data-reply-to"), 10));
      if (original) {
        original.scrollIntoView({ block: "center" });
        original.classList.add("is-highlighted");
        window.setTimeout(function () { original.classList.remove("is-highlighted"); }, 1500);
      }
      return;
    }
    var action = event.target.closest(".room-action");
    if (!action) return;
    var li = action.closest(".room-message");
    var id = parseInt(li.getAttribute("data-id"), 10);
    var name = li.querySelector(".room-author").textContent;
    switch (action.getAttribute("data-action")) {
      case "reply":
        var text = li.querySelector(".room-body").textContent.trim();
        setReply({ id: id, name: name, excerpt: text.length > 80 ? text.slice(0, 79) + "…" : text });
        break;
      case "pin":
        moderate("pin", { message_id: id });
        break;
      case "delete":
        if (window.confirm(t("confirm-delete"))) moderate("delete_message", { message_id: id });
        break;
      case "mute":
        if (window.confirm(t("confirm-mute", { name: name }))) {
          moderate("mute", { username: li.getAttribute("data-author"), minutes: 10 });
        }
        break;
    }
  });

  if (canModerate) {
    var unpin = button("unpin", t("unpin"));
    unpin.addEventListener("click", function () { moderate("pin", { message_id: null }); });
    pinnedBox.appendChild(unpin);
  }

  earlier.addEventListener("click", function () {
    var first = list.firstElementChild;
    if (!first) { earlier.hidden = true; return; }
    socket.emit("history", { room_id: roomId, before: parseInt(first.getAttribute("data-id"), 10), limit: 100 },
      function (ack) {
        if (!ack || ack.error) return;
        var height = document.body.scrollHeight;
        ack.history.forEach(insert);
        window.scrollBy(0, document.body.scrollHeight - height);
        earlier.hidden = !ack.more;
      });
  });
})();
