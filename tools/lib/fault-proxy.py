#!/usr/bin/env python3
"""An HTTP reverse proxy in front of a member API server that injects the faults the agent must survive.

Usage: fault-proxy.py TARGET_URL MODE_FILE LOG_FILE [PORT]
Prints "listening PORT". Before each request it reads MODE_FILE: "pass" forwards; "500" answers a Kubernetes
InternalError Status; "slow SECONDS" forwards each request after SECONDS; "serial SECONDS" forwards one request at a
time, each after SECONDS. Each request is logged as
"METHOD PATH CODE" to LOG_FILE. Refusing connections is done by stopping the proxy and starting it again on PORT.
"""
import http.client
import http.server
import sys
import threading
import time
import urllib.parse

target = urllib.parse.urlsplit(sys.argv[1])
mode_file, log_file = sys.argv[2], sys.argv[3]
port = int(sys.argv[4]) if len(sys.argv) > 4 else 0
serial = threading.Lock()
log_lock = threading.Lock()


def mode():
    try:
        with open(mode_file) as f:
            return f.read().split() or ["pass"]
    except FileNotFoundError:
        return ["pass"]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def record(self, code):
        with log_lock, open(log_file, "a") as f:
            f.write(f"{self.command} {self.path} {code}\n")

    def reply(self, code, body, content_type="application/json", headers=()):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        self.record(code)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        current = mode()
        if current[0] == "500":
            self.reply(500, b'{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",'
                            b'"message":"fault injected: the member API server failed","reason":"InternalError","code":500}')
            return
        if current[0] == "slow":
            time.sleep(float(current[1]))
            self.forward(body)
            return
        if current[0] == "serial":
            with serial:
                time.sleep(float(current[1]))
                self.forward(body)
            return
        self.forward(body)

    def forward(self, body):
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        connection.request(self.command, self.path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        passed = [(k, v) for k, v in response.getheaders()
                  if k.lower() not in ("content-length", "transfer-encoding", "connection", "content-type")]
        self.reply(response.status, data, response.getheader("Content-Type") or "application/json", passed)
        connection.close()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any


server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
server.daemon_threads = True
print(f"listening {server.server_address[1]}", flush=True)
server.serve_forever()
