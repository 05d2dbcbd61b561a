import type { Session } from './sessions.js';

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** A tagged template that escapes every interpolated value unless it is already {@link SafeHtml}. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += toHtml(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** HTML that is already escaped. */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

function toHtml(value: unknown): string {
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(toHtml).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

const STYLE = `
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header.top{display:flex;gap:24px;align-items:center;padding:10px 24px;background:#1f3a68;color:#fff}
header.top a{color:#fff;text-decoration:none}header.top .brand{font-weight:700;font-size:16px}header.top nav{display:flex;gap:16px;flex:1}
header.top form{margin:0}header.top button{background:none;border:1px solid #9fb3d9;color:#fff;border-radius:4px;padding:3px 10px;cursor:pointer}
main{max-width:1040px;margin:24px auto;padding:0 24px}h1{font-size:22px;margin:0 0 12px}h2{font-size:16px;margin:24px 0 8px}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #e1e4ea}th,td{padding:6px 10px;text-align:left;border-bottom:1px solid #eceef2;vertical-align:top}
th{background:#f0f2f5;font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.card{background:#fff;border:1px solid #e1e4ea;border-radius:6px;padding:16px;margin:12px 0}
.flash{padding:10px 14px;border-radius:6px;margin:12px 0}.flash.error{background:#fde8e8;color:#8a1c1c}.flash.ok{background:#e6f4ea;color:#1e5b2e}
.status{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;background:#e8eefc;color:#2146b5}.status.active{background:#e6f4ea;color:#1e5b2e}
form.inline{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:0}input,select{padding:4px 6px;border:1px solid #c5cad3;border-radius:4px}
input.quota{width:70px}button.primary,a.button{background:#2c5fc4;color:#fff;border:none;border-radius:4px;padding:6px 12px;cursor:pointer;text-decoration:none;display:inline-block}
.actions a{margin-right:12px}.total{font-size:24px;font-weight:700}.muted{color:#5a6272}.charts{display:flex;flex-wrap:wrap;gap:16px}
svg .bar{fill:#3b6fd8}svg .axis{stroke:#9aa3b2}svg text{font-size:11px;fill:#3a4252}`;

/** A whole page: the top bar (who is signed in, sign out), a flash message, and the body. */
export function page(input: {
  title: string;
  session?: Session;
  body: SafeHtml;
  flash?: { kind: 'ok' | 'error'; text: string };
  script?: string;
}): string {
  const user = input.session?.user;
  const top = html`<header class="top">
  <a class="brand" href="/">OCX portal</a>
  <nav><a href="/">Projects</a><a href="/catalog">Catalog</a></nav>
  ${
    user === undefined
      ? html`<a href="/login" id="sign-in">Sign in</a>`
      : html`<span id="signed-in-as">${user.name} (${user.organization})</span>
  <form method="post" action="/logout"><input type="hidden" name="csrf" value="${input.session?.csrf}"><button>Sign out</button></form>`
  }
</header>`;
  const flash =
    input.flash === undefined
      ? ''
      : html`<div class="flash ${input.flash.kind}" role="${input.flash.kind === 'error' ? 'alert' : 'status'}">${input.flash.text}</div>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)} · OCX portal</title><style>${STYLE}</style></head>
<body>${top}<main>${flash}${input.body}</main>${input.script === undefined ? '' : `<script>${input.script}</script>`}</body></html>`;
}

/** Amount with a currency, at least two decimals, digits as computed (never through a float). */
export function money(amount: string, currency: string): string {
  const [whole = '0', fraction = ''] = amount.split('.');
  return `${whole}.${fraction.padEnd(2, '0')} ${currency}`;
}
