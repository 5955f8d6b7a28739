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
