#!/usr/bin/python3
"""A unix-datagram syslog sink for Swift, which always logs through syslog.

Without /dev/log (no syslog daemon here) Swift falls back to UDP syslog, and each server then holds a UDP
socket bound to 0.0.0.0. Pointing `log_address` at this sink keeps Swift off the network entirely and puts
its log lines in one file.

    syslog-sink.py SOCKET_PATH LOG_FILE
"""
import os
import socket
import sys

socket_path, log_file = sys.argv[1], sys.argv[2]
try:
    os.unlink(socket_path)
except FileNotFoundError:
    pass
sink = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sink.bind(socket_path)
with open(log_file, "ab", buffering=0) as out:
    while True:
        out.write(sink.recv(65536).rstrip(b"\0\n") + b"\n")
