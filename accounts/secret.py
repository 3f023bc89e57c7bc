"""The key that signs session cookies: CCHC_SECRET_KEY, or a random key made once in a file only its owner reads."""
import os
import secrets
from pathlib import Path


def read_or_create_key(path: Path) -> str:
    """The key in path, made first when missing. Several gunicorn workers may start at once: the key is
    written to a private temporary file and linked into place (os.link fails if another process won), so no
    process ever reads a half-written key and all of them sign with the same one."""
    override = os.environ.get("CCHC_SECRET_KEY")
    if override:
        return override
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    key = path.read_text().strip()
    if not key:
        raise RuntimeError(f"Tệp khóa phiên {path} rỗng: xóa tệp này để tạo khóa mới (mọi phiên đăng nhập sẽ hết hạn).")
    return key
