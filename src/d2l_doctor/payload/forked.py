"""Work in a forked child of the target interpreter, its JSON result handed back through a pipe.

Stdlib only, Python 3.6 syntax (CI runs vermin). The book cell uses it so that what costs a second or more
(the optimizer step's import of torch._dynamo, the requirements scan) overlaps the rest instead of following
it, with torch imported once. Linux only: Windows cannot fork, and macOS frameworks do not survive a fork.
The child writes no marker and runs no exit handler; a child that dies is known by its signal.
"""

import json
import os
import signal
import sys
import warnings


class Child(object):
    def __init__(self, pid, fd):
        self.pid, self.fd = pid, fd

    def result(self):
        """(the child's value, None), or (None, how it died: "SIGSEGV", "exit code 1"). Waits for it."""
        chunks = []
        while True:
            data = os.read(self.fd, 65536)
            if not data:
                break
            chunks.append(data)
        os.close(self.fd)
        _, status = os.waitpid(self.pid, 0)
        try:
            return json.loads(b"".join(chunks).decode("utf-8")), None
        except ValueError:
            pass
        if os.WIFSIGNALED(status):
            number = os.WTERMSIG(status)
            try:
                return None, signal.Signals(number).name
            except ValueError:
                return None, "signal %d" % number
        return None, "exit code %d" % os.WEXITSTATUS(status)

    def cancel(self):
        """Its result is not needed after all: stop it."""
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            os.close(self.fd)
        except OSError:
            pass


def start(body):
    """A Child running body() (its value must be JSON-able), or None where this interpreter cannot fork
    safely. CUDA must not be initialised yet in this process (a forked child cannot use it then)."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return None
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        read_fd, write_fd = os.pipe()
        with warnings.catch_warnings():
            # 3.12+ warns about forking beside torch's idle native thread; the child only imports and computes.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:
        return None
    if pid != 0:
        os.close(write_fd)
        return Child(pid, read_fd)
    code = 0
    try:
        os.close(read_fd)
        data = json.dumps(body(), sort_keys=True).encode("utf-8")
        while data:
            data = data[os.write(write_fd, data) :]
    except BaseException:
        code = 1
    os._exit(code)
