// The import pages. Nothing here is needed: without it, a page being checked or imported reloads
// itself (a <noscript> refresh) and the mapping's preview is drawn by the "Show the preview" button.
(function () {
  "use strict";

  // An import being checked or imported: its JSON twin is asked every 1.5 s how far it has got,
  // and the page is drawn again once the job is past that step.
  var watched = document.querySelector("[data-import-status]");
  if (watched) {
    var url = watched.getAttribute("data-import-json");
    var status = watched.getAttribute("data-import-status");
    var bar = document.getElementById("import-progress");
    var done = document.getElementById("import-done");
    var poll = function () {
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.json(); })
        .then(function (state) {
          if (state.status !== status) {
            window.location.reload();
            return;
          }
          if (bar && state.percent !== null && state.percent !== undefined) {
            bar.value = state.percent;
            bar.textContent = state.percent + "%";
          }
          if (done) {
            done.textContent = done.getAttribute("data-template")
              .replace("{done}", state.done.toLocaleString()).replace("{total}", state.total.toLocaleString());
          }
          window.setTimeout(poll, 1500);
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    };
    window.setTimeout(poll, 1500);
  }

  // The upload form: the mapping's fields are for "any table" only; hidden for the other formats.
  var source = document.getElementById("id_source");
  if (source) {
    var tableOnly = ["id_saved_mapping", "id_mapping"].map(function (id) {
      var field = document.getElementById(id);
      return field && field.closest("div");
    }).filter(Boolean);
    var toggle = function () {
      tableOnly.forEach(function (wrapper) { wrapper.hidden = source.value !== "table"; });
    };
    source.addEventListener("change", toggle);
    toggle();
  }

  // The mapping page: a change of a select draws the preview again, where the person was reading.
  var mapping = document.getElementById("mapping-form");
  if (mapping) {
    var preview = mapping.querySelector("button[value=preview]");
    var place = "hrtrack-mapping-scroll:" + window.location.pathname;
    var kept = window.sessionStorage && window.sessionStorage.getItem(place);
    if (kept) {
      window.sessionStorage.removeItem(place);
      window.scrollTo(0, parseInt(kept, 10) || 0);
    }
    mapping.addEventListener("change", function (event) {
      if (event.target.tagName === "SELECT" || event.target.type === "checkbox") {
        if (window.sessionStorage) {
          window.sessionStorage.setItem(place, String(window.scrollY));
        }
        if (mapping.requestSubmit) {
          mapping.requestSubmit(preview);
        } else {
          preview.click();
        }
      }
    });
  }
})();
