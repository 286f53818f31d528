// Pictures pasted into or dropped on a form with data-upload-drop join the
// files of its <input type="file" data-upload-input>, so that the plain form
// (which works without JavaScript) sends them. No upload happens before submit.
(function () {
  "use strict";

  function addFiles(input, files) {
    const transfer = new DataTransfer();
    for (const file of input.files) transfer.items.add(file);
    for (const file of files) transfer.items.add(file);
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function attach(form) {
    const input = form.querySelector("input[type=file][data-upload-input]");
    if (!input || typeof DataTransfer === "undefined") return;
    form.addEventListener("paste", function (event) {
      const files = Array.from(event.clipboardData ? event.clipboardData.files : []);
      if (files.length) {
        event.preventDefault();
        addFiles(input, files);
      }
    });
    form.addEventListener("dragover", function (event) {
      if (event.dataTransfer && Array.from(event.dataTransfer.types).includes("Files")) {
        event.preventDefault();
        form.classList.add("upload-drop-active");
      }
    });
    form.addEventListener("dragleave", function () {
      form.classList.remove("upload-drop-active");
    });
    form.addEventListener("drop", function (event) {
      form.classList.remove("upload-drop-active");
      const files = Array.from(event.dataTransfer ? event.dataTransfer.files : []);
      if (files.length && event.target !== input) {
        event.preventDefault();
        addFiles(input, files);
      }
    });
  }

  document.querySelectorAll("form[data-upload-drop]").forEach(attach);
})();
