"""Build a small ``libicudata.so.NN`` for the Linux bundle: the ICU data the program's Qt uses.

    python tools/trim_icu.py SOURCE_LIB OUTPUT_LIB [--list]

PySide6's Linux wheel ships ICU with all of its data (``libicudata.so.73``, 31 MB: every
locale, every legacy code page, dictionaries for Thai/Khmer/CJK line breaking…). Qt Core is the
only part of the bundle that calls ICU, and only for: collation (``ucol_*``: QCollator, the
file dialog's sorting), time zones (``ucal_*``: canonical ids and display names), case mapping
(``u_strToUpper/Lower``: properties compiled into libicuuc, no data file) and legacy text
codecs (``ucnv_*``: QStringDecoder/Encoder for names Qt does not handle itself). The program
sorts and searches Vietnamese with its own ``app.text``; its user interface is Vietnamese with
English as Qt's fallback. So this tool keeps, from the library's common data blob:

- the locale data of root, Vietnamese and English (main tree, collation, time-zone names),
  with each tree's ``pool.res``/``res_index.res`` and the root collation table ``ucadata.icu``;
- the locale-independent data those services read: likely subtags, supplemental data,
  locale metadata, key types, numbering systems, zoneinfo64 and the meta-zone/time-zone type
  and Windows-zone tables, the ICU version;
- the converter alias table and the Windows-1252 and Windows-1258 (Vietnamese) code pages;
- the normalization data not compiled into libicuuc (NFKC, NFKC_CF, UTS #46).

Everything else (other locales, break-iterator rules and dictionaries, transliterators,
currency/language/region/unit names, number spell-out rules, other code pages, StringPrep
profiles, character names, confusables) is left out.

The kept items are copied byte for byte into a new ICU common-data blob (same header, new table
of contents) and assembled with binutils (``as``, ``ld``) into a shared library with the same
SONAME exporting the same symbol (``icudtNN_dat``). The result is checked: parsed back, and
loaded with the wheel's libicuuc/libicui18n to open a Vietnamese collator and name a time zone.

Errors: a library whose layout is not the one described here (not ELF64 little-endian, no
``icudtNN_dat`` symbol, versioned symbols, not an ICU common-data blob) raises
``UnrecognisedLayout``; the caller then keeps the original library and prints a warning. Any
other failure (a needed item missing, the assembler failing, the check failing) raises
``TrimError`` and must stop the build.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path


class TrimError(RuntimeError):
    """Trimming failed: the build must stop."""


class UnrecognisedLayout(TrimError):
    """The library is not laid out as expected: keep it untouched (with a warning)."""


LOCALES = ("root", "en", "en_US", "en_US_POSIX", "vi", "vi_VN")
TREES = ("", "coll/", "zone/")

# Patterns relative to the package prefix (``icudt73l/``).
KEPT = (
    *(f"{tree}{locale}.res" for tree in TREES for locale in LOCALES),
    *(f"{tree}{name}" for tree in TREES for name in ("pool.res", "res_index.res")),
    "coll/ucadata.icu",
    "likelySubtags.res",
    "langInfo.res",
    "supplementalData.res",
    "metadata.res",
    "keyTypeData.res",
    "numberingSystems.res",
    "icuver.res",
    "icustd.res",
    "zoneinfo64.res",
    "metaZones.res",
    "timezoneTypes.res",
    "windowsZones.res",
    "cnvalias.icu",
    "ibm-5348_P100-1997.cnv",  # windows-1252
    "ibm-5354_P100-1998.cnv",  # windows-1258 (Vietnamese)
    "nfkc.nrm",
    "nfkc_cf.nrm",
    "uts46.nrm",
)
# Without these the services Qt uses would silently fall back to root or fail.
REQUIRED = (
    "root.res",
    "pool.res",
    "vi.res",
    "en.res",
    "coll/root.res",
    "coll/ucadata.icu",
    "coll/vi.res",
    "zone/root.res",
    "zone/vi.res",
    "zone/en.res",
    "zone/pool.res",
    "zoneinfo64.res",
    "metaZones.res",
    "timezoneTypes.res",
    "supplementalData.res",
    "likelySubtags.res",
    "cnvalias.icu",
    "ibm-5354_P100-1998.cnv",
)

ALIGN = 16  # items and the blob itself are 16-byte aligned, as ICU's own tools write them
PAD = b"\xaa"  # the padding byte ICU's tools use


# --- ELF ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IcuLibrary:
    soname: str
    symbol: str  # icudt73_dat
    blob: bytes

    @property
    def version(self) -> str:
        return self.symbol[len("icudt") : -len("_dat")]


def read_library(path: Path) -> IcuLibrary:
    """The SONAME, the data symbol and the bytes it covers, read from an ELF64 LE library."""
    data = path.read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise UnrecognisedLayout(f"{path.name}: not a 64-bit little-endian ELF file")
    (shoff,) = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [
        struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)
    ]
    # (name, type, flags, addr, offset, size, link, info, addralign, entsize)
    types = {s[1] for s in sections}
    if types & {0x6FFFFFFD, 0x6FFFFFFE}:  # SHT_GNU_verdef / verneed: versioned symbols
        raise UnrecognisedLayout(f"{path.name}: carries symbol versions")
    dynsym = [s for s in sections if s[1] == 11]  # SHT_DYNSYM
    dynamic = [s for s in sections if s[1] == 6]  # SHT_DYNAMIC
    if len(dynsym) != 1 or len(dynamic) != 1:
        raise UnrecognisedLayout(f"{path.name}: no single dynamic symbol table")
    strtab = sections[dynsym[0][6]]

    def string(offset: int) -> str:
        start = strtab[4] + offset
        return data[start : data.index(b"\0", start)].decode("ascii")

    soname = None
    _, _, _, _, off, size, *_ = dynamic[0]
    for pos in range(off, off + size, 16):
        tag, value = struct.unpack_from("<qQ", data, pos)
        if tag == 14:  # DT_SONAME
            soname = string(value)
    found = []
    _, _, _, _, off, size, _, _, _, entsize = dynsym[0]
    for pos in range(off, off + size, entsize):
        st_name, st_info, _other, st_shndx, st_value, st_size = struct.unpack_from(
            "<IBBHQQ", data, pos
        )
        name = string(st_name)
        if re.fullmatch(r"icudt\d+_dat", name) and st_shndx not in (0, 0xFFF1, 0xFFF2):
            found.append((name, st_info, st_shndx, st_value, st_size))
    if soname is None or len(found) != 1:
        raise UnrecognisedLayout(f"{path.name}: no SONAME or no single icudtNN_dat symbol")
    name, info, shndx, value, size = found[0]
    if info != 0x11:  # STB_GLOBAL, STT_OBJECT
        raise UnrecognisedLayout(f"{path.name}: {name} is not a global data object")
    section = sections[shndx]
    start = value - section[3] + section[4]
    if not (section[4] <= start and start + size <= section[4] + section[5] <= len(data)):
        raise UnrecognisedLayout(f"{path.name}: {name} lies outside its section")
    return IcuLibrary(soname=soname, symbol=name, blob=data[start : start + size])


# --- ICU common data ------------------------------------------------------------------------


@dataclass(frozen=True)
class CommonData:
    header: bytes  # MappedData header + UDataInfo + comment, padded to headerSize
    prefix: str  # "icudt73l/"
    items: tuple[tuple[str, bytes], ...]  # (name without prefix, bytes), sorted by name


def parse_common(blob: bytes, version: str) -> CommonData:
    """Split an ICU common-data blob (format "CmnD" 1.x, table of contents with offsets)."""
    if len(blob) < 32:
        raise UnrecognisedLayout("the data blob is too short")
    header_size, magic1, magic2 = struct.unpack_from("<HBB", blob, 0)
    info_size, _res, big_endian, charset, sizeof_uchar = struct.unpack_from("<HHBBB", blob, 4)
    data_format, format_major = blob[12:16], blob[16]
    if (magic1, magic2) != (0xDA, 0x27) or data_format != b"CmnD" or format_major != 1:
        raise UnrecognisedLayout("the data blob is not an ICU common-data package (CmnD 1)")
    if big_endian or charset != 0 or sizeof_uchar != 2 or info_size < 20:
        raise UnrecognisedLayout("the data blob is not little-endian ASCII ICU data")
    if header_size % ALIGN or header_size >= len(blob):
        raise UnrecognisedLayout("the data blob's header has an unexpected size")
    toc = blob[header_size:]
    (count,) = struct.unpack_from("<I", toc, 0)
    if not 0 < count < 100_000 or 4 + 8 * count > len(toc):
        raise UnrecognisedLayout("the data blob's table of contents is not readable")
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    prefix = f"icudt{version}l/"
    names, offsets = [], []
    for name_offset, data_offset in entries:
        end = toc.find(b"\0", name_offset)
        if name_offset >= len(toc) or end < 0:
            raise TrimError("an item name lies outside the data blob")
        names.append(toc[name_offset:end].decode("ascii"))
        offsets.append(data_offset)
    if not all(name.startswith(prefix) for name in names):
        raise UnrecognisedLayout(f"the item names do not start with {prefix}")
    if names != sorted(names) or offsets != sorted(offsets) or offsets[-1] > len(toc):
        raise TrimError("the table of contents is not sorted or points outside the blob")
    items = []
    for index, (name, offset) in enumerate(zip(names, offsets, strict=True)):
        end = offsets[index + 1] if index + 1 < count else len(toc)
        item = toc[offset:end]
        if len(item) < 4 or item[2:4] != b"\xda\x27":
            raise TrimError(f"item {name} does not start with an ICU data header")
        items.append((name[len(prefix) :], item))
    return CommonData(header=blob[:header_size], prefix=prefix, items=tuple(items))


def _pad(data: bytes) -> bytes:
    return data + PAD * (-len(data) % ALIGN)


def write_common(common: CommonData) -> bytes:
    """A common-data blob with the header of ``common`` and its items (already sorted)."""
    count = len(common.items)
    names = b"".join((common.prefix + name).encode("ascii") + b"\0" for name, _ in common.items)
    toc_head = 4 + 8 * count
    first = toc_head + len(names)
    first += -first % ALIGN
    entries, name_offset, data_offset = [], toc_head, first
    body = []
    for name, item in common.items:
        entries.append(struct.pack("<II", name_offset, data_offset))
        name_offset += len(common.prefix + name) + 1
        body.append(_pad(item))
        data_offset += len(body[-1])
    toc = struct.pack("<I", count) + b"".join(entries) + names
    toc += PAD * (first - len(toc))
    return common.header + toc + b"".join(body)


def select(common: CommonData) -> CommonData:
    kept = tuple(
        (name, item)
        for name, item in common.items
        if any(fnmatch.fnmatchcase(name, pattern) for pattern in KEPT)
    )
    missing = sorted(set(REQUIRED) - {name for name, _ in kept})
    if missing:
        raise TrimError(f"ICU data lacks items the program needs: {', '.join(missing)}")
    return CommonData(header=common.header, prefix=common.prefix, items=kept)


# --- build and check ------------------------------------------------------------------------


def assemble(blob: bytes, symbol: str, soname: str, output: Path) -> None:
    """Write a shared library exporting ``symbol`` over ``blob`` (binutils: as, ld)."""
    tools = {tool: shutil.which(tool) for tool in ("as", "ld")}
    if not all(tools.values()):
        raise TrimError("binutils (as, ld) are needed to build the ICU data library")
    with tempfile.TemporaryDirectory(prefix="trim-icu-") as tmp:
        work = Path(tmp)
        (work / "data.bin").write_bytes(blob)
        (work / "data.s").write_text(
            "\t.section .rodata\n"
            f"\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign {ALIGN}\n"
            f'{symbol}:\n\t.incbin "data.bin"\n\t.size {symbol}, . - {symbol}\n'
            '\t.section .note.GNU-stack,"",@progbits\n',
            encoding="ascii",
        )
        commands = [
            [tools["as"], "-o", "data.o", "data.s"],
            [
                tools["ld"],
                "-shared",
                "-soname",
                soname,
                "--hash-style=both",
                "-z",
                "noexecstack",
                "-z",
                "relro",
                "-o",
                "out.so",
                "data.o",
            ],
        ]
        for command in commands:
            done = subprocess.run(command, cwd=work, capture_output=True, text=True, check=False)
            if done.returncode:
                raise TrimError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")
        tmp_out = output.with_name(output.name + ".tmp")
        shutil.copyfile(work / "out.so", tmp_out)
        os.chmod(tmp_out, 0o755)
        os.replace(tmp_out, output)


_RUNTIME_CHECK = r"""
import ctypes, sys
folder, v = sys.argv[1], sys.argv[2]
for name in ("libicudata", "libicuuc", "libicui18n"):
    ctypes.CDLL(f"{folder}/{name}.so.{v}", mode=ctypes.RTLD_GLOBAL)
