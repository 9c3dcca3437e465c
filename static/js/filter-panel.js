// The filter panel of a list page on small screens: the results come first,
// and a "Filter" button (saying how many filters are applied) opens and
// closes the filters. Without this script, or on wider screens, the filters
// are simply shown beside the results.
const SMALL_SCREEN = window.matchMedia("(max-width: 40.0525em)"); // GOV.UK's tablet breakpoint

function setUp(form) {
  const toggle = form.querySelector(".app-filter-panel__toggle");
  const panel = document.getElementById(toggle.getAttribute("aria-controls"));
  if (!panel) return;

  const show = (open) => {
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
  };
  const fit = () => {
    toggle.hidden = !SMALL_SCREEN.matches;
    form.classList.toggle("app-filter-panel--collapsible", SMALL_SCREEN.matches);
    // Collapsed on a small screen; always open on a wider one.
    show(!SMALL_SCREEN.matches);
  };

  toggle.addEventListener("click", () => show(panel.hidden));
  SMALL_SCREEN.addEventListener("change", fit);
  fit();
}

export function initFilterPanels() {
  document.querySelectorAll('[data-module="app-filter-panel"]').forEach(setUp);
}
