// Resolute console: progressive enhancement only. Every page works without this file; with it, uploads
// show progress per file (and take drag and drop), text selected in a document fills the "add a commitment"
// form, and destructive buttons ask first. No inline script anywhere (the pages' CSP forbids it).
"use strict";

(function () {
  const CSRF_HEADER = "X-CSRF-Token";

  // --- uploads: several files, dragged or chosen, each posted to /v1/documents with its own progress bar ---
  function enhanceUpload(form) {
    const input = form.querySelector("input[type=file]");
    const zone = form.querySelector("[data-drop-zone]");
    const list = form.querySelector("[data-upload-list]");
    const texts = form.querySelector("[data-upload-messages]").dataset;
    const endpoint = form.dataset.upload;
    const csrf = form.dataset.csrf;

    function row(file) {
      const item = document.createElement("li");
      const name = document.createElement("span");
      name.textContent = file.name;
      const bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-label", file.name);
      const state = document.createElement("span");
      state.textContent = texts.uploading;
      item.append(name, bar, state);
      list.append(item);
      return { bar, state };
    }

    function send(file) {
      const { bar, state } = row(file);
      return new Promise((resolve) => {
        const request = new XMLHttpRequest();
        request.open("POST", endpoint);
        request.setRequestHeader(CSRF_HEADER, csrf);
        request.setRequestHeader("Accept", "application/json");
        request.upload.addEventListener("progress", (event) => {
          if (event.lengthComputable) bar.value = Math.round((100 * event.loaded) / event.total);
        });
        request.addEventListener("load", () => {
          let body = {};
          try { body = JSON.parse(request.responseText); } catch (error) { body = {}; }
          if (request.status >= 200 && request.status < 300) {
            bar.value = 100;
            state.textContent = "";
            const link = document.createElement("a");
            link.href = "/documents/" + encodeURIComponent(body.id);
            link.textContent = body.duplicate ? texts.duplicate : texts.done;
            state.append(link);
          } else {
            state.textContent = texts.failed + ": " + (body.title || request.statusText) + (body.detail ? " — " + body.detail : "");
            state.className = "error-text";
          }
          resolve();
        });
        request.addEventListener("error", () => {
          state.textContent = texts.failed;
          state.className = "error-text";
          resolve();
        });
        const data = new FormData();
        data.append("file", file, file.name);
        request.send(data);
      });
    }

    async function sendAll(files) {
      for (const file of files) await send(file);
    }

    form.addEventListener("submit", (event) => {
      if (!input.files.length) return;
      event.preventDefault();
      sendAll(Array.from(input.files)).then(() => { input.value = ""; });
    });
    zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("dragging"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("dragging");
      if (event.dataTransfer && event.dataTransfer.files.length) sendAll(Array.from(event.dataTransfer.files));
    });
  }

  // --- a document's text: a selection becomes the span of a new commitment (offsets in code points) ---
  function codePoints(text) {
    return Array.from(text).length;
  }

  function offsetOf(container, node, offset) {
    // The text offset (code points) of a DOM position, from the data-start of its segment. Screen-reader-only
    // labels inside a mark are not document text, so they do not count.
    const element = (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement).closest("[data-start]");
    if (!element || !container.contains(element)) return null;
    let count = Number(element.dataset.start);
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      if (text.parentElement.closest(".visually-hidden")) continue;
      if (text === node) return count + codePoints(text.data.slice(0, offset));
      count += codePoints(text.data);
    }
    return node.nodeType === Node.ELEMENT_NODE ? count : null;
  }

  function enhanceSelection(container) {
    const form = document.querySelector("[data-add-commitment]");
    if (!form) return;
    const start = form.querySelector("input[name=start]");
    const end = form.querySelector("input[name=end]");
    const preview = form.querySelector("[data-selection-preview]");
    function update() {
      const selection = window.getSelection();
      if (!selection || selection.isCollapsed || !selection.rangeCount) return;
      const range = selection.getRangeAt(0);
      if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return;
      const from = offsetOf(container, range.startContainer, range.startOffset);
      const to = offsetOf(container, range.endContainer, range.endOffset);
      if (from === null || to === null || to <= from) return;
      start.value = String(from);
      end.value = String(to);
      preview.textContent = selection.toString();
    }
    container.addEventListener("mouseup", update);
    container.addEventListener("keyup", update);
    document.addEventListener("selectionchange", () => {
      const selection = window.getSelection();
      if (selection && selection.rangeCount && container.contains(selection.getRangeAt(0).commonAncestorContainer)) update();
    });
  }

  // --- small things: confirmations, secrets selected on focus ---
  function enhanceConfirm(form) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form[data-upload]").forEach(enhanceUpload);
    document.querySelectorAll("[data-document-text]").forEach(enhanceSelection);
    document.querySelectorAll("form[data-confirm]").forEach(enhanceConfirm);
    document.querySelectorAll("[data-select-on-focus]").forEach((input) => input.addEventListener("focus", () => input.select()));
  });
})();