i18n = ctypes.CDLL(f"{folder}/libicui18n.so.{v}")
status = ctypes.c_int(0)
ucol_open = getattr(i18n, f"ucol_open_{v}")
ucol_open.restype = ctypes.c_void_p
coll = ucol_open(b"vi", ctypes.byref(status))
# U_USING_DEFAULT_WARNING (-127): the Vietnamese tailoring is missing, root was used.
assert coll and status.value in (0, -128), f"ucol_open(vi): status {status.value}"
strcoll = getattr(i18n, f"ucol_strcoll_{v}")
def utf16(text):
    return ctypes.create_string_buffer(text.encode("utf-16-le") + b"\0\0")
strcoll.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                    ctypes.c_int]
def less(a, b):
    return strcoll(coll, utf16(a), -1, utf16(b), -1) == -1
# Vietnamese: ă and â are letters of their own (root: accents on a), Đ comes after D.
assert less("ăz", "âa") and less("Dak Lak", "Đà Nẵng"), "Vietnamese collation not loaded"
getattr(i18n, f"ucol_close_{v}")(ctypes.c_void_p(coll))
name = ctypes.create_string_buffer(256)
status = ctypes.c_int(0)
display = getattr(i18n, f"ucal_getTimeZoneDisplayName_{v}")
cal = getattr(i18n, f"ucal_open_{v}")
cal.restype = ctypes.c_void_p
zone = utf16("Asia/Ho_Chi_Minh")
calendar = cal(zone, -1, b"vi", 1, ctypes.byref(status))  # UCAL_GREGORIAN
assert calendar and status.value <= 0, f"ucal_open: status {status.value}"
length = display(ctypes.c_void_p(calendar), 0, b"vi", name, 128, ctypes.byref(status))
text = name.raw[:2 * length].decode("utf-16-le")
# Vietnamese zone names carry diacritics; "GMT+07:00" or "Indochina Time" mean missing data.
assert status.value <= 0 and any(ord(c) > 127 for c in text), f"time zone name {text!r}"
print(text)
"""


def runtime_check(library: Path, source: Path, version: str) -> str:
    """Load the wheel's libicuuc/libicui18n beside ``library`` and use its data."""
    with tempfile.TemporaryDirectory(prefix="trim-icu-check-") as tmp:
        for name in ("libicuuc", "libicui18n"):
            found = source.parent / f"{name}.so.{version}"
            if not found.is_file():
                raise TrimError(f"{found.name} not found beside {source.name}")
            shutil.copyfile(found, Path(tmp) / found.name)
        shutil.copyfile(library, Path(tmp) / f"libicudata.so.{version}")
        done = subprocess.run(
            [sys.executable, "-c", _RUNTIME_CHECK, tmp, version], capture_output=True, check=False
        )
        if done.returncode:
            raise TrimError(
                "the trimmed ICU data does not work: "
                + done.stderr.decode("utf-8", "replace").strip().splitlines()[-1]
            )
        return done.stdout.decode("utf-8").strip()


