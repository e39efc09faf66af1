"""A TCP gate in front of the fixture's database, which a test closes and opens: closed, every
connection through it is cut at once (the client sees the server go away, as in an outage), so a
test can take "the database" down for one `serve` without touching the server other tests use."""
import json
import os
import socket
import threading


class DbGate:
    def __init__(self, host, port):
        self.upstream = (host, port)
        self.open = True
        self._lock = threading.Lock()
        self._pipes = []
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @classmethod
    def for_settings(cls, settings):
        return cls(settings["host"], int(settings["port"]))

    def settings_file(self, settings, directory):
        """A copy of `settings` that connects through the gate, written into `directory`."""
        s = dict(settings, host="127.0.0.1", port=self.port)
        path = os.path.join(directory, "settings-gated.json")
        with open(path, "w") as f:
            json.dump(s, f)
        os.chmod(path, 0o600)
        return path

    def close_gate(self):
        """Cuts every connection and refuses new ones until open_gate()."""
        with self._lock:
            self.open = False
            pipes, self._pipes = self._pipes, []
        for a, b in pipes:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def open_gate(self):
        with self._lock:
            self.open = True

    def stop(self):
        self._closed = True
        self.close_gate()
        self._listener.close()

    def _accept(self):
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                if not self.open:
                    client.close()
                    continue
            try:
                server = socket.create_connection(self.upstream, timeout=10)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._pipes.append((client, server))
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client), daemon=True).start()

    @staticmethod
    def _pump(src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
