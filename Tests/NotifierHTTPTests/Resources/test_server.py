"""A scripted HTTP/1.1 + HTTP/2 server for the NotifierHTTP tests, served by hypercorn.

Usage: /usr/bin/python3 test_server.py DIR [CERT KEY]

It binds 127.0.0.1 on a free port, serves over TLS when given a certificate and key (ALPN h2,
http/1.1), and writes DIR/port once it answers. Each request is appended to DIR/requests.jsonl
as one JSON object: method, path, query, headers (lower-case names), body, http_version, and
for a request carrying Standard Webhooks headers, "signature": "ok" or "fail" as checked here
with the secret in the plan. DIR/plan.json (read on every request, so a test may change it) is
{"secret": "whsec_...", "paths": {PATH: [[status, {header: value}, body, delay], ...]}}: a
path's answers are used in order, the last one repeating; a path without one answers 200 "{}".
"""

import asyncio
import base64
import ctypes
import hashlib
import hmac
import json
import os
import signal
import socket
import ssl
import sys
import time

from hypercorn.asyncio import serve
from hypercorn.config import Config

DIR = sys.argv[1]
SERVED = {}  # path -> how many answers it has had


def plan():
    try:
        with open(os.path.join(DIR, "plan.json")) as file:
            return json.load(file)
    except FileNotFoundError:
        return {}


def check_signature(headers, body, secret):
    """Verifies a Standard Webhooks signature the way a receiver does."""
    if not secret or not secret.startswith("whsec_"):
        return "fail"
    key = base64.b64decode(secret[len("whsec_"):])
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    offered = [part.split(",", 1)[1] for part in headers["webhook-signature"].split() if part.startswith("v1,")]
    fresh = abs(time.time() - int(headers["webhook-timestamp"])) < 300
    return "ok" if fresh and any(hmac.compare_digest(expected, sig) for sig in offered) else "fail"


async def read_body(receive):
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body", False):
            return body


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    body = await read_body(receive)
    headers = {name.decode("latin-1"): value.decode("utf-8", "replace") for name, value in scope["headers"]}
    current = plan()
    record = {
        "method": scope["method"],
        "path": scope["path"],
        "query": scope["query_string"].decode(),
        "headers": headers,
        "body": body.decode("utf-8", "replace"),
        "http_version": scope["http_version"],
    }
    if "webhook-signature" in headers:
        record["signature"] = check_signature(headers, body, current.get("secret"))
    if scope["path"] != "/_ready":
        with open(os.path.join(DIR, "requests.jsonl"), "a") as log:
            log.write(json.dumps(record) + "\n")
    answers = current.get("paths", {}).get(scope["path"]) or [[200, {}, "{}"]]
    index = SERVED.get(scope["path"], 0)
    SERVED[scope["path"]] = index + 1
    status, extra, text, *rest = answers[min(index, len(answers) - 1)]
    if rest and rest[0]:
        await asyncio.sleep(rest[0])
    reply = text.encode()
    response_headers = [(b"content-type", b"application/json"), (b"content-length", str(len(reply)).encode())]
    response_headers += [(name.encode(), str(value).encode()) for name, value in extra.items()]
    await send({"type": "http.response.start", "status": status, "headers": response_headers})
    await send({"type": "http.response.body", "body": reply})


async def announce(port, tls):
    """Writes DIR/port once the server answers a request, so the test never races its start."""
    context = None
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    while True:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=context)
            writer.write(b"GET /_ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            await writer.drain()
            if (await reader.read(12)).startswith(b"HTTP/1.1 200"):
                writer.close()
                break
        except OSError:
            pass
        await asyncio.sleep(0.05)
    with open(os.path.join(DIR, "port.tmp"), "w") as file:
        file.write(str(port))
    os.rename(os.path.join(DIR, "port.tmp"), os.path.join(DIR, "port"))


async def main():
    # The test process's threads block most signals and we inherit that: undo it, and die with
    # the test process even if it never gets to kill us.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    config = Config()
    config.bind = [f"fd://{listener.fileno()}"]
    config.errorlog = os.path.join(DIR, "server.log")
    tls = len(sys.argv) > 3
    if tls:
        config.certfile, config.keyfile = sys.argv[2], sys.argv[3]
    asyncio.get_running_loop().create_task(announce(listener.getsockname()[1], tls))
    await serve(app, config)


asyncio.run(main())
