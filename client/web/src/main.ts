// Entry point: routes the client's paths to their views.
//   /, /login            paste a token
//   /join#TOKEN          sign in with the token in the fragment (never sent to the server in a URL)
//   /documents           the documents this participant may open
//   /documents/{id}      the document; …/projector and …/table its other views
//   /admin               the secretariat's desk (admins): documents, import
//   /admin/documents/{id} a document's title and participants
import { DeskPage, DocumentDesk } from "./admin";
import { ApiError, documents, login, session } from "./api";
import { DocView } from "./docview";
import { HistoryPage } from "./history";
import { el, replace } from "./dom";
import { tokenFrom } from "./joinlink";
import { navigate, setRouter, setSignedOut } from "./nav";
import { ProjectorView } from "./projector";
import type { Session } from "./protocol";
import { TableView } from "./table";

const app = document.getElementById("app")!;
let page: { destroy(): void } | null = null;

function show(...nodes: Node[]): void {
  page?.destroy();
  page = null;
  replace(app, ...nodes);
}

/** home sends a signed-in participant to their document, an admin to the desk, others to the list. */
function home(s: Session): void {
  delete document.body.dataset.signedOut;
  navigate(s.document ? `/documents/${s.document}` : s.role === "admin" ? "/admin" : "/documents", true);
}

async function route(path: string): Promise<void> {
  if (path === "/join") return join();
  const m = /^\/documents\/([0-9a-fA-F-]{36})(\/projector|\/table|\/history)?\/?$/.exec(path);
  let s: Session;
  try {
    s = await session();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return loginPage(path === "/" || path === "/login" ? "" : "Sign in to open this page.");
    return show(message("The server cannot be reached.", String((e as Error).message)));
  }
  if (path === "/" || path === "/login") return home(s);
  if (path === "/documents") return listPage(s);
  const a = /^\/admin(?:\/documents\/([0-9a-fA-F-]{36}))?\/?$/.exec(path);
  if (a) {
    if (s.role !== "admin") return show(message("For the secretariat only.", "This page is for admins."), el("p", {}, el("a", { href: "/", "data-nav": "" }, "Your document")));
    const v = a[1] ? new DocumentDesk(a[1].toLowerCase(), s) : new DeskPage(s);
    show(v.el);
    page = v;
    return;
  }
  if (!m) return show(message("No such page.", "Check the address, or go to your document."), el("p", {}, el("a", { href: "/", "data-nav": "" }, "Your document")));
  if (m[2] === "/history") {
    const h = new HistoryPage(m[1].toLowerCase(), s);
    show(h.shell.el);
    return h.start();
  }
  const View = m[2] === "/projector" ? ProjectorView : m[2] === "/table" ? TableView : DocView;
  const v = new View(m[1].toLowerCase(), s);
  show(v.shell.el);
  page = v;
  v.start();
}

// /documents/{id}/history is the history and versions page (not live).
// /join?view=projector#TOKEN signs in and opens the projector view, so a
// projector PC needs no clicks; the view is read before the address is
// cleaned.
const joinView = location.pathname === "/join" ? new URLSearchParams(location.search).get("view") : null;

/** join reads the token from the fragment, drops it from the address bar and history, and signs in. */
async function join(): Promise<void> {
  const token = tokenFrom(location.hash);
  history.replaceState(null, "", "/join");
  if (!token) return loginPage("The join link has no token in it.");
  show(el("p", { class: "loading", text: "Signing in…" }));
  try {
    const s = await login(token);
    if (joinView === "projector" && s.document) navigate(`/documents/${s.document}/projector`, true);
    else home(s);
  } catch (e) {
    loginPage(e instanceof ApiError && e.status === 401 ? "That token is not valid (or has expired)." : (e as Error).message);
  }
}

function loginPage(problem: string): void {
  const input = el("input", { id: "token", type: "password", autocomplete: "off", spellcheck: "false", required: true, "aria-describedby": "token-help" }) as HTMLInputElement;
  const err = el("p", { class: "bad", role: "alert", text: problem, hidden: !problem });
  const form = el(
    "form",
    { class: "login" },
    el("h1", { text: "Draftroom" }),
    el("p", { text: "Live drafting of resolutions." }),
    el("label", { for: "token", text: "Your join link or token" }),
    input,
    el("p", { id: "token-help", class: "hint", text: "Paste the join link the secretariat gave you (…/join#drt_…), or the token alone." }),
    err,
    el("button", { type: "submit", class: "btn primary" }, "Sign in"),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const token = tokenFrom(input.value);
    if (!token) {
      err.textContent = "That is neither a token (drt_…) nor a join link holding one.";
      err.hidden = false;
      return;
    }
    try {
      home(await login(token));
    } catch (x) {
      err.textContent = x instanceof ApiError && x.status === 401 ? "That token is not valid (or has expired)." : (x as Error).message;
      err.hidden = false;
    }
  });
  if (location.pathname !== "/" && location.pathname !== "/login") history.replaceState(null, "", "/login");
  show(el("main", { class: "center" }, form));
  input.focus();
}

async function listPage(s: Session): Promise<void> {
  try {
    const { documents: docs } = await documents();
    show(
      el(
        "main",
        { class: "center" },
        el("h1", { text: "Documents" }),
        s.role === "admin" ? el("p", {}, el("a", { href: "/admin", "data-nav": "", text: "The secretariat's desk" })) : null,
        el("ul", { class: "doclist" }, ...docs.map((d) => el("li", {}, el("a", { href: `/documents/${d.id}`, "data-nav": "", dir: "auto", text: d.title }), d.base_ref ? ` — ${d.base_ref}` : ""))),
      ),
    );
  } catch (e) {
    show(message("Could not list documents.", (e as Error).message));
  }
}

function message(title: string, text: string): HTMLElement {
  return el("main", { class: "center" }, el("h1", { text: title }), el("p", { text }));
}

// A revoked token or an ended session signs the browser out.
setSignedOut((reason) => loginPage(reason));
setRouter((p) => void route(p));
void route(location.pathname);
