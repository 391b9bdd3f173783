"""A loopback TCP proxy that delays every byte a fixed time each way: the provincial WAN (a
20 ms round trip) in front of the PostgreSQL server, on 127.0.0.1 only.

It also counts round trips: each time the client speaks after the server has answered (or
for the first time) is one — what the client waits for on a real link, whatever the driver
batches into one packet.

    with WanProxy(("127.0.0.1", 5432), delay_ms=10) as proxy:
        url = f"postgresql://postgres@127.0.0.1:{proxy.port}/db"
        before = proxy.round_trips
        ...  # the work
        trips = proxy.round_trips - before
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from types import TracebackType

LOOPBACK = "127.0.0.1"


class WanProxy:
    def __init__(self, target: tuple[str, int], delay_ms: float = 10.0) -> None:
        host, _port = target
        if host not in (LOOPBACK, "localhost"):
            raise ValueError("The WAN proxy only forwards to this machine (127.0.0.1).")
        self.target = (LOOPBACK, target[1])
        self.delay = delay_ms / 1000.0
        self.port = 0
        self.round_trips = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="wan-proxy", daemon=True)
        self._server: asyncio.base_events.Server | None = None

    def __enter__(self) -> WanProxy:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("The WAN proxy did not start.")
        return self

    def __exit__(
        self,
        _t: type[BaseException] | None,
        _e: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        async def stop() -> None:
            if self._server is not None:
                self._server.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self._loop.stop()

        asyncio.run_coroutine_threadsafe(stop(), self._loop)
        self._thread.join(5)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._connection, LOOPBACK, 0)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _connection(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        server_reader, server_writer = await asyncio.open_connection(*self.target)
        state = {"client_turn": True}  # the next client bytes start a round trip

        async def pump(
            reader: asyncio.StreamReader, writer: asyncio.StreamWriter, from_client: bool
        ) -> None:
            queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

            async def deliver() -> None:
                while True:
                    due, data = await queue.get()
                    if not data:
                        writer.close()
                        return
                    wait = due - time.monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    writer.write(data)
                    await writer.drain()

            delivering = asyncio.ensure_future(deliver())
            delivering.add_done_callback(lambda t: t.cancelled() or t.exception())
            try:
                while True:
                    data = await reader.read(65536)
                    if from_client and data and state["client_turn"]:
                        self.round_trips += 1
                        state["client_turn"] = False
                    elif not from_client and data:
                        state["client_turn"] = True
                    queue.put_nowait((time.monotonic() + self.delay, data))
                    if not data:
                        break
            except (ConnectionError, OSError):
                queue.put_nowait((0.0, b""))
            await delivering

        with contextlib.suppress(asyncio.CancelledError):  # the proxy is stopping
            await asyncio.gather(
                pump(client_reader, server_writer, True),
                pump(server_reader, client_writer, False),
                return_exceptions=True,
            )
