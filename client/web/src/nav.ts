// Client-side navigation: links marked data-nav change the view without a
// page load; the server answers every client route with index.html.
let router: (path: string) => void = () => {};

export function setRouter(r: (path: string) => void): void {
  router = r;
  window.addEventListener("popstate", () => router(location.pathname));
  document.addEventListener("click", (e) => {
    const a = (e.target as Element | null)?.closest?.("a[data-nav]") as HTMLAnchorElement | null;
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(a.pathname);
  });
}

export function navigate(path: string, replaceState = false): void {
  if (replaceState) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  router(path);
}

let onSignedOut: (reason: string) => void = () => {};

export function setSignedOut(f: (reason: string) => void): void {
  onSignedOut = f;
}

/** signedOut shows the sign-in page with the reason (access revoked, session ended). */
export function signedOut(reason: string): void {
  onSignedOut(reason);
}
