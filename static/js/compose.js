// Writing a post or a thread: @mention autocomplete from the cohort's members, and the
// list of similar threads while a new thread's title is typed. Texts come from data-*.
(function () {
  "use strict";
  if (!window.fetch) return;

  function debounce(fn, wait) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, wait);
    };
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { items: [] }; })
      .catch(function () { return { items: [] }; });
  }

  // --- @mentions ---------------------------------------------------------------------------

  var source = document.querySelector("[data-mentions-url]");
  var mentionsUrl = source && source.getAttribute("data-mentions-url");

  function attachMentions(textarea) {
    var menu = document.createElement("ul");
    menu.className = "mention-menu is-empty";
    menu.setAttribute("role", "listbox");
    menu.id = "mention-menu-" + Math.random().toString(36).slice(2);
    textarea.setAttribute("aria-controls", menu.id);
    textarea.parentNode.insertBefore(menu, textarea.nextSibling);
    var items = [];
    var active = -1;
    var token = null;

    function close() {
      items = [];
      active = -1;
      menu.innerHTML = "";
      menu.classList.add("is-empty");
    }

    function highlight(index) {
      active = index;
      Array.prototype.forEach.call(menu.children, function (li, i) {
        li.setAttribute("aria-selected", i === index ? "true" : "false");
      });
    }

    function choose(index) {
      var person = items[index];
      if (!person || !token) return close();
      var value = textarea.value;
      var insert = "@" + person.username + " ";
      textarea.value = value.slice(0, token.start) + insert + value.slice(token.end);
      var caret = token.start + insert.length;
      textarea.setSelectionRange(caret, caret);
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      close();
      textarea.focus();
    }

    var lookup = debounce(function (prefix) {
      getJSON(mentionsUrl + "?q=" + encodeURIComponent(prefix)).then(function (data) {
        items = data.items || [];
        menu.innerHTML = "";
        items.forEach(function (person, i) {
          var li = document.createElement("li");
          li.setAttribute("role", "option");
          li.setAttribute("data-username", person.username);
          var name = document.createElement("strong");
          name.textContent = person.display_name;
          var handle = document.createElement("span");
          handle.textContent = " @" + person.username;
          li.appendChild(name);
          li.appendChild(handle);
          li.addEventListener("mousedown", function (event) {
            event.preventDefault();
            choose(i);
          });
          menu.appendChild(li);
        });
        menu.classList.toggle("is-empty", !items.length);
        highlight(items.length ? 0 : -1);
      });
    }, 150);

    textarea.addEventListener("input", function () {
      var caret = textarea.selectionStart;
      var before = textarea.value.slice(0, caret);
      var match = /(^|[^A-Za-z0-9._@\/-])@([^\s@]{0,32})$/.exec(before);
      if (!match) {
        token = null;
        return close();
      }
      token = { start: caret - match[2].length - 1, end: caret };
      lookup(match[2]);
    });
    textarea.addEventListener("keydown", function (event) {
      if (!items.length) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + items.length) % items.length);
      } else if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        choose(active < 0 ? 0 : active);
      } else if (event.key === "Escape") {
        close();
      }
    });
    textarea.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  if (mentionsUrl) {
    document.querySelectorAll("textarea[name=body]").forEach(attachMentions);
  }

  // --- similar threads -------------------------------------------------------------------------

  var similar = document.getElementById("similar-threads");
  var title = document.querySelector("input[name=title]");
  if (similar && title) {
    var listing = similar.querySelector("ul");
    var url = similar.getAttribute("data-url");
    var cohort = similar.getAttribute("data-cohort");
    var search = debounce(function () {
      var text = title.value.trim();
      if (text.length < 2) {
        similar.classList.add("is-empty");
        return;
      }
      getJSON(url + "?title=" + encodeURIComponent(text) + "&cohort=" + encodeURIComponent(cohort))
        .then(function (data) {
          listing.innerHTML = "";
          (data.items || []).forEach(function (thread) {
            var li = document.createElement("li");
            var link = document.createElement("a");
            link.href = thread.url;
            link.target = "_blank";
            link.rel = "noopener";
            link.textContent = thread.title;
            li.appendChild(link);
            listing.appendChild(li);
          });
          similar.classList.toggle("is-empty", !(data.items || []).length);
        });
    }, 300);
    title.addEventListener("input", search);
  }
})();
