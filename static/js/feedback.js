// "Is this page useful?" and "Report a problem with this page" without
// leaving the page. The block at the foot of every page is the same for
// everyone (pages are cached), so it holds links, not forms: this script
// fetches the feedback page's form (with its CSRF token) into the block, and
// puts what the form sends back in its place: the form again with its
// errors, or the block saying thank you. Without this script, or when a
// request fails, the links and the form work as plain pages.
import { initAll } from "../govuk/govuk-frontend.min.js";

const BLOCK_ID = "feedback";
const FORM_ID = "feedback-form";
// The link that opened the form: closing it goes back there.
let opener = null;

function block() {
  return document.getElementById(BLOCK_ID);
}

async function fetchPage(url, init = {}) {
  const response = await fetch(url, { credentials: "same-origin", ...init });
  if (!response.ok) {
    throw new Error(`The feedback page answered ${response.status}`);
  }
  const html = await response.text();
  return { url: new URL(response.url), doc: new DOMParser().parseFromString(html, "text/html") };
}

function closeForm() {
  const current = block();
  const slot = current.querySelector(".app-feedback__form");
  slot.hidden = true;
  slot.replaceChildren();
  current.querySelector(".app-feedback__prompt").hidden = false;
  (opener?.isConnected ? opener : current.querySelector("[data-feedback-open]")).focus();
}

// The feedback page's form, in the block: its heading becomes one of the
// block's (a page has one h1), with a button to close it.
function showForm(fetchedForm) {
  const current = block();
  const form = document.adoptNode(fetchedForm);
  const pageHeading = form.querySelector("[data-feedback-heading]");
  const heading = document.createElement("h2");
  heading.className = "govuk-heading-m";
  heading.id = "feedback-form-heading";
  heading.tabIndex = -1;
  heading.textContent = pageHeading.textContent;
  pageHeading.replaceWith(heading);
  form.setAttribute("aria-labelledby", heading.id);

  const send = form.querySelector("button[type=submit]");
  const buttons = document.createElement("div");
  buttons.className = "govuk-button-group";
  const close = document.createElement("button");
  close.type = "button";
  close.className = "govuk-button govuk-button--secondary";
  close.textContent = "Cancel";
  close.addEventListener("click", closeForm);
  send.replaceWith(buttons);
  buttons.append(send, close);

  const slot = current.querySelector(".app-feedback__form");
  slot.replaceChildren(form);
  slot.hidden = false;
  current.querySelector(".app-feedback__prompt").hidden = true;
  form.addEventListener("submit", onSubmit);
  // Starts the character count, and the error summary, which takes focus.
  initAll({ scope: form });
  if (!form.querySelector(".govuk-error-summary")) {
    heading.focus();
  }
}

// What the form sent back: the form again (errors), or the page with the
// thank-you, whose block replaces this one.
function showResult({ url, doc }) {
  const again = doc.getElementById(FORM_ID);
  if (again && url.pathname === new URL(again.action, url).pathname) {
    showForm(again);
    return;
  }
  const result = doc.getElementById(BLOCK_ID);
  if (!result) {
    throw new Error("No feedback block on the page sent back");
  }
  const adopted = document.adoptNode(result);
  block().replaceWith(adopted);
  initAll({ scope: adopted });
  document.getElementById("feedback-heading").focus();
}

async function post(form) {
  return fetchPage(form.action, { method: "POST", body: new FormData(form) });
}

async function onSubmit(event) {
  event.preventDefault();
  const form = event.currentTarget;
  form.querySelector("button[type=submit]").disabled = true;
  try {
    showResult(await post(form));
  } catch {
    form.submit(); // the plain way: the server's own page says what happened
  }
}

async function open(link) {
  opener = link;
  const { doc } = await fetchPage(link.href);
  const form = doc.getElementById(FORM_ID);
  if (!form) {
    throw new Error("No feedback form on the feedback page");
  }
  if (link.dataset.feedbackOpen === "yes") {
    // "Yes" needs nothing more: send it at once.
    showResult(await post(document.adoptNode(form)));
  } else {
    showForm(form);
  }
}

if (block()) {
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-feedback-open]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    open(link).catch(() => {
      window.location.assign(link.href);
    });
  });
}
