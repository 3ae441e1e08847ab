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
  // Warnings (a 公众号 limit, an image without alt text…) do not stop the
  // build: a panel at the bottom the editor can close.
  source.addEventListener("warnings", function (event) {
    var box = document.createElement("div");
    box.id = "weikan-warnings";
    box.setAttribute("role", "status");
    box.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:2147483646;max-height:40vh;overflow:auto;margin:0;" +
      "padding:.75rem 1rem;background:#3b2f00;color:#fff;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "close");
    close.style.cssText = "float:right;font:inherit;font-size:1.25rem;background:none;color:inherit;border:1px solid;cursor:pointer";
    close.addEventListener("click", function () { box.remove(); });
    box.appendChild(close);
    box.appendChild(document.createTextNode("weikan: warnings\n\n" + event.data));
    var old = document.getElementById("weikan-warnings");
    if (old) old.remove();
    document.body.appendChild(box);
  });
})();
