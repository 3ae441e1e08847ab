// weikan serve: reloads the page after each good build and shows build
// errors over it. Injected only into pages served by `weikan serve`.
(function () {
  var source = new EventSource("/__weikan/events");
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("problem", function (event) {
    var box = document.getElementById("weikan-problem");
    if (!box) {
      box = document.createElement("div");
      box.id = "weikan-problem";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:1rem;" +
        "background:rgba(30,10,10,.94);color:#fff;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "weikan: the site has errors; showing the last good build.\n\n" + event.data;
  });
})();
