// "Check the statement": rows added and removed in the page. Optional: without JavaScript the
// "Add" buttons ask the server for more empty rows and "Remove" is a tick box.
(function () {
  "use strict";

  function addRow(fieldset) {
    var prefix = fieldset.dataset.prefix;
    var total = fieldset.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var template = fieldset.querySelector("template.empty-row");
    var list = fieldset.querySelector(".row-list");
    if (!total || !template || !list) return;
    var index = parseInt(total.value, 10);
    var holder = document.createElement(list.tagName === "TBODY" ? "tbody" : "div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.firstElementChild;
    while (row && !row.classList.contains("row")) row = row.nextElementSibling;
    if (!row) return;
    list.appendChild(row);
    total.value = String(index + 1);
    wireRow(row);
    var first = row.querySelector("input[type='text'], textarea");
    if (first) first.focus();
  }

  function wireRow(row) {
    var remove = row.querySelector(".remove input[type='checkbox']");
    if (!remove) return;
    var label = remove.closest("label");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary remove-row";
    button.textContent = label ? label.textContent.trim() : "×";
    button.addEventListener("click", function () {
      remove.checked = true;
      row.classList.add("removed");
    });
    if (label) {
      label.hidden = true;
      label.parentNode.insertBefore(button, label);
    }
    if (remove.checked) row.classList.add("removed");  // removed before the page came back
  }

  function wireFilter(list) {
    var boxes = list.querySelectorAll(".choice");
    if (boxes.length < 12) return;
    var filter = document.createElement("input");
    filter.type = "search";
    filter.className = "choice-filter";
    var label = list.parentNode.querySelector(".label");
    var word = list.closest("form").dataset.filter || "Filter";
    filter.setAttribute("aria-label", (label ? label.textContent.trim() + ": " : "") + word);
    filter.placeholder = word + "…";
    var fold = function (s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); };
    filter.addEventListener("input", function () {
      var words = fold(filter.value);
      boxes.forEach(function (box) { box.hidden = words && fold(box.textContent).indexOf(words) === -1; });
    });
    list.parentNode.insertBefore(filter, list);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".statement-review fieldset.rows").forEach(function (fieldset) {
      fieldset.querySelectorAll(".row-list .row").forEach(wireRow);
      var add = fieldset.querySelector("button.add-row");
      if (add) {
        add.type = "button";
        add.addEventListener("click", function () { addRow(fieldset); });
      }
    });
    document.querySelectorAll(".statement-review .field-row.lists .choice-list").forEach(wireFilter);
  });
})();
