"""Generated blocks of Markdown files: the text between two HTML-comment markers."""

from __future__ import annotations

import re


def replace_block(text: str, block: str, start: str, end: str) -> str:
    """`text` with what lies between the markers `start` and `end` replaced by `block`."""
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise ValueError(f"no {start} ... {end} block to replace")
    return pattern.sub(lambda _: f"{start}\n{block}\n{end}", text)
