"""A small loopback TCP proxy (127.0.0.1 only) that forwards to the throwaway cluster and can
drop every connection: at once, or right after a client sends COMMIT (the hub commits, the
client never hears it)."""

from __future__ import annotations

import socket
import threading
import time
from contextlib import suppress


class Proxy:
    def __init__(self, target_port: int) -> None:
        self.target = ("127.0.0.1", target_port)
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(32)
        self.port = int(self.server.getsockname()[1])
        self.refuse = False
        self.drop_after_commit = False
        self.drops = 0
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._closed = False
        self._muted: set[socket.socket] = set()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            if self.refuse:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._pairs.append((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, from_client: bool) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if not from_client and src in self._muted:
                    continue
                cut = from_client and self.drop_after_commit and b"COMMIT\x00" in data
                if cut:
                    self._muted.add(dst)  # the server's answer is not passed on
                dst.sendall(data)
                if cut:
                    self.drops += 1
                    self.drop_after_commit = False
                    time.sleep(0.3)  # the server commits; its answer never arrives
                    break
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                with suppress(OSError):
                    s.close()

    def drop_all(self) -> None:
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for s in pair:
                with suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                with suppress(OSError):
                    s.close()

    def close(self) -> None:
        self._closed = True
        with suppress(OSError):
            self.server.close()
        self.drop_all()
