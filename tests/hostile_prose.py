"""A corpus of hostile catalog prose: each payload tries to run script, load something, or make
the page show other text than the YAML says.

Classes: the bypasses seen against the old escaper (issue 9), and the filter-evasion families
of the OWASP XSS cheat sheet that apply to Markdown with HTML (event handlers, malformed and
nested tags, encoded schemes, embedded whitespace, protocol-relative and data: URLs, SVG/math,
style, meta/base/iframe/object/form, comments, attribute breaking) plus Markdown-specific ones
(link and image destinations, reference definitions, autolinks, attribute lists, templates).

``impact`` is set for payloads that work by pairing two values (meaning, then impact).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Payload:
    id: str
    text: str
    impact: str | None = None


PAYLOADS: tuple[Payload, ...] = (
    # --- what got through the old escaper ---
    Payload("span-across-heading", "`code\n# <img src=x onerror=alert(1)>`"),
    Payload("span-across-quote", "`a\n> <svg onload=alert(1)>`"),
    Payload("tilde-fence-text-after", "~~~ text after\n<img src=x onerror=alert(1)>\n~~~"),
    Payload("autolink-attributes", "<mailto:a/onfocus=alert(1)/autofocus>"),
    Payload("autolink-http-attributes", '<https://x" onmouseover="alert(1)>'),
    Payload("collapsed-fence", "``` <img src=x onerror=alert(1)> ```"),
    Payload("fence-pairs-across-fields", "The queue is stuck.\n\n```",
            impact="```\n<img src=x onerror=alert(1)>"),
    Payload("unclosed-fence-swallows", "Restart the pod.\n\n```sh\nkubectl rollout restart"),
    Payload("entity-scheme-decimal", "[x](java&#115;cript:alert(1))"),
    Payload("entity-scheme-colon", "[x](javascript&#58;alert(1))"),
    Payload("entity-scheme-hex", "[x](&#x6A;avascript:alert(1))"),
    Payload("entity-no-semicolons",
            "[x](&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58alert(1))"),
    Payload("reference-link-scheme", "[x][r]\n\n[r]: javascript:alert(1)"),
    Payload("reference-link-title", '[x][r]\n\n[r]: <javascript:alert(1)> "t"'),
    Payload("scheme-split-lines", "[x](java\nscript:alert(1))"),
    Payload("scheme-tab", "[x](java\tscript:alert(1))"),
    Payload("scheme-leading-space", "[x]( javascript:alert(1))"),
    Payload("scheme-upper", "[x](JaVaScRiPt:alert(1))"),
    # --- OWASP families: tags and handlers ---
    Payload("script-tag", "<script>alert(1)</script>"),
    Payload("script-split", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    Payload("img-onerror", "<img src=x onerror=alert(1)>"),
    Payload("img-no-quotes-backtick", "<img src=`x` onerror=`alert(1)`>"),
    Payload("svg-onload", "<svg/onload=alert(1)>"),
    Payload("body-onload", "<body onload=alert(1)>"),
    Payload("iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    Payload("object-data", '<object data="javascript:alert(1)"></object>'),
    Payload("embed-src", '<embed src="data:text/html,<script>alert(1)</script>">'),
    Payload("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    Payload("base-href", '<base href="javascript:alert(1)//">'),
    Payload("form-action", '<form action="javascript:alert(1)"><button>go</button></form>'),
    Payload("input-autofocus", "<input autofocus onfocus=alert(1)>"),
    Payload("details-toggle", "<details open ontoggle=alert(1)>"),
    Payload("math-href", '<math href="javascript:alert(1)">x</math>'),
    Payload("style-tag", "<style>*{background:url(javascript:alert(1))}</style>"),
    Payload("style-attribute", '<p style="background:url(javascript:alert(1))">x</p>'),
    Payload("malformed-a", '<a """><script>alert(1)</script>">'),
    Payload("half-open-tag", "<img src=x onerror=alert(1)//"),
    Payload("comment-hides", "<!-- <img src=x onerror=alert(1)> -->"),
    Payload("comment-unclosed", "<!-- <img src=x onerror=alert(1)>"),
    Payload("conditional-comment", "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->"),
    Payload("cdata", "<![CDATA[<script>alert(1)</script>]]>"),
    # A browser ends these bogus comments at the first '>' (Python's HTMLParser does not).
    Payload("cdata-bogus-comment", "<![CDATA[ x > <img src=x onerror=alert(1)> ]]>"),
    Payload("bang-bogus-comment", "<!x onerror=1><img src=x onerror=alert(1)>"),
    Payload("pi-bogus-comment", "<?php x ?><img src=x onerror=alert(1)>"),
    Payload("null-byte", "<scri\x00pt>alert(1)</script>"),
    Payload("encoded-tag", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    Payload("attribute-breakout", '[x](https://example.com/"onmouseover="alert(1))'),
    # --- Markdown-specific ---
    Payload("image-onerror-title", '![x](https://example.com/a.png "x\\" onerror=\\"alert(1))'),
    Payload("image-data-url", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"),
    Payload("link-data-url", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    Payload("link-vbscript", "[x](vbscript:msgbox(1))"),
    Payload("protocol-relative", "[x](//evil.example.com/%0Aalert(1))"),
    Payload("attr-list", "# Heading {: onclick=alert(1) }\n\nText {: .x onmouseover=alert(1) }"),
    Payload("jinja", "{{ config }} {% for x in range(10) %}{{ x }}{% endfor %}"),
    Payload("md-in-html", '<div markdown="1">[x](javascript:alert(1))</div>'),
    Payload("nested-brackets", "[[x](javascript:alert(1))](https://example.com)"),
    Payload("html-in-table", "| a |\n|---|\n| <img src=x onerror=alert(1)> |"),
    Payload("admonition-title", '!!! note "<img src=x onerror=alert(1)>"\n    body'),
    Payload("heading-swallow", "Text\n\n## Impact\n\n<h2>Fake</h2>\n\n---"),
)
"""The corpus: 60 payloads."""
