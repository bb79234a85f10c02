// safehome's self-check pages work without this script; with it, each answer and note is saved the
// moment it is given, a warning sign is announced on the spot, and the idle close warns first.
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf"]') || {}).content || "";
  var idle = parseInt((document.querySelector('meta[name="idle"]') || {}).content || "0", 10);
  var form = document.getElementById("section-form");
  var lastContact = Date.now();
  var drafts = {};  // item -> timer of a draft not yet sent

  function post(url, fields) {
    var body = new URLSearchParams(fields);
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf, "Accept": "application/json" }
    }).then(function (reply) {
      lastContact = Date.now();
      hideIdle();
      if (reply.status === 401 || reply.status === 403) { closed(); throw new Error("closed"); }
      var type = reply.headers.get("Content-Type") || "";
      return type.indexOf("json") >= 0 ? reply.json() : {};
    });
  }

  function field(name) { return form ? form.querySelector('input[name="' + name + '"]') : null; }

  function say(item, text, isError) {
    var error = document.getElementById("e-" + item);
    var saved = document.getElementById("s-" + item);
    if (error) {
      error.hidden = !isError;
      error.textContent = isError ? "\u2717 " + text : "";
    }
    if (saved) { saved.textContent = isError ? "" : text; }
    if (isError) {
      var alert = document.getElementById("alert");
      if (alert) { alert.textContent = text; }
    }
  }

  function answer(item, value) {
    var check = form.getAttribute("data-check");
    post("/check/" + check + "/answer", { item: item, value: value, page: form.getAttribute("data-page") })
      .then(function (data) {
        if (data.error) { say(item, data.error, true); return; }
        var was = field("was-" + item);
        if (was) { was.value = data.value; }
        var warnings = document.getElementById("warnings");
        var alert = document.getElementById("alert");
        if (data.raised) {
          alert.innerHTML = data.alert;  // role="alert": read out at once
          warnings.innerHTML = "";
        } else {
          alert.innerHTML = "";
          warnings.innerHTML = data.warnings;
        }
        var focused = document.activeElement && document.activeElement.id;
        update(data, item);
        var again = focused && document.getElementById(focused);
        if (again) { again.focus(); }
        say(item, data.saved || "", false);
      })
      .catch(function () {});
  }

  // the questions as the server now asks them, changing only what changed: a follow-up question
  // put in or taken out, the counters, and the answered question when its warning came or went
  // (a question being answered meanwhile is never redrawn under the reader's keys)
  function update(data, item) {
    var fresh = document.createElement("div");
    fresh.innerHTML = data.questions;
    var container = document.getElementById("questions");
    Array.prototype.forEach.call(container.querySelectorAll("fieldset.question"), function (q) {
      if (data.ids.indexOf(q.getAttribute("data-item")) < 0) { q.remove(); }
    });
    var previous = null;
    data.ids.forEach(function (id) {
      var here = document.getElementById("q-" + id);
      var theirs = fresh.querySelector("#q-" + CSS.escape(id));
      if (!here) {
        here = theirs;
        if (previous) { previous.after(here); } else { container.prepend(here); }
      } else if (theirs) {
        here.querySelector(".counter").textContent = theirs.querySelector(".counter").textContent;
        if (id === item && !!here.querySelector(".sign-now") !== !!theirs.querySelector(".sign-now")) {
          var area = here.querySelector("textarea[name^='note-']");
          var areaNew = theirs.querySelector("textarea[name^='note-']");
          if (area && areaNew) { areaNew.value = area.value; areaNew.closest("details").open = area.closest("details").open; }
          here.replaceWith(theirs);
          here = theirs;
        }
      }
      previous = here;
    });
  }

  function note(area, final) {
    var item = area.getAttribute("data-item");
    var check = form.getAttribute("data-check");
    clearTimeout(drafts[item]);
    delete drafts[item];
    if (final) {
      post("/check/" + check + "/note", { item: item, text: area.value }).then(function (data) {
        if (data.error) { say(item, data.error, true); return; }
        var was = field("wasn-" + item);
        if (was) { was.value = area.value; }
        say(item, data.saved || "", false);
      }).catch(function () {});
    } else {
      post("/check/" + check + "/draft", { item: item, text: area.value }).catch(function () {});
    }
  }

  if (form) {
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target.type === "radio" && target.name.indexOf("v-") === 0) {
        answer(target.name.slice(2), target.value);
      } else if (target.name && target.name.indexOf("typed-") === 0) {
        answer(target.name.slice(6), target.value);
      } else if (target.name && target.name.indexOf("note-") === 0) {
        note(target, true);
      }
    });
    form.addEventListener("input", function (event) {
      var target = event.target;
      if (target.name && target.name.indexOf("note-") === 0) {
        var item = target.getAttribute("data-item");
        clearTimeout(drafts[item]);
        drafts[item] = setTimeout(function () { note(target, false); }, 600);
      }
    });
    form.addEventListener("keydown", function (event) {  // Enter in a typed answer saves it, and stays
      var target = event.target;
      if (event.key === "Enter" && target.tagName === "INPUT" && target.name.indexOf("typed-") === 0) {
        event.preventDefault();
        answer(target.name.slice(6), target.value);
      }
    });
    // a tab closed, or the page left, with a note half typed: the note is saved as it stands
    window.addEventListener("pagehide", function () {
      Object.keys(drafts).forEach(function (item) {
        var area = document.getElementById("n-" + item);
        if (!area) { return; }
        var data = new FormData();
        data.append("csrf", csrf);
        data.append("item", item);
        data.append("text", area.value);
        navigator.sendBeacon("/check/" + form.getAttribute("data-check") + "/note", data);
      });
    });
    // a note typed before a tab closed, shown again here: saved as the note now
    Array.prototype.forEach.call(form.querySelectorAll("textarea[name^='note-']"), function (area) {
      var was = field("wasn-" + area.getAttribute("data-item"));
      if (was && area.value !== was.value) { note(area, true); }
    });
  }

  // the idle close: a warning first (every answer is already saved), then the page says it closed
  var box = document.getElementById("idle");
  function hideIdle() { if (box && !box.classList.contains("closed")) { box.hidden = true; } }
  function closed() {
    if (!box || box.classList.contains("closed")) { return; }
    var text = document.getElementById("idle-text");
    text.textContent = text.getAttribute("data-closed");
    document.getElementById("idle-keep").hidden = true;
    document.getElementById("idle-title").hidden = true;
    box.setAttribute("role", "alert");
    box.classList.add("closed");
    box.hidden = false;
    text.setAttribute("tabindex", "-1");
    text.focus();
  }
  if (box && idle > 0) {
    var warnBefore = Math.min(120, idle / 4) * 1000;
    document.getElementById("idle-keep").addEventListener("click", function () {
      post("/alive", {}).catch(function () {});
    });
    ["keydown", "pointerdown"].forEach(function (kind) {
      document.addEventListener(kind, function () {
        if (Date.now() - lastContact > Math.min(60000, idle * 250) && !box.classList.contains("closed")) {
          post("/alive", {}).catch(function () {});
        }
      });
    });
    setInterval(function () {
      var quiet = Date.now() - lastContact;
      if (quiet >= idle * 1000) { closed(); }
      else if (quiet >= idle * 1000 - warnBefore && box.hidden) {
        box.hidden = false;
        document.getElementById("idle-title").focus();  // read from its top, at any zoom; Tab reaches the button
      }
    }, 1000);
  }
  // a form sent back with mistakes: the list of them first, where the reader is
  var errors = document.getElementById("form-errors");
  if (errors) { errors.focus(); }
})();
