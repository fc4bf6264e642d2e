/**
 * The UI's one stylesheet, served from this origin (the pages' CSP allows no inline style). System fonts, colours
 * with at least 4.5:1 contrast, a visible focus ring for keyboard use.
 */
export const STYLESHEET = `
:root { --fg: #1b1f24; --muted: #57606a; --bg: #ffffff; --line: #d0d7de; --accent: #0a58ca; --ok: #116329;
  --warn: #7d4e00; --bad: #a40e26; --soft: #f6f8fa; font-family: system-ui, -apple-system, "Segoe UI", Roboto,
  "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); line-height: 1.45; }
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem 1rem; }
.skip:focus { left: .5rem; z-index: 10; }
.banner { display: flex; align-items: center; gap: 1.5rem; padding: .6rem 1.5rem; background: #0d1b2a; color: #fff; }
.banner a { color: #fff; }
.brand { font-weight: 700; font-size: 1.15rem; text-decoration: none; letter-spacing: .02em; }
.banner nav ul { display: flex; gap: 1rem; list-style: none; margin: 0; padding: 0; }
.banner nav a[aria-current="page"] { text-decoration-thickness: 3px; text-underline-offset: 6px; }
.session { margin-left: auto; display: flex; gap: .75rem; align-items: center; font-size: .9rem; }
.session .muted { color: #c9d1d9; }
main { max-width: 72rem; margin: 0 auto; padding: 1.25rem 1.5rem 2rem; }
h1 { font-size: 1.5rem; margin: .25rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.75rem 0 .6rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1rem; margin: 1rem 0 .4rem; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: .85rem; }
code.digest.full { overflow-wrap: anywhere; }
pre { background: var(--soft); padding: .75rem; overflow-x: auto; border: 1px solid var(--line); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 1.25rem; }
@media (max-width: 50rem) { .grid2 { grid-template-columns: 1fr; } }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .9rem 1rem; }
.card h2 { margin-top: 0; }
.badge { display: inline-block; white-space: nowrap; padding: .05rem .5rem; border-radius: 1rem; font-size: .8rem; font-weight: 600;
  border: 1px solid currentColor; }
.state-open { color: var(--accent); } .state-approved { color: var(--ok); } .state-rejected { color: var(--bad); }
.state-withdrawn, .state-expired { color: var(--muted); }
.class-1 { color: var(--ok); } .class-2 { color: var(--warn); } .class-3 { color: var(--bad); }
.yes { color: var(--ok); font-weight: 600; } .no { color: var(--bad); font-weight: 600; }
.muted { color: var(--muted); }
.alert { border: 2px solid var(--bad); background: #fff5f5; padding: .75rem 1rem; border-radius: 6px; margin: 1rem 0; }
.notice { border: 2px solid var(--ok); background: #f3fbf5; padding: .75rem 1rem; border-radius: 6px; margin: 1rem 0; }
.alert code, .notice code { font-weight: 600; }
.button, button { display: inline-block; font: inherit; padding: .45rem 1rem; border-radius: 6px; cursor: pointer;
  border: 1px solid var(--accent); background: var(--accent); color: #fff; text-decoration: none; }
button.secondary { background: #fff; color: var(--bad); border-color: var(--bad); }
button.link { background: none; border: none; color: #fff; text-decoration: underline; padding: 0; }
button:disabled { background: #eaeef2; color: #57606a; border-color: var(--line); cursor: not-allowed; }
form.inline { display: inline; }
.actions { display: flex; gap: .75rem; margin-top: .75rem; }
label { display: block; font-weight: 600; margin: .5rem 0 .25rem; }
textarea { width: 100%; min-height: 4.5rem; font: inherit; padding: .4rem; border: 1px solid #8c959f; border-radius: 4px; }
iframe.evidence { width: 100%; height: 60vh; border: 2px solid var(--line); border-radius: 6px; background: #fff; }
ol.refs > li { margin-bottom: .6rem; }
.footer { border-top: 1px solid var(--line); color: var(--muted); font-size: .85rem; padding: .75rem 1.5rem; }
details > summary { cursor: pointer; color: var(--accent); }
`;
