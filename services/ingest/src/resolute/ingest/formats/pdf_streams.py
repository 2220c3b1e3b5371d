"""How far a PDF's streams inflate, measured before any PDF library decodes them.

A flate stream of a few kilobytes can inflate to gigabytes, and PDF readers decode a page's content
streams and fonts whole (PDFium caps one stream at 1 GiB). So every stream the text reader would decode
(content, fonts, object and cross-reference streams; not images, which text extraction never decodes) is
inflated here first, in bounded chunks that are counted and dropped, through its whole filter chain
(`[/FlateDecode /FlateDecode]` included). The sum must stay within the limits' budget, or the document is
refused before it is parsed. Streams are found by their `stream`/`endstream` keywords, so a damaged
cross-reference table does not hide one.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from collections.abc import Iterator

from resolute.ingest.formats.limits import ReadLimits

_CHUNK = 64 * 1024
_FILTERS = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_NAME = re.compile(rb"/([A-Za-z0-9]+)")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_ALIASES = {
    b"Fl": b"FlateDecode",
    b"LZW": b"LZWDecode",
    b"RL": b"RunLengthDecode",
    b"AHx": b"ASCIIHexDecode",
    b"A85": b"ASCII85Decode",
}
_ENCRYPT = re.compile(rb"/Encrypt\s+(?:\d+\s+\d+\s+R|<<)")


def is_encrypted(content: bytes) -> bool:
    """Whether the file declares an /Encrypt dictionary (its streams are then ciphertext here)."""
    return _ENCRYPT.search(content) is not None


def check_stream_budget(content: bytes, limits: ReadLimits) -> int:
    """The bytes the PDF's decodable streams inflate to; DocumentTooLarge as soon as the budget is passed."""
    budget = limits.decompressed_budget(len(content))
    view = memoryview(content)
    total = 0
    pos = 0
    while True:
        i = content.find(b"stream", pos)
        if i < 0:
            return total
        if content[i - 3 : i] == b"end":
            pos = i + 6
            continue
        start = i + 6
        if content[start : start + 2] == b"\r\n":
            start += 2
        elif content[start : start + 1] in (b"\n", b"\r"):
            start += 1
        else:
            pos = start
            continue
        head_from = content.rfind(b"obj", max(0, i - 8192), i)
        header = content[head_from if head_from >= 0 else max(0, i - 8192) : i]
        end = content.find(b"endstream", start)
        if end < 0:
            end = len(content)
        data = view[start:end]
        if _IMAGE.search(header):
            total += len(data)
        else:
            for chunk in _decode(iter([data]), _filters(header)):
                total += len(chunk)
                if total > budget:
                    raise limits.refuse_decompressed("the PDF", len(content))
        if total > budget:
            raise limits.refuse_decompressed("the PDF", len(content))
        pos = end + 9


def _filters(header: bytes) -> list[bytes]:
    found = list(_FILTERS.finditer(header))
    if not found:
        return []
    names = _NAME.findall(found[-1].group(1))  # the last /Filter before `stream` is the stream's own
    return [_ALIASES.get(n, n) for n in names]


def _decode(chunks: Iterator[memoryview | bytes], filters: list[bytes]) -> Iterator[bytes]:
    stream: Iterator[memoryview | bytes] = chunks
    for name in filters:
        if name == b"FlateDecode":
            stream = _inflate(stream)
        elif name == b"LZWDecode":
            stream = _lzw(stream)
        elif name == b"RunLengthDecode":
            stream = _run_length(stream)
        elif name == b"ASCIIHexDecode":
            stream = _ascii_hex(stream)
        elif name == b"ASCII85Decode":
            stream = _ascii85(stream)
        else:
            break  # image codecs and crypt filters: nothing a text reader inflates further
    for chunk in stream:
        yield bytes(chunk)


def _inflate(chunks: Iterator[memoryview | bytes]) -> Iterator[bytes]:
    inflater = zlib.decompressobj()
    try:
        for chunk in chunks:
            data: bytes | memoryview = chunk
            while data:
                out = inflater.decompress(data, _CHUNK)
                if out:
                    yield out
                data = inflater.unconsumed_tail
                if inflater.eof:
                    return
        tail = inflater.flush()
        if tail:
            yield tail
    except zlib.error:
        return  # a damaged stream inflates no further here, nor in the reader


def _run_length(chunks: Iterator[memoryview | bytes]) -> Iterator[bytes]:
    data = b"".join(bytes(c) for c in chunks)
    i, out = 0, bytearray()
    while i < len(data):
        n = data[i]
        if n == 128:
            break
        if n < 128:
            out += data[i + 1 : i + 2 + n]
            i += n + 2
        else:
            out += data[i + 1 : i + 2] * (257 - n)
            i += 2
        if len(out) >= _CHUNK:
            yield bytes(out)
            out.clear()
    if out:
        yield bytes(out)


def _ascii_hex(chunks: Iterator[memoryview | bytes]) -> Iterator[bytes]:
    data = re.sub(rb"[^0-9A-Fa-f]", b"", b"".join(bytes(c) for c in chunks).split(b">", 1)[0])
    if len(data) % 2:
        data += b"0"
    try:
        yield binascii.unhexlify(data)
    except binascii.Error:
        return


def _ascii85(chunks: Iterator[memoryview | bytes]) -> Iterator[bytes]:
    data = b"".join(bytes(c) for c in chunks).split(b"~>", 1)[0]
    data = re.sub(rb"\s", b"", data)
    try:
        yield base64.a85decode(data + b"~>", adobe=True)
    except ValueError:
        return


def _lzw(chunks: Iterator[memoryview | bytes]) -> Iterator[bytes]:
    """PDF's LZW (early change): decoded in chunks, so a bomb is caught before it is held."""
    data = b"".join(bytes(c) for c in chunks)
    table: list[bytes] = [bytes([i]) for i in range(256)] + [b"", b""]
    width, bits, nbits, prev = 9, 0, 0, b""
    out = bytearray()
    for byte in data:
        bits = (bits << 8) | byte
        nbits += 8
        while nbits >= width:
            nbits -= width
            code = (bits >> nbits) & ((1 << width) - 1)
            if code == 256:
                table = table[:258]
                width, prev = 9, b""
                continue
            if code == 257:
                if out:
                    yield bytes(out)
                return
            if code < len(table):
                entry = table[code]
                if prev:
                    table.append(prev + entry[:1])
            elif prev:
                entry = prev + prev[:1]
                table.append(entry)
            else:
                return
            out += entry
            prev = entry
            if len(table) + 1 >= (1 << width) and width < 12:
                width += 1
            if len(out) >= _CHUNK:
                yield bytes(out)
                out.clear()
    if out:
        yield bytes(out)
