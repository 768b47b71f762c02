// quotegraph web UI: small conveniences only; every page works without script.
(function () {
  "use strict";

  // "/" focuses the search box, as on most sites with one.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA");
    if (event.key === "/" && !typing) {
      var box = document.querySelector("form.search input[name=q]");
      if (box) {
        event.preventDefault();
        box.focus();
      }
    }
  });

  // Article page: pointing at a statement in the list outlines its words in the text,
  // and pointing at words in the text marks the statement in the list.
  function setActive(statementId, on) {
    var nodes = document.querySelectorAll("[data-statement]");
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i].getAttribute("data-statement") === statementId) {
        nodes[i].classList.toggle("active", on);
      }
    }
  }

  function hook(selector) {
    var nodes = document.querySelectorAll(selector);
    for (var i = 0; i < nodes.length; i++) {
      (function (node) {
        var id = node.getAttribute("data-statement");
        node.addEventListener("mouseenter", function () { setActive(id, true); });
        node.addEventListener("mouseleave", function () { setActive(id, false); });
      })(nodes[i]);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    hook(".statement-index li[data-statement]");
    hook("mark.quote[data-statement]");
  });
})();
