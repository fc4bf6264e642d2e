import { describe, expect, it } from 'vitest';
import { escapeHtml, html, trustedMarkup } from './html.js';

describe('escapeHtml', () => {
  it('escapes the five characters that can open markup or close an attribute', () => {
    expect(escapeHtml(`<script>alert("x" + 'y') & </script>`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot; + &#39;y&#39;) &amp; &lt;/script&gt;',
    );
  });

  it('leaves other text, including non-ASCII, as it is', () => {
    expect(escapeHtml('age_band=<25 → 25-34 · ü')).toBe('age_band=&lt;25 → 25-34 · ü');
  });
});

describe('html', () => {
  it('escapes interpolated strings, keeps markup, joins lists', () => {
    const name = '"><img src=x>';
    const markup = html`<td title="${name}">${[name, html`<b>${name}</b>`]}</td>`;
    expect(markup.markup).toBe(
      '<td title="&quot;&gt;&lt;img src=x&gt;">&quot;&gt;&lt;img src=x&gt;<b>&quot;&gt;&lt;img src=x&gt;</b></td>',
    );
  });

  it('keeps trusted constants as markup', () => {
    expect(html`<style>${trustedMarkup('a > b {}')}</style>`.markup).toBe('<style>a > b {}</style>');
  });
});
