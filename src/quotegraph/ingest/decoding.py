"""Turn raw bytes into text, or say why not (binary ``E003``, undecodable ``E004``)."""

from __future__ import annotations

import codecs
import re

from quotegraph.errors import QuotegraphError

BINARY_SAMPLE_BYTES = 8192
BINARY_CONTROL_RATIO = 0.05
"""Share of control bytes above which a sample is binary; real text has almost none."""

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_TEXT_CONTROLS = frozenset(b"\t\n\v\f\r")
_CONTROL_BYTES = frozenset(range(32)) - _TEXT_CONTROLS | {0x7F}
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
# Browsers read these labels as windows-1252 (WHATWG encoding standard), so do we.
_WINDOWS_1252_ALIASES = frozenset({"ascii", "latin_1", "iso8859_1", "cp1252"})


def looks_binary(data: bytes) -> bool:
    """NUL bytes anywhere, or many control bytes at the start, mean this is not text."""
    if b"\x00" in data:
        return True
    sample = data[:BINARY_SAMPLE_BYTES]
    controls = sum(1 for byte in sample if byte in _CONTROL_BYTES)
    return bool(sample) and controls / len(sample) > BINARY_CONTROL_RATIO


def decode_text(data: bytes, source: str) -> tuple[str, str]:
    """Decode a plain-text file; returns the text and the encoding that was used.

    UTF-8 (BOM stripped) and UTF-16 with a BOM are accepted; otherwise windows-1252 is
    accepted only if it yields text free of control characters, since almost any byte
    string "decodes" as cp1252 and only clean text makes that guess credible.
    """
    if data.startswith(_UTF16_BOMS):
        return _decode_utf16(data, source), "utf-16"
    if looks_binary(data):
        raise QuotegraphError("E003", source=source, detail="NUL or control bytes found")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if data.startswith(codecs.BOM_UTF8):
        # The BOM says UTF-8, so a cp1252 reading would only produce mojibake.
        raise QuotegraphError("E004", source=source, detail=f"bad UTF-8: {utf8_error.reason}")
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is None or _CONTROL_CHARS.search(text):
        raise QuotegraphError(
            "E004",
            source=source,
            detail=f"not UTF-8: {utf8_error.reason} "
            f"at byte {utf8_error.start}, and not clean windows-1252 text",
        )
    return text, "cp1252"


def _decode_utf16(data: bytes, source: str) -> str:
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise QuotegraphError("E004", source=source, detail=f"bad UTF-16: {exc.reason}") from exc
    if "\x00" in text:
        raise QuotegraphError("E003", source=source, detail="NUL characters in UTF-16 text")
    return text


def decode_html(data: bytes, source: str) -> str:
    """Decode an HTML page: BOM, then declared charset, then UTF-8, then windows-1252.

    Undecodable bytes become U+FFFD, as in a browser: one bad byte in a page that declares
    its charset should not lose the article.
    """
    if data.startswith(_UTF16_BOMS):
        return _decode_utf16(data, source)
    if looks_binary(data):
        raise QuotegraphError("E003", source=source, detail="NUL or control bytes found")
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", "replace")
    declared = _declared_encoding(data)
    if declared:
        return data.decode(declared, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


_NOT_PAGE_ENCODINGS = frozenset(
    {
        "idna",
        "punycode",
        "undefined",
        "raw-unicode-escape",
        "unicode-escape",
        "rot-13",
        "uu",
        "zlib",
        "bz2",
        "base64",
        "hex",
        "quopri",
        "mbcs",
        "oem",
        "palmos",
    }
)


def _declared_encoding(data: bytes) -> str | None:
    match = _DECLARED_CHARSET.search(data[:4096])
    if match is None:
        return None
    return encoding_for_label((match.group(1) or match.group(2)).decode("ascii"))


def encoding_for_label(label: str) -> str | None:
    """The Python codec for a charset label a page (or its HTTP header) declares, or None
    when the label names no usable page encoding."""
    try:
        info = codecs.lookup(label.strip().strip("\"'"))
    except LookupError:
        return None
    # Python also registers bytes-to-bytes and special codecs (base64, hex, rot13, idna,
    # punycode ...) under names a page may declare; only real text encodings qualify.
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_PAGE_ENCODINGS:
        return None
    name = info.name
    if name.replace("-", "_") in _WINDOWS_1252_ALIASES:
        return "cp1252"
    # A page cannot really be UTF-16 without a BOM; the declaration is then a lie.
    return None if name.startswith("utf-16") else name
