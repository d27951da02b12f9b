#!/usr/bin/env python3
"""A notification sink for the end-to-end tests: answers every POST after DELAY seconds (so a hub can be killed
while deliveries are pending) and appends each delivery's journal seq, Idempotency-Key header and event to LOG, one
line per raw delivery, as it arrives. Writes the port it listens on to PORTFILE. Usage: notification-receiver.py PORTFILE LOG DELAY"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port_file, log_file, delay = sys.argv[1], sys.argv[2], float(sys.argv[3])


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        with open(log_file, "a") as log:
            log.write(f"{body['seq']} {self.headers.get('Idempotency-Key', '-')} {body['event']} {body.get('run', '')}\n")
        time.sleep(delay)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
with open(port_file, "w") as out:
    out.write(str(server.server_address[1]))
server.serve_forever()
