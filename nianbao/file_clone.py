"""Copy a file by sharing its blocks where the filesystem can (a reflink), else byte for byte.

A build copies the published warehouse to a candidate (write-audit-publish) and publish fsyncs the whole
candidate. On XFS (mkfs default `reflink=1`) and btrfs a reflink copy writes no data: the copy costs the
same at 100 000 reports as at 1 000, and the fsync flushes only the blocks the build itself changed
(DuckDB writes changed blocks elsewhere in the file; a shared extent is copied when it is written). On ext4
and other filesystems without it the kernel copies (`shutil.copy2` uses sendfile) and the cost grows with
the file.
"""

from __future__ import annotations

import errno
import fcntl
import shutil
from pathlib import Path

FICLONE = 0x40049409  # linux/fs.h: _IOW(0x94, 9, int); dst shares src's extents
# The errors that mean "this filesystem (or pair of files) cannot share extents": copy instead.
NO_REFLINK = {errno.EOPNOTSUPP, errno.ENOTTY, errno.EXDEV, errno.EINVAL, errno.ENOSYS, errno.EPERM}


def clone_file(src: Path, dst: Path) -> bool:
    """Copy `src` to `dst` with its mode and times; True when the blocks are shared (a reflink)."""
    with open(src, "rb") as s, open(dst, "wb") as d:
        try:
            fcntl.ioctl(d.fileno(), FICLONE, s.fileno())
            cloned = True
        except OSError as e:
            if e.errno not in NO_REFLINK:
                raise
            cloned = False
    if cloned:
        shutil.copystat(src, dst)
    else:
        shutil.copy2(src, dst)
    return cloned
