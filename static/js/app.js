// Start GOV.UK Frontend's components. Loaded as a module, so only browsers
// that GOV.UK Frontend supports run it; others get the plain HTML, which works.
import { initAll } from "../govuk/govuk-frontend.min.js";
import { initFilterPanels } from "./filter-panel.js";
import { markPrintAddresses } from "./print-links.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
initFilterPanels();
markPrintAddresses();
