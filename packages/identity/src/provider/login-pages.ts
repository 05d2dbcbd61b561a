/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * The sign-in page of the local identity provider: a plain form a browser (the portal's real
 * login) or a script posts to. It names the client but never lists the provider's users.
 */
export function loginPage(input: { uid: string; clientId: string; error?: string; login?: string }): string {
  const uid = encodeURIComponent(input.uid);
  const error = input.error === undefined ? '' : `<p class="error" role="alert">${escapeHtml(input.error)}</p>`;
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto}label,input,button{display:block;width:100%;margin:.4rem 0}.error{color:#b00020}</style>
</head>
<body>
<h1>Sign in</h1>
<p>to continue to <strong>${escapeHtml(input.clientId)}</strong></p>
${error}
<form method="post" action="/interaction/${uid}/login" autocomplete="off">
<label for="login">User name or e-mail</label>
<input id="login" name="login" required autofocus value="${escapeHtml(input.login ?? '')}">
<label for="password">Password (if you have one)</label>
<input id="password" name="password" type="password">
<button type="submit">Sign in</button>
</form>
<form method="post" action="/interaction/${uid}/abort"><button type="submit">Cancel</button></form>
</body>
</html>`;
}

/** A short error page (an expired or unknown interaction). */
export function errorPage(message: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign-in error</title></head><body><h1>Sign-in error</h1><p>${escapeHtml(message)}</p></body></html>`;
}
