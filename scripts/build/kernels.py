"""Warm kernels: every notebook's kernel is forked from one process that has already imported what
the notebooks import, instead of starting Python, IPython, pandas, matplotlib and pyarrow again.

Why: on the seeds a fresh kernel spent 1.5-3 CPU s starting and importing before its first cell,
8 times a build (about a quarter of a cold build's CPU time). The *zygote* (``python -m
scripts.build.kernels``) is started by the build before the analysis stage, so it imports on the
core the single-process stage leaves idle; each notebook's kernel is then a ``fork()`` of it that
runs ``ipykernel`` exactly as ``python -m ipykernel_launcher`` would (same argv, working folder,
environment, inherited stdout/stderr, own session), and papermill talks to it as to any kernel.

What the zygote imports is read from the notebooks' own import statements (:func:`notebook_imports`)
plus :data:`KERNEL_MODULES`; it only imports, never calls anything, so the notebooks compute what they
computed in a fresh kernel (``tests/test_build_warm.py`` compares the pages, tables and figures of a
warm and a cold build). A module that fails to import in the zygote is skipped: the notebook then
imports it itself and fails as before, with the same one-line :class:`~.console.BuildError`.

The zygote reaps its kernels with ``wait4``, so their CPU time reaches the build (``make bench``
counts it) and is reported per notebook; it exits when the build closes its stdin.
"""
from __future__ import annotations

import ast
import functools
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from .trace import span

#: imported by every kernel whatever the notebooks say: the kernel itself, and what the notebooks'
#: modules import only when first called (pandas' Parquet reader, the inline backend's formatters)
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "IPython", "matplotlib_inline.backend_inline",
                  "pyarrow.parquet", "PIL.PngImagePlugin",
                  # what each kernel imported after the fork (≈ 140 modules; the debugger's alone ≈ 0.15 CPU s)
                  "ipykernel.debugger", "ipykernel_launcher", "IPython.core.history", "IPython.core.completerlib",
                  "IPython.core.debugger", "IPython.core.logger", "IPython.extensions.storemagic", "sqlite3", "psutil",
                  "tornado.platform.asyncio", "tornado.queues", "faulthandler",
                  # what cells imported inside functions they call (py-spy of a seeds build: ≈ 1.4 s in all):
                  # myst-nb's glue, Bokeh for the hover plots (terms, tone), papermill (methods' parameter table)
                  "myst_nb.ext.glue", "bokeh.plotting", "bokeh.models", "bokeh.embed", "bokeh.layouts",
                  "bokeh.transform", "bokeh.palettes", "papermill")

#: (module, name) of the settings the book's figures are drawn with, for :func:`_warm_drawing`
WARM_STYLE = ("scripts.plots.style", "RC")

#: seconds between two looks whether a kernel asked to shut down has exited (jupyter_client: 0.1)
SHUTDOWN_POLL = 0.01
#: seconds a starting kernel's client waits for a message on IOPub before asking again (jupyter_client: 0.2)
READY_POLL = 0.02

#: the variable that tells a papermill worker where the zygote listens (never passed to a kernel)
ADDRESS_VARIABLE = "REPORT_KERNEL_ZYGOTE"

#: what the analysis stage imports (its package and the modules its steps call), imported first by a
#: zygote that runs the build's stage (:meth:`Zygote.start_stage`): the stage then starts in a fork of
#: it while it imports the rest for the kernels on the other core
STAGE_MODULES = ("scripts.stage", "scripts.stage.run", "scripts.stage.analyse", "nltk.tokenize.punkt", "scripts.diplomatic",
                 "scripts.gazetteer", "scripts.mentions", "scripts.quotes", "scripts.tone_scores", "pyarrow.parquet")
#: the stage's CPU seconds in the zygote's report (``kernels``), as for a notebook
STAGE_LABEL = "analysis stage"


