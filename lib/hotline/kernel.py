"""The Jupyter kernel of one month's run, started by `hotline run` itself.

papermill would start the kernel only after reading and parameterizing the notebook (about
a tenth of a second); started first and handed to papermill as its kernel manager (`km`),
the kernel boots meanwhile.
"""

from __future__ import annotations

from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from traitlets import List


class Kernel(AsyncKernelManager):
    """A kernel manager that remembers the clients made from it. As a context manager: on
    leaving, those clients are closed and the kernel is stopped at once (every cell has run
    by then, or the run failed; a graceful shutdown would only wait)."""

    clients = List()  # the clients made from this manager (papermill's nbclient makes one)

    @classmethod
    def started(cls, kernel_name: str, cwd: Path) -> Kernel:
        """A manager of a running kernel `kernel_name` whose working folder is `cwd`."""
        km = cls(kernel_name=kernel_name)
        # the kernel's own log (e.g. its TCP notice) is noise on the analyst's terminal
        run_sync(km.start_kernel)(extra_arguments=["--IPKernelApp.log_level=CRITICAL"], cwd=str(cwd))
        return km

    def client(self, **kwargs):
        client = super().client(**kwargs)
        self.clients.append(client)
        return client

    def __enter__(self) -> Kernel:
        return self

    def __exit__(self, *exc) -> bool:
        for client in self.clients:
            client.stop_channels()
        if self.has_kernel:
            run_sync(self.shutdown_kernel)(now=True)
        return False
