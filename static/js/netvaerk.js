// Small enhancements; every page works without this file.
(function () {
  "use strict";

  // Send the CSRF token with htmx requests (the cookie is HttpOnly, so read it from a form).
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) {
      event.detail.headers["X-CSRFToken"] = token.value;
    }
  });
})();
