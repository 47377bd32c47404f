#!/usr/bin/env python3
"""A PostgreSQL server that comes up late, for the --wait tests.

late_proxy.py DOWN STARTING LIFETIME TARGET_HOST TARGET_PORT

Binds a free loopback port at once and prints it (one line), but for DOWN
seconds does not listen, so connections are refused; for the next STARTING
seconds it answers every connection as a server still starting up would
(FATAL 57P03); after that it forwards every connection to TARGET_HOST:
TARGET_PORT (a directory for a Unix socket), or with TARGET_HOST "-" holds
it open without a word, as a server that accepted but never answers.  Each
accepted connection prints "accepted".  Exits by itself after LIFETIME
seconds.  Loopback only; standard library only.
"""

import os
import select
import socket
import struct
import sys
import threading
import time

SSL_REQUEST = 80877103
GSSENC_REQUEST = 80877104


def recv_exact(sock, n):
    data = b''
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError('closed')
        data += chunk
    return data


def answer_starting_up(client):
    """Reads the startup packet (after any SSL/GSS request) and refuses it."""
    try:
        client.settimeout(5)
        while True:
            length, code = struct.unpack('!ii', recv_exact(client, 8))
            recv_exact(client, length - 8)
            if code in (SSL_REQUEST, GSSENC_REQUEST):
                client.sendall(b'N')
                continue
            break
        fields = (b'SFATAL\0VFATAL\0C57P03\0'
                  b'Mthe database system is starting up\0\0')
        client.sendall(b'E' + struct.pack('!i', 4 + len(fields)) + fields)
    except (OSError, ConnectionError, struct.error):
        pass
    finally:
        client.close()


def connect_target(host, port):
    if host.startswith('/'):
        upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        upstream.connect(os.path.join(host, '.s.PGSQL.%d' % port))
        return upstream
    return socket.create_connection((host, port), timeout=10)


def forward(client, host, port, deadline):
    try:
        upstream = connect_target(host, port)
    except OSError:
        client.close()
        return
    upstream.settimeout(None)
    client.settimeout(None)
    peers = {client: upstream, upstream: client}
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select(list(peers), [], [], 0.5)
            for sock in ready:
                data = sock.recv(65536)
                if not data:
                    return
                peers[sock].sendall(data)
    except OSError:
        pass
    finally:
        client.close()
        upstream.close()


def hold(client, deadline):
    """Reads and discards until the client gives up or the deadline."""
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([client], [], [], 0.5)
            if ready and not client.recv(65536):
                return
    except OSError:
        pass
    finally:
        client.close()


def main():
    down, starting, lifetime = (float(a) for a in sys.argv[1:4])
    host, port = sys.argv[4], int(sys.argv[5]) if sys.argv[4] != '-' else 0
    start = time.monotonic()
    deadline = start + lifetime
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(('127.0.0.1', 0))
    print(listener.getsockname()[1], flush=True)
    # Bound but not listening: the kernel refuses connections.
    time.sleep(max(0.0, start + down - time.monotonic()))
    listener.listen(64)
    listener.settimeout(0.2)
    while time.monotonic() < deadline:
        try:
            client, _ = listener.accept()
        except socket.timeout:
            continue
        print('accepted', flush=True)
        if time.monotonic() < start + down + starting:
            target, args = answer_starting_up, (client,)
        elif host == '-':
            target, args = hold, (client, deadline)
        else:
            target, args = forward, (client, host, port, deadline)
        threading.Thread(target=target, args=args, daemon=True).start()
    listener.close()


if __name__ == '__main__':
    main()
