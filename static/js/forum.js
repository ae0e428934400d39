// Site-wide behaviour: confirmation of destructive forms, drafts forgotten on sign-out.
// Every text shown comes from the page (data-* attributes rendered in the right language).
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      return;
    }
    if (form.classList.contains("logout-form")) {
      // A shared computer must not show the next person someone's unsent text.
      try {
        for (var i = window.localStorage.length - 1; i >= 0; i--) {
          var key = window.localStorage.key(i);
          if (key && key.indexOf("forum-draft:") === 0) window.localStorage.removeItem(key);
        }
      } catch (e) { /* storage disabled: nothing kept */ }
    }
  });
})();
