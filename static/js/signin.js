/* zhengshou map page: the sign-in control in the top bar.
 *
 * Owns the 登录 button, its small form (用户名, 密码) and, once signed in, the account's name
 * and role with 退出. Signing in posts the name and password to /api/v1/auth/sign-in (the
 * server sets an HttpOnly cookie the page never sees); auth.js keeps the answer's CSRF token
 * for writes. Refusals are told in plain words: a wrong name or password, a disabled account,
 * too many failures (with the minutes to wait), an expired sign-in.
 */
import { currentUser, onAuthChange, setSession, signInExpired } from "./auth.js";
import { addStrings, onLangChange, t } from "./i18n.js";
import { apiFetch } from "./state.js";

addStrings({
  zh: {
    signIn: "登录",
    signOut: "退出",
    signInName: "用户名",
    signInPassword: "密码",
    signInSubmit: "登录",
    signInCancel: "取消",
    signInWorking: "正在登录…",
    signInWho: "{name}（{role}）",
    role_viewer: "查看",
    role_editor: "编辑",
    role_admin: "管理员",
    signInRefused: "用户名或密码不对。",
    signInDisabled: "该账户已停用，请联系管理员。",
    signInTooMany: "登录失败次数过多，请 {m} 分钟后再试。",
    signInExpired: "登录已过期，请重新登录。",
    signInNeedBoth: "请填写用户名和密码。",
    signInFailed: "未能登录：{m}",
  },
  en: {
    signIn: "Sign in",
    signOut: "Sign out",
    signInName: "User name",
    signInPassword: "Password",
    signInSubmit: "Sign in",
    signInCancel: "Cancel",
    signInWorking: "Signing in…",
    signInWho: "{name} ({role})",
    role_viewer: "viewer",
    role_editor: "editor",
    role_admin: "administrator",
    signInRefused: "The user name or the password is not right.",
    signInDisabled: "This account is disabled; ask an administrator.",
    signInTooMany: "Too many failed sign-ins; try again in {m} minutes.",
    signInExpired: "Your sign-in has expired; sign in again.",
    signInNeedBoth: "Enter your user name and password.",
    signInFailed: "Could not sign in: {m}",
  },
});

let box;
let message = null; // {key, vars}: what the last attempt or the server told, redrawn on a language switch

function el(html) {
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  return template.content.firstElementChild;
}

function say(key, vars) {
  message = key ? { key, vars } : null;
  render();
}

/** What a refused sign-in is told, from the status and the error body's code. */
function refusal(response, body) {
  const code = body && body.error ? body.error.code : "";
  if (response.status === 429) {
    const seconds = Number(response.headers.get("Retry-After")) || 60;
    return ["signInTooMany", { m: Math.max(1, Math.ceil(seconds / 60)) }];
  }
  if (code === "account_disabled") return ["signInDisabled"];
  if (code === "sign_in_refused") return ["signInRefused"];
  return ["signInFailed", { m: (body && body.error && body.error.message) || `HTTP ${response.status}` }];
}

async function submit(event) {
  event.preventDefault();
  const name = box.querySelector("#signin-name").value.trim();
  const password = box.querySelector("#signin-password").value;
  if (!name || !password) return say("signInNeedBoth");
  say("signInWorking");
  box.querySelector("#signin-submit").disabled = true;
  try {
    const response = await apiFetch("/api/v1/auth/sign-in", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name, password }),
    });
    const body = await response.json().catch(() => null);
    if (!response.ok) return say(...refusal(response, body));
    box.querySelector("#signin-password").value = "";
    message = null;
    box.querySelector("#signin-form").hidden = true;
    setSession(body); // redraws through onAuthChange
  } catch (error) {
    say("signInFailed", { m: error.message });
  } finally {
    box.querySelector("#signin-submit").disabled = false;
  }
}

async function signOut() {
  try {
    await apiFetch("/api/v1/auth/sign-out", { method: "POST" });
  } finally {
    setSession(null);
  }
}

function render() {
  const user = currentUser();
  const bySession = Boolean(user && user.via === "session");
  if (!bySession && !message && signInExpired()) message = { key: "signInExpired" };
  box.querySelector("#signin-open").hidden = bySession;
  box.querySelector("#signin-out").hidden = !bySession;
  const who = box.querySelector("#signin-who");
  who.hidden = !bySession;
  who.textContent = bySession ? t("signInWho", { name: user.name, role: t(`role_${user.role}`) }) : "";
  box.querySelectorAll("[data-i18n]").forEach((node) => (node.textContent = t(node.dataset.i18n)));
  const line = box.querySelector("#signin-message");
  line.textContent = message ? t(message.key, message.vars) : "";
  line.hidden = !message;
  line.classList.toggle("signin-error", Boolean(message && message.key !== "signInWorking"));
  box.querySelector(".signin-panel").hidden = line.hidden && box.querySelector("#signin-form").hidden;
}

/** Add the sign-in control to ``parent`` (the top bar). */
export function initSignIn(parent) {
  box = el(`
    <div id="signin" class="signin">
      <span id="signin-who" class="signin-who" hidden></span>
      <button type="button" id="signin-open" class="signin-button" data-i18n="signIn"></button>
      <button type="button" id="signin-out" class="signin-button" data-i18n="signOut" hidden></button>
      <div class="signin-panel" hidden>
        <form id="signin-form" class="signin-form" hidden>
          <label><span data-i18n="signInName"></span>
            <input id="signin-name" name="username" autocomplete="username" maxlength="64"></label>
          <label><span data-i18n="signInPassword"></span>
            <input id="signin-password" name="password" type="password" autocomplete="current-password" maxlength="256"></label>
          <div class="signin-actions">
            <button type="submit" id="signin-submit" class="button primary" data-i18n="signInSubmit"></button>
            <button type="button" id="signin-cancel" class="button" data-i18n="signInCancel"></button>
          </div>
        </form>
        <p id="signin-message" class="signin-message" role="status" aria-live="polite" hidden></p>
      </div>
    </div>`);
  parent.append(box);
  const form = box.querySelector("#signin-form");
  box.querySelector("#signin-open").addEventListener("click", () => {
    form.hidden = !form.hidden;
    render();
    if (!form.hidden) box.querySelector("#signin-name").focus();
  });
  box.querySelector("#signin-cancel").addEventListener("click", () => {
    form.hidden = true;
    say(null);
  });
  box.querySelector("#signin-out").addEventListener("click", signOut);
  form.addEventListener("submit", submit);
  onAuthChange(() => render());
  onLangChange(render);
  render();
}
