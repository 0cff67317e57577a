// Haven's progressive enhancement. Every page works without it.
import { initAll } from "/static/dist/govuk/govuk-frontend.min.js";
import { initAll as initMojAll } from "/static/dist/moj/moj-frontend.min.js";

initAll();
initMojAll();

// Follow-up questions revealed by a radio or checkbox choice. GOV.UK Frontend's own reveal
// puts aria-expanded on the radio, which ARIA does not allow on that role (axe: critical), so
// the follow-up sits straight after its choice in reading order and is shown or hidden here.
// Without JavaScript every follow-up question shows.
function conditionalReveals() {
  const inputs = document.querySelectorAll("[data-haven-controls]");
  const sync = () => {
    inputs.forEach((input) => {
      const target = document.getElementById(input.dataset.havenControls);
      if (!target) return;
      const hidden = input.type === "radio"
        ? "govuk-radios__conditional--hidden" : "govuk-checkboxes__conditional--hidden";
      target.classList.toggle(hidden, !input.checked);
    });
  };
  if (!inputs.length) return;
  document.addEventListener("change", (event) => {
    if (event.target.matches(".govuk-radios__input, .govuk-checkboxes__input")) sync();
  });
  sync();
}

conditionalReveals();

// Warn before an idle session ends, and offer to stay signed in (WCAG 2.2.1 Timing Adjustable).
function idleTimeout() {
  const body = document.body;
  const timeout = Number(body.dataset.idleTimeout);
  const warning = Number(body.dataset.idleWarning);
  const dialog = document.getElementById("haven-timeout-dialog");
  if (!timeout || !dialog || typeof dialog.showModal !== "function") return;

  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const signOutForm = dialog.querySelector("[data-timeout-sign-out]");
  const stay = dialog.querySelector("[data-timeout-stay]");
  let deadline = Date.now() + timeout * 1000;
  let timer = null;

  const words = (seconds) => {
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60);
      return `${minutes} minute${minutes === 1 ? "" : "s"}`;
    }
    return `${seconds} second${seconds === 1 ? "" : "s"}`;
  };

  const expire = () => {
    signOutForm.querySelector("[data-timeout-flag]").value = "1";
    signOutForm.submit();
  };

  const tick = () => {
    const left = Math.round((deadline - Date.now()) / 1000);
    if (left <= 0) return expire();
    if (left <= warning) {
      if (!dialog.open) dialog.showModal();
      countdown.textContent = words(left);
      timer = setTimeout(tick, 1000);
    } else {
      timer = setTimeout(check, (left - warning) * 1000);
    }
  };

  // Another tab may have kept the session alive: ask the server before warning.
  const check = async () => {
    try {
      const response = await fetch(body.dataset.sessionUrl, { credentials: "same-origin" });
      const status = await response.json();
      if (!status.signed_in) return expire();
      deadline = Date.now() + status.seconds_left * 1000;
    } catch (error) {
      // Offline for a moment: keep counting from what we knew.
    }
    tick();
  };

  stay.addEventListener("click", async () => {
    const token = signOutForm.querySelector("[name=csrfmiddlewaretoken]").value;
    const response = await fetch(body.dataset.keepAliveUrl, {
      method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": token },
    });
    if (response.ok) {
      const status = await response.json();
      deadline = Date.now() + status.seconds_left * 1000;
      dialog.close();
      clearTimeout(timer);
      tick();
    } else {
      expire();
    }
  });
  dialog.addEventListener("cancel", (event) => { event.preventDefault(); stay.click(); });
  document.addEventListener("haven:activity", () => {
    deadline = Date.now() + timeout * 1000;
  });
  tick();
}

idleTimeout();
