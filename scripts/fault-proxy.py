#!/usr/bin/env python3
"""A TCP proxy on loopback that misbehaves on purpose, for the sync fault tests.

Usage: fault-proxy.py LISTEN_PORT TARGET_PORT [SEED]

Each connection, at random: passes through untouched; is delayed; is cut before the request reaches the target;
is reset (RST) mid-way; or has its reply dropped after the target has handled the request (the request is
forwarded, the answer thrown away, the connection closed). It only ever connects to 127.0.0.1.
"""
import asyncio
import random
import signal
import socket
import struct
import sys

LISTEN, TARGET = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
counts = {"pass": 0, "delay": 0, "cut": 0, "reset": 0, "drop_reply": 0}


def reset(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.close()


async def pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def handle(client_reader, client_writer):
    fault = rng.choices(["pass", "delay", "cut", "reset", "drop_reply"], weights=[50, 20, 10, 10, 10])[0]
    counts[fault] += 1
    if fault == "cut":
        client_writer.close()
        return
    if fault == "delay":
        await asyncio.sleep(rng.uniform(0.05, 0.8))
    try:
        target_reader, target_writer = await asyncio.open_connection("127.0.0.1", TARGET)
    except OSError:
        client_writer.close()
        return
    if fault == "reset":
        await asyncio.sleep(rng.uniform(0, 0.05))
        reset(client_writer)
        target_writer.close()
        return
    if fault == "drop_reply":
        # Forward the request, let the target answer, throw the answer away.
        try:
            data = await asyncio.wait_for(client_reader.read(65536), timeout=2)
            target_writer.write(data)
            await target_writer.drain()
            await asyncio.wait_for(target_reader.read(65536), timeout=5)
        except Exception:
            pass
        reset(client_writer)
        target_writer.close()
        return
    await asyncio.gather(pipe(client_reader, target_writer), pipe(target_reader, client_writer))


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", LISTEN)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with server:
        await stop.wait()
    print("fault proxy:", counts, flush=True)


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
