// A printed page writes each link's full address after it (print.scss reads
// data-print-address): the browser resolves a relative href for us.
export function markPrintAddresses() {
  document.querySelectorAll("main a[href]").forEach((link) => {
    const href = link.getAttribute("href");
    if (!href.startsWith("#") && /^https?:$/.test(link.protocol)) {
      link.dataset.printAddress = link.href;
    }
  });
}
