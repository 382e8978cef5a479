"""Word 97-2003 `.doc` (and WPS `.wps`) → DOCX through LibreOffice headless, then the DOCX reader.

Why LibreOffice and not a text dumper: the statutory tables are what matter, and on a real report saved as
`.doc` (tests/fixtures/doc/hongze_2023.doc, 200 known cells) LibreOffice → DOCX → `readers.docx` recovers
200/200 cells with their merges, while antiword 0.37 gives 10/200 (表三's vertically merged rows vanish) and
catdoc 0.95 gives 25/200 (rows lost, label text garbled). The price is ~2 s and ~200 MB per file (start-up).

The converter runs in a limited child (`limits.run_limited`: address-space ceiling inherited by LibreOffice,
wall clock) with a private profile folder, so parallel conversions do not fight over one profile's lock.
LibreOffice is in its own session and the whole group is killed on timeout: no orphaned `soffice.bin`.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from nianbao.readers.docx import DocxContent, read_docx_safely
from nianbao.readers.limits import ReaderError, run_limited

DOC_SUFFIXES = frozenset({".doc", ".wps"})
CONVERTERS = ("soffice", "libreoffice")  # the names LibreOffice installs its launcher under
CONVERT_TIMEOUT_S = 120.0
CONVERT_MEMORY_MB = 2048


def converter() -> str | None:
    """The LibreOffice launcher on PATH (None when LibreOffice is not installed)."""
    return next((p for p in map(shutil.which, CONVERTERS) if p), None)


def convert_to_docx(path: Path, out_dir: Path, timeout_s: float = CONVERT_TIMEOUT_S) -> Path:
    """LibreOffice's DOCX export of `path` in `out_dir`; raises `ReaderError` with a doc_* reason."""
    exe = converter()
    if exe is None:
        raise ReaderError(
            "doc_converter_missing",
            "LibreOffice (soffice) is not on PATH: apt-get install libreoffice-writer-nogui",
        )
    profile = out_dir / "profile"
    src = out_dir / f"source{path.suffix.lower()}"  # a known name, so the DOCX's name is known too
    shutil.copyfile(path, src)
    command = [
        exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
        "--convert-to", "docx", "--outdir", str(out_dir), str(src),
    ]  # fmt: skip
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        env=os.environ | {"HOME": str(out_dir)},
    )
    try:
        output, _ = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise ReaderError("doc_convert_timeout", f"LibreOffice gave no DOCX after {timeout_s:g} s") from None
    out = out_dir / "source.docx"
    if proc.returncode != 0 or not out.is_file():
        said = " ".join(output.decode("utf-8", "replace").split())[-300:]
        raise ReaderError(
            "doc_convert_failed", f"LibreOffice exited {proc.returncode} without a DOCX: {said}"
        )
    return out


def read_legacy_doc(
    path: Path, timeout_s: float = CONVERT_TIMEOUT_S, memory_mb: int | None = CONVERT_MEMORY_MB
) -> DocxContent:
    """Text and grids of a `.doc`/`.wps`: converted in a limited child, then read by the DOCX reader."""
    with tempfile.TemporaryDirectory(prefix="nianbao-doc-") as tmp:
        docx = run_limited(
            convert_to_docx, Path(path), Path(tmp), timeout_s, timeout_s=timeout_s + 10, memory_mb=memory_mb
        )
        content = read_docx_safely(docx)
    content.notes.insert(0, "converted from Word 97-2003 by LibreOffice")
    return content
