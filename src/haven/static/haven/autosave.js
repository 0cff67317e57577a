// Autosave for long forms (UX.md 6): nothing typed is lost.
//
// A form opts in with `data-autosave`. A few seconds after typing stops (or a choice
// changes), the form is posted to its own URL (its `action`, or the page) with the header
// `X-Haven-Autosave: 1` and the CSRF token; the server saves what is valid and answers JSON
// `{"saved": true|false, "saved_at": "14:32", "errors": {"field": ["message"]}}`.
// `data-autosave-status="<id>"` names an element (a role="status" live region) that says
// when the draft was last saved, or what could not be saved. `data-autosave-delay` sets the
// pause in milliseconds (3000 by default). Leaving the page with changes not yet saved asks
// first. Without JavaScript the form's own buttons save, so every page works without this.

const DEFAULT_DELAY = 3000;

function autosave(form) {
  const delay = Number(form.dataset.autosaveDelay) || DEFAULT_DELAY;
  const status = form.dataset.autosaveStatus
    ? document.getElementById(form.dataset.autosaveStatus)
    : null;
  const token = form.querySelector("[name=csrfmiddlewaretoken]");
  const url = form.getAttribute("action") || window.location.href;
  let timer = null;
  let dirty = false; // changed since the last successful save
  let saving = null; // the save in flight
  let again = false; // changed while a save was in flight
  let submitting = false;

  const say = (text) => {
    if (status) status.textContent = text;
  };

  const save = async () => {
    timer = null;
    if (saving) {
      again = true;
      return;
    }
    again = false;
    const body = new FormData(form);
    saving = fetch(url, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-Haven-Autosave": "1", "X-CSRFToken": token ? token.value : "" },
    });
    try {
      const response = await saving;
      const type = response.headers.get("Content-Type") || "";
      if (!type.includes("application/json")) {
        // Signed out (the session ended) or refused: keep the page and the words on it.
        say("Your changes could not be saved: you may have been signed out. Copy anything " +
            "you typed since the last save before you leave this page.");
        return;
      }
      const answer = await response.json();
      if (answer.saved) {
        if (!again) dirty = false;
        say(`Draft saved at ${answer.saved_at}.`);
        document.dispatchEvent(new CustomEvent("haven:activity"));
      } else {
        const problems = Object.values(answer.errors || {}).flat();
        say(`Not everything is saved: ${problems.join(" ")}`);
      }
    } catch (error) {
      say("Your changes could not be saved just now (no connection). They will be saved when " +
          "you continue.");
    } finally {
      saving = null;
      if (again) schedule();
    }
  };

  const schedule = () => {
    dirty = true;
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, delay);
  };

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", () => {
    submitting = true;
    if (timer) clearTimeout(timer);
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
}

document.querySelectorAll("form[data-autosave]").forEach(autosave);
