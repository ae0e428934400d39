/* Search page: changing a filter searches again; "/" puts the cursor in the box. */
(function () {
  "use strict";
  var form = document.querySelector("form.search-page-form");
  if (!form) return;
  var box = form.querySelector("input[name=q]");
  form.querySelectorAll("select").forEach(function (select) {
    select.addEventListener("change", function () {
      if (box && box.value.trim()) form.submit();
    });
  });
  document.addEventListener("keydown", function (event) {
    var tag = (event.target && event.target.tagName) || "";
    if (event.key === "/" && !/^(INPUT|TEXTAREA|SELECT)$/.test(tag) && box) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });
})();
