"""The two pages a browser is ever sent: the drill's terminal (everything inlined), and a plain refusal."""

from __future__ import annotations

import html
from functools import cache
from importlib import resources

from drilltui.visible import visible

# Scripts run only with the page's nonce; xterm.js sets styles of its own, so inline styles are allowed.
CSP = ("default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; connect-src 'self'; "
       "img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


@cache
def _asset(name: str) -> str:
    return (resources.files("drilltui.remote.web") / "static" / name).read_text(encoding="utf-8")


def _script(text: str) -> str:
    return text.replace("</script", "<\\/script")


def terminal_page(title: str, nonce: str, font_size: int = 15) -> str:
    """The page that runs the participant's session: xterm.js, its fit add-on and our glue, inline."""
    scripts = "".join(f'<script nonce="{nonce}">{_script(_asset(name))}</script>\n'
                      for name in ("xterm.js", "addon-fit.js", "drilltui.js"))
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<title>{html.escape(visible(title))}</title>
<style>{_asset("xterm.css")}
html, body {{ margin: 0; height: 100%; background: #000; }}
body {{ display: flex; flex-direction: column; }}
#terminal {{ flex: 1; min-height: 0; }}
#status {{ font: 14px sans-serif; color: #fff; background: #333; padding: 4px 8px; }}
body.ended #terminal {{ opacity: 0.5; }}
</style>
</head>
<body>
<div id="status" hidden></div>
<div id="terminal" data-font-size="{int(font_size)}"></div>
{scripts}</body>
</html>
"""


def refusal_page(message: str) -> str:
    """A plain page saying why there is nothing here, and nothing else."""
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>drilltui</title></head>
<body>
<p>{html.escape(visible(message))}</p>
<p>Ask the exercise director for a new invitation.</p>
</body>
</html>
"""
