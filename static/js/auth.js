/* zhengshou map page: who is writing, and the headers a write carries.
 *
 * Owns the page's idea of the signed-in account. A person signs in with a user name and
 * password (a session cookie, HttpOnly, set by POST /api/v1/auth/sign-in); every write then
 * sends the session's CSRF token in X-CSRF-Token, which a cross-site form cannot know. Scripts
 * and the browser tests may instead keep an editor's bearer token in sessionStorage
 * (zs-editor-token), sent as Authorization. Modules that write ask writeHeaders() and
 * currentUser(), and redraw on onAuthChange().
 *
 * Contract kept stable for the modules that write (ingest.js, drawing): currentUser(),
 * canEdit(), writeHeaders(), loadSession(), onAuthChange(fn), TOKEN_KEY. Besides:
 * signInExpired() says that this browser's sign-in has ended (the sign-in control tells the
 * planner so), and noteRefusal(body) lets a writer report a refused write's error body, so
 * that an expired session signs the page out at once instead of failing write after write.
 */
import { apiFetch } from "./state.js";

export const TOKEN_KEY = "zs-editor-token";

let session = null; // {user: {name, role}, csrf_token} from /api/v1/auth/me, or null
let expired = false; // the server said this browser's sign-in has ended
const listeners = [];

/** The signed-in account ({name, role, via}) or null. A stored bearer token counts as an
 * editor whose name the server knows (via "token"). */
export function currentUser() {
  if (session && session.user) return { ...session.user, via: "session" };
  if (sessionStorage.getItem(TOKEN_KEY)) return { name: null, role: "editor", via: "token" };
  return null;
}

/** Whether the page should offer editing tools (editor or admin). */
export function canEdit() {
  const user = currentUser();
  return Boolean(user && (user.role === "editor" || user.role === "admin"));
}

/** The headers a write needs: the session's CSRF token, or the stored bearer token. */
export function writeHeaders() {
  if (session && session.user) return { "X-CSRF-Token": session.csrf_token };
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** Ask the server who this browser is signed in as (no account: null). */
export async function loadSession() {
  try {
    const response = await apiFetch("/api/v1/auth/me", { credentials: "same-origin" });
    const answer = response.ok ? await response.json() : null;
    session = answer && answer.user ? answer : null;
    expired = Boolean(answer && answer.expired);
  } catch (_) {
    session = null;
  }
  notify();
  return currentUser();
}

/** Set the session from a sign-in or sign-out answer ({user, csrf_token} or null). */
export function setSession(answer) {
  session = answer && answer.user ? answer : null;
  expired = false;
  notify();
}

/** Whether this browser held a sign-in that has ended (expired, signed out elsewhere,
 * account disabled); cleared by the next sign-in or sign-out. */
export function signInExpired() {
  return expired && !session;
}

/** A writer's refused answer ({error: {code, message}}): an ended session signs the page out.
 * Returns true when it did. */
export function noteRefusal(body) {
  const code = body && body.error && body.error.code;
  if (code !== "session_expired" || !session) return false;
  session = null;
  expired = true;
  notify();
  return true;
}

/** Call ``fn`` whenever the signed-in account changes. */
export function onAuthChange(fn) {
  listeners.push(fn);
}

function notify() {
  for (const fn of listeners) fn(currentUser());
}
