"""The default-bind rule: without an admin account the dashboard serves this machine only (127.0.0.1)."""
from __future__ import annotations

import ipaddress

from accounts.store import AccountStore


def is_local_host(host) -> bool:
    """True for addresses only this machine reaches: 127.0.0.0/8, ::1, 'localhost'. A unix socket, '' or
    0.0.0.0 (every interface) or any other name is not: a proxy or the network may reach it."""
    if not isinstance(host, str):
        return False
    host = host.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind_refusal(hosts, store: AccountStore) -> str | None:
    """Why the server must not start on these addresses (in Vietnamese, with the command that fixes it), or
    None. Served beyond this machine, the open trial mode would hand every unit's dossiers to anyone on the
    network: an active admin account must exist first (it can then make the others)."""
    remote = [str(h) for h in hosts if not is_local_host(h)]
    if not remote or store.has_active_admin():
        return None
    return (f"Không khởi động: chưa có tài khoản quản trị nào (tệp tài khoản {store.path}), nên bảng điều khiển "
            f"chỉ chạy ở chế độ dùng thử trên máy này (127.0.0.1), không phục vụ qua địa chỉ {', '.join(remote)}.\n"
            "Hãy tạo tài khoản quản trị trước (mật khẩu được hỏi khi chạy lệnh, không ghi trên dòng lệnh):\n"
            "    python app.py accounts add TÊN --role admin [--db TỆP_DỮ_LIỆU]\n"
            "rồi chạy lại lệnh khởi động. Hoặc bỏ --host / CCHC_BIND để chạy thử trên máy này.")
