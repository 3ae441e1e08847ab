// 朗读: reads the article's title and text aloud with the phone's own
// Chinese voice (speechSynthesis), for readers who read slowly or not at
// all. Only voices on the device are used (localService), so the text is
// never sent anywhere; without such a voice the control stays hidden.
(function () {
  var box = document.querySelector(".readaloud");
  var synth = window.speechSynthesis;
  if (!box || !synth || !window.SpeechSynthesisUtterance) return;
  var play = box.querySelector(".readaloud-play");
  var stop = box.querySelector(".readaloud-stop");
  var lang = (document.documentElement.lang || "zh-CN").toLowerCase();
  var voice = null;
  var state = "idle"; // idle | speaking | paused
  var run = 0; // which reading the queued utterances belong to

  function pickVoice() {
    var voices = synth.getVoices() || [];
    var best = null;
    for (var i = 0; i < voices.length; i++) {
      var v = voices[i];
      var vl = String(v.lang || "").replace("_", "-").toLowerCase();
      if (v.localService === false || vl.slice(0, 2) !== "zh") continue;
      if (!best || vl === lang) best = v;
    }
    voice = best;
    box.hidden = !voice;
  }

  // The text in reading order: the title, then each block of the body once
  // (a list item's paragraphs with the item), players' captions aside.
  function blocks() {
    var title = document.querySelector(".article h1");
    var parts = [title ? title.textContent : ""];
    var sel = "h2, h3, h4, h5, h6, p, li, dt, dd, th, td, blockquote, pre";
    var body = document.querySelector(".article .body");
    var found = body ? body.querySelectorAll(sel) : [];
    for (var i = 0; i < found.length; i++) {
      var el = found[i];
      var outer = el.parentElement && el.parentElement.closest(sel);
      if ((outer && body.contains(outer)) || el.closest(".media")) continue;
      parts.push(el.textContent);
    }
    return parts.map(function (t) { return t.replace(/\s+/g, " ").trim(); })
      .filter(function (t) { return t; });
  }

  function show(next) {
    state = next;
    play.textContent = state === "speaking" ? "暂停" : state === "paused" ? "继续朗读" : "朗读全文";
    play.setAttribute("aria-pressed", String(state !== "idle"));
    stop.hidden = state === "idle";
  }

  function start() {
    synth.cancel();
    run++;
    var mine = run;
    var parts = blocks();
    parts.forEach(function (text, i) {
      var u = new SpeechSynthesisUtterance(text);
      u.voice = voice;
      u.lang = voice.lang;
      u.rate = 0.9; // a little slower than the default, for elders
      if (i === parts.length - 1) {
        u.onend = function () { if (run === mine) show("idle"); };
      }
      synth.speak(u);
    });
    show("speaking");
  }

  play.addEventListener("click", function () {
    if (state === "idle") start();
    else if (state === "speaking") { synth.pause(); show("paused"); }
    else { synth.resume(); show("speaking"); }
  });
  stop.addEventListener("click", function () {
    run++;
    synth.cancel();
    show("idle");
    play.focus();
  });
  window.addEventListener("pagehide", function () { synth.cancel(); });

  pickVoice();
  if (synth.addEventListener) synth.addEventListener("voiceschanged", pickVoice);
  else synth.onvoiceschanged = pickVoice;
})();