def notebook_imports(paths: list[Path]) -> list[str]:
    """Modules the notebooks' code cells import (``import a.b``, ``from a import b``: ``a``, ``a.b``),
    in first-seen order. Cells that are not plain Python (magics) are skipped."""
    seen: dict[str, None] = {}
    for path in paths:
        cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
        for cell in cells:
            if cell.get("cell_type") != "code":
                continue
            source = "".join(cell.get("source", []))
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    seen.update((alias.name, None) for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    seen[node.module] = None
                    seen.update((f"{node.module}.{alias.name}", None) for alias in node.names if alias.name != "*")
    return list(seen)


# --------------------------------------------------------------------------------------------------
# the zygote process


def _preload(modules: list[str], between=None) -> list[str]:
    """Import ``modules`` (``a.b`` that is a name, not a module, is skipped); return those imported.
    ``between()`` is called before each import (the zygote answers a stage request there)."""
    import importlib

    done = []
    for name in modules:
        if between is not None:
            between()
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a name, not a module, or a module that fails: the notebook imports it itself
            continue
        done.append(name)
    return done


def _warm_drawing() -> None:
    """Draw and encode one small figure with regular and bold text, in the book's figure settings when
    the notebooks import them (:data:`WARM_STYLE`), restored afterwards: a kernel's first figure paid for
    loading the font and filling matplotlib's font and text caches (≈ 0.15 CPU s); forked kernels find
    them filled. The figure is not pyplot's (no figure manager) and no setting outlives the call."""
    if "matplotlib" not in sys.modules:
        return
    import io

    import matplotlib
    from matplotlib.figure import Figure

    style = getattr(sys.modules.get(WARM_STYLE[0]), WARM_STYLE[1], {})
    try:
        with matplotlib.rc_context(style):
            fig = Figure(figsize=(2, 1.5), layout="constrained")
            ax = fig.add_subplot()
            ax.plot([0, 1], [0, 1], label="a")
            ax.set_title("Warm-up é", fontweight="bold")
            ax.set_xlabel("x")
            ax.legend()
            fig.savefig(io.BytesIO(), format="png")
    except Exception:  # noqa: BLE001 - a kernel draws its first figure itself, as before
        pass


def serve(listen_fd: int, modules: list[str], stage_fd: int | None = None) -> None:
    """The zygote: import ``modules``, then fork one kernel per request on the listening socket
    ``listen_fd`` (bound by the build before it started the zygote: requests wait in its backlog)
    until stdin closes; print one JSON line with the CPU seconds of the preload and of each kernel.

    ``stage_fd``: a socket on which the build asks for its analysis stage (:meth:`Zygote.start_stage`).
    The zygote then imports :data:`STAGE_MODULES` first and, as soon as the request is there (checked
    between the imports that follow, and in the loop), forks the stage, which answers on that socket."""
    listener = socket.socket(fileno=listen_fd)
    stage = [socket.socket(fileno=stage_fd)] if stage_fd is not None else []
    launch_dir = sys.path[0]  # what ``python -m`` put first; a fresh kernel does not have it
    # a fresh kernel sets this before any cell imports matplotlib (ipykernel's init_gui_pylab)
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    labels: dict[int, str] = {}
    kernels: dict[str, float] = {}
    environ = dict(os.environ)

    stage_args: list[dict] = []  # the stage's arguments, until its tables are kept for the kernels

    def stage_waiting() -> None:
        if stage and select.select(stage, [], [], 0)[0]:
            stage_args[:] = [_fork_stage(stage.pop(), listener, labels)]

    with span("zygote imports"):
        if stage:
            with span("zygote imports for the stage"):
                _preload(list(STAGE_MODULES))
        _preload(list(KERNEL_MODULES) + modules, between=stage_waiting)
        _warm_drawing()
    preload_cpu = sum(os.times()[:2])
    # what the imports put in the environment (debugpy: PYDEVD_USE_FRAME_EVAL), a fresh kernel's imports would too
    set_by_imports = {k: v for k, v in os.environ.items() if environ.get(k) != v}

    def reap(*_args) -> None:
        while True:
            try:
                pid, _status, usage = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            label = labels.pop(pid, str(pid))
            kernels[label] = kernels.get(label, 0.0) + usage.ru_utime + usage.ru_stime

    signal.signal(signal.SIGCHLD, reap)
    reap()  # a stage that ended during the imports
    stdin = sys.stdin.fileno()
    while True:
        ready, _, _ = select.select([listener, stdin, *stage], [], [])
        if stdin in ready and not os.read(stdin, 4096):
            break
        if stage and stage[0] in ready:
            stage_args[:] = [_fork_stage(stage.pop(), listener, labels)]
        if listener in ready:
            if stage_args:
                _keep_stage_tables(stage_args.pop())
            conn, _ = listener.accept()
            with conn:
                _fork_kernel(conn, listener, launch_dir, labels, set_by_imports)
    listener.close()
    deadline = time.monotonic() + 30
    while labels and time.monotonic() < deadline:  # kernels still shutting down
        time.sleep(0.05)
        reap()
    for pid in list(labels):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    while labels:
        try:
            pid, _status, usage = os.wait4(-1, 0)
        except ChildProcessError:
            break
        label = labels.pop(pid, str(pid))
        kernels[label] = kernels.get(label, 0.0) + usage.ru_utime + usage.ru_stime
    print(json.dumps({"preload_cpu": preload_cpu, "kernels": kernels}), flush=True)


def _read_request(conn: socket.socket) -> tuple[dict | None, list[int]]:
    """One request: a JSON line and the requester's stdout and stderr as file descriptors (None: the
    requester closed the connection without asking)."""
    msg, fds, _flags, _addr = socket.recv_fds(conn, 1 << 16, 2)
    if not msg:
        for fd in fds:
            os.close(fd)
        return None, []
    while not msg.endswith(b"\n"):  # a long environment may arrive in more than one piece
        chunk = conn.recv(1 << 16)
        if not chunk:
            raise ConnectionError("incomplete request")
        msg += chunk
    return json.loads(msg.decode("utf-8")), list(fds)


def _fork_stage(conn: socket.socket, listener: socket.socket, labels: dict[int, str]) -> dict:
    """Fork the build's analysis stage (:func:`run_stage_request`), which answers on ``conn`` with one
    JSON line; the zygote keeps importing meanwhile and reaps it like a kernel (its CPU is reported
    under :data:`STAGE_LABEL`). Returns the stage's arguments ({} when the request was incomplete)."""
    request, fds = _read_request(conn)
    if request is None:
        conn.close()
        return {}
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})  # reaped only once it is labelled
    pid = os.fork()
    if pid == 0:  # the stage
        try:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
            listener.close()
            _die_with_parent()
            _adopt(request, fds)
            answer = run_stage_request(request["args"])
        except BaseException:  # noqa: BLE001 - the build raises it
            import traceback

            answer = {"error": traceback.format_exc()}
        try:
            conn.sendall((json.dumps(answer) + "\n").encode("utf-8"))
            for stream in (sys.stdout, sys.stderr):
                stream.flush()
        finally:
            os._exit(0)
    labels[pid] = STAGE_LABEL
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
    for fd in fds:
        os.close(fd)
    conn.close()
    return request.get("args") or {}