@dataclass(frozen=True)
class Result:
    before: int  # bytes of the library
    after: int
    items_total: int
    items_kept: int
    kept_bytes: int  # bytes of the kept items
    zone_name: str  # the Vietnamese name of Asia/Ho_Chi_Minh, as the trimmed data gives it


def trim(source: Path, output: Path) -> Result:
    """Write the trimmed library to ``output``; raise UnrecognisedLayout or TrimError."""
    library = read_library(source)
    common = parse_common(library.blob, library.version)
    kept = select(common)
    blob = write_common(kept)
    if parse_common(blob, library.version) != kept:
        raise TrimError("the new ICU data blob does not read back as written")
    assemble(blob, library.symbol, library.soname, output)
    built = read_library(output)
    if (built.soname, built.symbol, built.blob) != (library.soname, library.symbol, blob):
        raise TrimError("the built ICU data library does not carry the new blob")
    zone_name = runtime_check(output, source, library.version)
    return Result(
        before=source.stat().st_size,
        after=output.stat().st_size,
        items_total=len(common.items),
        items_kept=len(kept.items),
        kept_bytes=sum(len(item) for _, item in kept.items),
        zone_name=zone_name,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--list", action="store_true", help="print the kept items")
    args = parser.parse_args(argv)
    result = trim(args.source, args.output)
    if args.list:
        library = read_library(args.output)
        for name, item in parse_common(library.blob, library.version).items:
            print(f"{len(item):>9}  {name}")
    print(
        f"{args.source.name}: {result.before:,} -> {result.after:,} bytes; "
        f"{result.items_kept} of {result.items_total} items kept ({result.kept_bytes:,} "
        f"bytes); Asia/Ho_Chi_Minh in Vietnamese: {result.zone_name}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
