// Small progressive enhancements; every page works without this file.
// htmx does not always carry hx-headers into every request, so the CSRF token rides on each.
document.addEventListener("htmx:configRequest", function (e) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) { e.detail.headers["X-CSRF-Token"] = meta.content; }
});
document.addEventListener("submit", function (e) {
  var msg = e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) { e.preventDefault(); }
});
// Behaviours named by data attributes: the Content-Security-Policy runs no inline script.
document.addEventListener("change", function (e) {
  if (e.target.hasAttribute("data-submit-on-change") && e.target.form) { e.target.form.submit(); }
});
document.addEventListener("click", function (e) {
  var el = e.target.closest && e.target.closest("[data-print], [data-back]");
  if (!el) { return; }
  if (el.hasAttribute("data-print")) {
    window.print();
  } else if (window.history.length > 1) {
    // Without a page to go back to, the link's own address (the home page) is followed.
    e.preventDefault();
    window.history.back();
  }
});
