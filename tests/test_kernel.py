"""The kernel `hotline run` starts itself (hotline.run.kernel): this environment's Python, its working folder, and
nothing left running."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from jupyter_client import BlockingKernelClient
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_core.utils import run_sync

from hotline.run.kernel import Kernel, ensure_kernel


def _kernel_cwd(km) -> str:
    printed: list = []
    client = BlockingKernelClient()
    client.load_connection_info(km.get_connection_info())
    client.start_channels()
    try:
        client.wait_for_ready(timeout=30)
        reply = client.execute_interactive("import os; print(os.getcwd(), end='')", timeout=30,
                                           output_hook=lambda msg: printed.append(msg))
        assert reply["content"]["status"] == "ok"
    finally:
        client.stop_channels()
    return "".join(m["content"]["text"] for m in printed if m["msg_type"] == "stream")


@pytest.mark.slow  # starts a kernel
def test_kernel_runs_in_its_folder_and_is_stopped_with_its_clients(tmp_path):
    with Kernel.started(ensure_kernel(), cwd=tmp_path) as km:
        papermills_client = km.client()  # as nbclient makes it
        papermills_client.start_channels()
        assert os.path.samefile(_kernel_cwd(km), tmp_path)
        pid = km.provisioner.pid
        assert run_sync(km.is_alive)()
    assert not papermills_client.channels_running
    assert not km.has_kernel
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_kernel_is_this_environments_python():
    name = ensure_kernel()
    argv0 = KernelSpecManager().get_kernel_spec(name).argv[0]
    assert argv0 in ("python", "python3") or Path(argv0).resolve() == Path(sys.executable).resolve()

