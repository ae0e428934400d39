// Every signed-in page: one Socket.IO connection to /live that keeps the nav's unread
// notification count current. Other page scripts reuse it (window.forumLive).
(function () {
  "use strict";
  if (typeof window.io !== "function") return;

  var socket = window.io("/live");
  window.forumLive = socket;

  function showCount(count) {
    var badge = document.getElementById("notification-count");
    if (!badge) return;
    badge.textContent = String(count);
    badge.classList.toggle("is-empty", !count);
    badge.setAttribute("aria-label", count + " " + (badge.getAttribute("data-label") || ""));
  }

  socket.on("notification", function (data) {
    if (data && typeof data.unread_count === "number") showCount(data.unread_count);
  });
})();