def _adopt(request: dict, fds: list[int]) -> None:
    """In a forked child: take the requester's stdout/stderr (``fds``), folder and environment, as a
    process it started itself would have them (the stage child and every kernel)."""
    for target, fd in zip((1, 2), fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])


def _keep_stage_tables(args: dict) -> None:
    """Before the first kernel after the build's stage: read the stage's tables into the zygote
    (:func:`scripts.stage.run.keep_tables`), so that every kernel forked from now on takes them from
    memory instead of reading the same Parquet again (≈ 2–3 s a notebook at 1,000 articles). The build
    asks for kernels only once the stage has answered, so the tables are in the store. Best effort: on
    any failure each kernel reads them itself, as before."""
    if not args or args.get("engine", "local") != "local":
        return
    try:
        with span("zygote keeps the stage's tables"):
            from scripts.stage.run import keep_tables

            keep_tables(args["seeds"], args.get("store"))
    except Exception:  # noqa: BLE001 - the kernels read the tables themselves
        pass


def _die_with_parent() -> None:
    """Linux: this process is killed when the zygote dies (a failed build kills the zygote)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - elsewhere the stage finishes on its own
        pass


def run_stage_request(args: dict) -> dict:
    """Run the analysis stage as the build asked (:func:`scripts.build.stage_answer`)."""
    from scripts.build import stage_answer

    return stage_answer(**args)


def _fork_kernel(conn: socket.socket, listener: socket.socket, launch_dir: str, labels: dict[int, str],
                 set_by_imports: dict[str, str]) -> None:
    """Read one request (JSON line + the requester's stdout and stderr as file descriptors), fork the
    kernel, answer with its pid once it runs in its own session."""
    request, fds = _read_request(conn)
    if request is None:
        return
    ready_r, ready_w = os.pipe()
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})  # reaped only once it is labelled
    pid = os.fork()
    if pid == 0:  # the kernel
        code = 1
        try:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
            listener.close()
            conn.close()
            os.close(ready_r)
            os.setsid()  # like jupyter_client's start_new_session: interrupts reach the kernel's group only
            os.write(ready_w, b"1")
            os.close(ready_w)
            code = _run_kernel(request, fds, launch_dir, set_by_imports)
        except BaseException:  # noqa: BLE001 - the kernel's stderr is the notebook's kernel log
            import traceback

            traceback.print_exc()
        finally:
            os._exit(code)
    labels[pid] = request.get("label", str(pid))
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
    os.close(ready_w)
    for fd in fds:
        os.close(fd)
    ok = os.read(ready_r, 1)
    os.close(ready_r)
    conn.sendall((json.dumps({"pid": pid} if ok else {"error": "the forked kernel died at once"}) + "\n").encode())


def _run_kernel(request: dict, fds: list[int], launch_dir: str, set_by_imports: dict[str, str]) -> int:
    """In the forked child: become what ``python -m ipykernel_launcher ARGS`` started in ``cwd`` with
    ``env`` and the requester's stdout/stderr would be, and run the kernel until it shuts down.
    ``set_by_imports``: variables the zygote's imports set, which the kernel's own imports would have set."""
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    _adopt(request, fds)
    for name, value in set_by_imports.items():
        os.environ.setdefault(name, value)
    if sys.path and sys.path[0] in (launch_dir, ""):
        del sys.path[0]  # ipykernel_launcher removes its folder; IPython adds '' back (init_path)
    import ipykernel_launcher
    from ipykernel import kernelapp

    sys.argv = [ipykernel_launcher.__file__, *request["argv"]]
    try:
        # the defaults ipykernel read from the environment when the zygote imported it, from the kernel's
        kernelapp.IPKernelApp.launch_instance(parent_handle=int(os.environ.get("JPY_PARENT_PID") or 0),
                                              interrupt=int(os.environ.get("JPY_INTERRUPT_EVENT") or 0))
        code = 0
    except SystemExit as err:
        code = err.code if isinstance(err.code, int) else 0
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001
            pass
    return code


# --------------------------------------------------------------------------------------------------
# the build's side


class Zygote:
    """The zygote process of one build: started early, it tells the papermill workers where it listens
    (``$REPORT_KERNEL_ZYGOTE``, until :meth:`stop`); :meth:`stop` it when the notebooks ran (it returns
    the CPU seconds of the preload and of each notebook's kernel), or :meth:`kill` it when the build failed."""

    def __init__(self, modules: list[str], stage: bool = False):
        """``stage``: the build will run its analysis stage here (:meth:`start_stage`)."""
        self.folder = tempfile.mkdtemp(prefix="report-kernels-")
        self.address = os.path.join(self.folder, "zygote.sock")
        root = Path(__file__).resolve().parent.parent.parent
        self._stage, theirs = socket.socketpair() if stage else (None, None)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener, \
                open(os.path.join(self.folder, "zygote.log"), "w") as log_file:
            listener.bind(self.address)
            listener.listen(64)
            fds = [listener.fileno()] + ([theirs.fileno()] if theirs is not None else [])
            args = [str(listener.fileno())] + (["--stage-fd", str(theirs.fileno())] if theirs is not None else [])
            self.process = subprocess.Popen([sys.executable, "-m", "scripts.build.kernels", *args, *modules],
                                            cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log_file,
                                            pass_fds=fds, text=True)
        if theirs is not None:
            theirs.close()
        os.environ[ADDRESS_VARIABLE] = self.address  # papermill workers forked from now on use it

    def start_stage(self, **args) -> None:
        """Ask for the analysis stage (:func:`scripts.build.stage_answer` with ``args``), run in a fork of
        the zygote as soon as it imported :data:`STAGE_MODULES`, with this process's working folder,
        environment, stdout and stderr; :meth:`stage_result` waits for its answer."""
        env = {k: v for k, v in os.environ.items() if k != ADDRESS_VARIABLE}
        msg = (json.dumps({"args": args, "cwd": os.getcwd(), "env": env}) + "\n").encode("utf-8")
        sent = socket.send_fds(self._stage, [msg], [1, 2])
        self._stage.sendall(msg[sent:])

    def stage_result(self) -> dict:
        """The stage's answer (:func:`scripts.build.stage_answer`), or ``{"error": ...}``."""
        answer = b""
        while not answer.endswith(b"\n"):
            chunk = self._stage.recv(1 << 16)
            if not chunk:
                return {"error": f"the analysis stage ended without an answer (see {self.folder}/zygote.log)"}
            answer += chunk
        self._stage.close()
        return json.loads(answer)

    def kill(self) -> None:
        """The build failed: end the zygote now (it may still be importing); its kernels, in their own
        sessions, are shut down by papermill and exit when their parent is gone."""
        os.environ.pop(ADDRESS_VARIABLE, None)
        self.process.kill()
        self.process.communicate()
        import shutil

        shutil.rmtree(self.folder, ignore_errors=True)

    def finish(self) -> None:
        """No more kernels: the zygote ends once its kernels have exited (:meth:`stop` collects its report)."""
        os.environ.pop(ADDRESS_VARIABLE, None)
        if self.process.stdin is not None:
            self.process.stdin.close()
            self.process.stdin = None  # communicate() would flush it

    def stop(self) -> dict:
        """Close the zygote (it waits for its kernels) and return ``{"preload_cpu": s, "kernels": {label: s}}``."""
        self.finish()
        try:
            out, _ = self.process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, _ = self.process.communicate()
        finally:
            import shutil

            shutil.rmtree(self.folder, ignore_errors=True)
        try:
            return json.loads(out.strip().splitlines()[-1])
        except (ValueError, IndexError):
            return {}


def request_kernel(address: str, argv: list[str], cwd: str, env: dict, label: str, timeout: float) -> int:
    """Ask the zygote for a kernel; return its pid. It inherits this process's stdout and stderr."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(timeout)
        conn.connect(address)
        msg = (json.dumps({"argv": argv, "cwd": cwd, "env": env, "label": label}) + "\n").encode("utf-8")
        sent = socket.send_fds(conn, [msg], [1, 2])
        conn.sendall(msg[sent:])
        answer = b""
        while not answer.endswith(b"\n"):
            chunk = conn.recv(4096)
            if not chunk:
                raise RuntimeError("the kernel zygote closed the connection (see its log)")
            answer += chunk
    reply = json.loads(answer)
    if "pid" not in reply:
        raise RuntimeError(f"the kernel zygote could not fork a kernel: {reply.get('error')}")
    return int(reply["pid"])


class ForkedKernel:
    """What :class:`LocalProvisioner` expects of a ``Popen``, for a kernel that is the zygote's child:
    alive while its pid exists and is not a zombie (the zygote reaps it at once)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and not _alive(self.pid):
            self.returncode = 0  # the status is the zygote's; the notebook's outcome is in its cells
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("kernel", timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


@functools.cache
def _manager_classes() -> dict[str, type]:
    """:class:`WarmProvisioner` and :class:`WarmKernelManager`, defined on first use: the zygote does not
    need jupyter_client's managers, so it starts the stage's imports ≈ 0.25 CPU s sooner."""
    from queue import Empty

    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_client.provisioning import LocalProvisioner

    class WarmProvisioner(LocalProvisioner):
        """Launches the kernel by asking the zygote (``$REPORT_KERNEL_ZYGOTE``) instead of starting
        ``python -m ipykernel_launcher``; everything else (ports, connection file, shutdown, signals to
        the kernel's process group) is :class:`LocalProvisioner`'s."""

        async def launch_kernel(self, cmd: list[str], **kwargs) -> dict:
            address = os.environ.get(ADDRESS_VARIABLE)
            if not address or len(cmd) < 3 or cmd[1:3] != ["-m", "ipykernel_launcher"] \
                    or os.path.realpath(cmd[0]) != os.path.realpath(sys.executable):
                return await super().launch_kernel(cmd, **kwargs)  # not our Python's ipykernel: start it as usual
            env = {k: v for k, v in (kwargs.get("env") or os.environ).items() if k != ADDRESS_VARIABLE}
            cwd = str(kwargs.get("cwd") or os.getcwd())
            label = getattr(self.parent, "label", "") or "kernel"
            env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets it
            pid = request_kernel(address, cmd[3:], cwd, env, label, timeout=float(getattr(self.parent, "start_timeout", 300)))
            self.process = ForkedKernel(pid)
            self.pid, self.pgid, self.cwd = pid, pid, cwd  # the child called setsid() before the zygote answered
            return self.connection_info

    class WarmKernelClient(AsyncKernelClient):
        """jupyter_client's client, which waits for the kernel to be ready in shorter steps."""

        async def wait_for_ready(self, timeout: float | None = None) -> None:
            """As jupyter_client's: ask for the kernel's info until the kernel answers and a message on
            IOPub shows that channel connected, but look at IOPub for :data:`READY_POLL` s, not 0.2 s:
            the first answer usually comes before IOPub is connected, so each started kernel waited
            the 0.2 s in full (a notebook's kernel took ≈ 0.4 s to be ready, of which 0.09 s starting)."""
            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    msg = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    pass
                else:
                    if msg["msg_type"] == "kernel_info_reply":
                        try:
                            await self.iopub_channel.get_msg(timeout=READY_POLL)
                        except Empty:
                            pass
                        else:
                            self._handle_kernel_info_reply(msg)
                            break
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")
            while True:  # flush IOPub, as jupyter_client does
                try:
                    await self.iopub_channel.get_msg(timeout=READY_POLL)
                except Empty:
                    break

    class WarmKernelManager(AsyncKernelManager):
        """nbclient's kernel manager with :class:`WarmProvisioner`; :func:`manager_for` names the notebook."""

        label = ""
        client_factory = WarmKernelClient

        async def _async_pre_start_kernel(self, **kw):
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            if self.provisioner is None:
                self.provisioner = WarmProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self)
            return await super()._async_pre_start_kernel(**kw)

        async def _async_finish_shutdown(self, waittime=None, pollinterval=0.1, restart=False):
            # jupyter_client looks every 0.1 s whether the kernel has exited: ≈ 0.1 s lost a notebook
            return await super()._async_finish_shutdown(waittime, min(pollinterval, SHUTDOWN_POLL), restart)

        async def _async_wait(self, pollinterval=0.1):
            return await super()._async_wait(min(pollinterval, SHUTDOWN_POLL))

    return {"WarmProvisioner": WarmProvisioner, "WarmKernelManager": WarmKernelManager}


def __getattr__(name: str):
    if name in ("WarmProvisioner", "WarmKernelManager"):
        return _manager_classes()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def manager_for(label: str) -> type:
    """A ``WarmKernelManager`` class whose kernels the zygote reports under ``label``."""
    base = _manager_classes()["WarmKernelManager"]
    return type("WarmKernelManager", (base,), {"label": label})


if __name__ == "__main__":
    if sys.argv[2:3] == ["--stage-fd"]:
        serve(int(sys.argv[1]), sys.argv[4:], stage_fd=int(sys.argv[3]))
    else:
        serve(int(sys.argv[1]), sys.argv[2:])
