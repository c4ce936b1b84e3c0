import { describe, expect, it } from '@jest/globals';
import { escapeHtml, htmlEscapeSql } from '../escape.js';

describe('HTML escaping', () => {
  it('escapes markup and quotes, ampersands once', () => {
    expect(escapeHtml(`<b class="x">Tom & Jerry's</b> &amp;`)).toBe(
      '&lt;b class=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/b&gt; &amp;amp;',
    );
    expect(escapeHtml('张三')).toBe('张三');
  });

  it('escapes in SQL exactly as in TypeScript', () => {
    expect(htmlEscapeSql('n.resident_name')).toBe(
      `replace(replace(replace(replace(replace(n.resident_name, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;')`,
    );
  });
});
