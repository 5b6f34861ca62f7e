"""The Jupyter kernel of one month's run, started by `hotline run` itself.

papermill would start the kernel only after reading and parameterizing the notebook (about
a tenth of a second); started first and handed to papermill as its kernel manager (`km`),
the kernel boots meanwhile.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from traitlets import List

KERNEL_NAME = "python3"
FALLBACK_KERNEL_NAME = "hotline-python3"


class Kernel(AsyncKernelManager):
    """A kernel manager that remembers the clients made from it. As a context manager: on
    leaving, those clients are closed and the kernel is stopped at once (every cell has run
    by then, or the run failed; a graceful shutdown would only wait)."""

    clients: List[Any] = List()  # the clients made from this manager (papermill's nbclient makes one)

    @classmethod
    def started(cls, kernel_name: str, cwd: Path) -> Kernel:
        """A manager of a running kernel `kernel_name` whose working folder is `cwd`."""
        km = cls(kernel_name=kernel_name)
        # the kernel's own log (e.g. its TCP notice) is noise on the analyst's terminal
        run_sync(km.start_kernel)(extra_arguments=["--IPKernelApp.log_level=CRITICAL"], cwd=str(cwd))
        return km

    def client(self, **kwargs: Any) -> Any:
        client = super().client(**kwargs)
        self.clients.append(client)
        return client

    def __enter__(self) -> Kernel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Close the clients and stop the kernel at once, if it still runs."""
        for client in self.clients:
            client.stop_channels()
        self.clients = []
        if self.has_kernel:
            run_sync(self.shutdown_kernel)(now=True)


def ensure_kernel(preferred: str = KERNEL_NAME) -> str:
    """Name of a kernel spec that runs this very Python (the one with hotline installed).

    The notebook's own kernel metadata is not trusted (it may have been saved on another
    machine). `python3` is used when it resolves to this interpreter — ipykernel provides
    it inside this environment — otherwise a `hotline-python3` spec is installed into this
    environment's prefix and used.
    """
    # jupyter_client only when a month is rendered
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    ksm = KernelSpecManager()
    ours = {"python", f"python{sys.version_info[0]}", f"python{sys.version_info[0]}.{sys.version_info[1]}"}
    for name in (preferred, FALLBACK_KERNEL_NAME):
        try:
            spec = ksm.get_kernel_spec(name)
        except NoSuchKernel:
            continue
        argv0 = spec.argv[0] if spec.argv else ""
        # jupyter_client runs a bare 'python' with sys.executable.
        if argv0 in ours or Path(argv0).resolve() == Path(sys.executable).resolve():
            return name
    # ipykernel only when a kernel spec must be installed
    from ipykernel.kernelspec import install

    install(kernel_name=FALLBACK_KERNEL_NAME, display_name="Python 3 (hotline)", prefix=sys.prefix)
    return FALLBACK_KERNEL_NAME
