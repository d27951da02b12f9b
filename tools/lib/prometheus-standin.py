#!/usr/bin/env python3
"""A Prometheus HTTP API stand-in for MetricGate tests: answers GET /api/v1/query?query=Q with a vector whose first
sample is the value last set for Q (VALUE, from the command line, until then). The test sets answers with
PUT /values/Q (the body is the value; "error" makes the query fail as Prometheus reports a bad query) and reads
how many queries it served from GET /queries.

Prints its port on the first line of stdout, then each query it answers. It ends when its stdin closes, so a test that dies leaves nothing
running, and it unblocks SIGTERM, which a parent's signal handling may have blocked in the mask it inherited."""
import http.server
import json
import signal
import sys
import threading
import urllib.parse

signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
default = sys.argv[1] if len(sys.argv) > 1 else "1"
values = {}
queries = []


class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        if url.path == "/queries":
            return self.answer(200, queries)
        if url.path != "/api/v1/query":
            return self.answer(404, {"status": "error", "errorType": "not_found", "error": url.path})
        query = urllib.parse.parse_qs(url.query).get("query", [""])[0]
        queries.append(query)
        print(query, flush=True)
        value = values.get(query, default)
        if value == "error":
            return self.answer(400, {"status": "error", "errorType": "bad_data", "error": "parse error in " + query})
        self.answer(200, {"status": "success", "data": {"resultType": "vector",
                                                        "result": [{"metric": {}, "value": [0, value]}]}})

    def do_PUT(self):
        url = urllib.parse.urlparse(self.path)
        if not url.path.startswith("/values/"):
            return self.answer(404, {})
        length = int(self.headers.get("Content-Length", "0"))
        values[urllib.parse.unquote(url.path[len("/values/"):])] = self.rfile.read(length).decode().strip()
        self.answer(200, values)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_port, flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
