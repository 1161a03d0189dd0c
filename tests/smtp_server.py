#!/usr/bin/env python3
"""A real SMTP server for the mail tests: aiosmtpd on 127.0.0.1, STARTTLS required,
AUTH (PLAIN/LOGIN) only over TLS.

    smtp_server.py PORT CERT KEY OUT_DIR MODE USER PASSWORD

MODE: ok | 451-once (first DATA answered 451) | 550 (every DATA refused) |
      drop-once (first DATA: the connection is cut).
Each accepted message is written to OUT_DIR/<n>.eml. Prints "siap" once listening and
runs until its standard input is closed.
"""
import os
import ssl
import sys
import warnings

# aiosmtpd warns about its own internals; the tests read the server's answers, not this.
warnings.filterwarnings("ignore", category=DeprecationWarning)

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, cert, key, out, mode, user, password = sys.argv[1:8]


class Handler:
    def __init__(self):
        self.data_commands = 0

    async def handle_DATA(self, server, session, envelope):
        self.data_commands += 1
        if mode == "451-once" and self.data_commands == 1:
            return "451 4.3.0 Server sibuk, coba lagi nanti"
        if mode == "550":
            return "550 5.7.1 Pesan ditolak oleh kebijakan server"
        if mode == "drop-once" and self.data_commands == 1:
            server.transport.abort()
            return "421 4.4.2 sambungan diputus"
        n = len([f for f in os.listdir(out) if f.endswith(".eml")]) + 1
        path = os.path.join(out, f"{n}.eml")
        with open(path + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.replace(path + ".tmp", path)
        return "250 2.0.0 Diterima"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == user.encode()
        and auth_data.password == password.encode()
    )
    return AuthResult(success=ok, handled=False)


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
controller = Controller(
    Handler(),
    hostname="127.0.0.1",
    port=int(port),
    tls_context=context,
    require_starttls=True,
    authenticator=authenticator,
    auth_require_tls=True,
    auth_required=True,
)
controller.start()
print("siap", flush=True)
sys.stdin.read()
controller.stop()
