// 公众号 pages: each copy button puts its field on the clipboard. 复制正文
// puts the 正文 as HTML (and as plain text) so the 公众号 editor keeps its
// styles. Where the async Clipboard API is missing (an old browser, a page
// not served over https), the copy event of execCommand carries the same
// data. Nothing is sent anywhere.
(function () {
  "use strict";
  var status = document.querySelector(".wechat-status");

  function say(text) {
    if (!status) return;
    // Cleared first so the same words are announced again on a second copy.
    status.textContent = "";
    setTimeout(function () { status.textContent = text; }, 50);
  }

  function copyByEvent(html, text) {
    var done = false;
    function onCopy(e) {
      e.clipboardData.setData("text/plain", text);
      if (html !== null) e.clipboardData.setData("text/html", html);
      e.preventDefault();
      done = true;
    }
    document.addEventListener("copy", onCopy);
    try { document.execCommand("copy"); } catch (e) { done = false; }
    document.removeEventListener("copy", onCopy);
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(html, text) {
    var c = navigator.clipboard;
    if (c && html !== null && c.write && window.ClipboardItem) {
      var item = new ClipboardItem({
        "text/html": new Blob([html], { type: "text/html" }),
        "text/plain": new Blob([text], { type: "text/plain" })
      });
      return c.write([item]).catch(function () { return copyByEvent(html, text); });
    }
    if (c && html === null && c.writeText) {
      return c.writeText(text).catch(function () { return copyByEvent(null, text); });
    }
    return copyByEvent(html, text);
  }

  var buttons = document.querySelectorAll("button[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      // The 正文 waits in a hidden textarea, whose value is its exact
      // text, and its plain text in another beside it.
      var isBody = source.tagName === "TEXTAREA";
      var html = isBody ? source.value : null;
      var plain = document.getElementById(source.id + "-text");
      var text = isBody ? (plain ? plain.value : "") : source.textContent;
      copy(html, text).then(function () {
        say("已复制" + button.textContent.replace(/^复制/, ""));
      }, function () {
        say("没能复制，请长按或选中后手动复制");
      });
    });
  });
})();
