"""One long-lived GAP process driven through pipes with pexpect.

Protocol: GAP runs quietly (``-q``) with the package ``sbsgap`` loaded
(:mod:`._package`), and Python sends one line per call,
``SBS_Run(<id>, function() return <F>(<args>); end);``, where ``F`` is one of
our own ``SBS_*`` functions and every argument is a literal written by
:func:`~._literal.gap_literal` from validated data.  ``SBS_Run``
(gap_scripts/gap/bridge.gi) answers with sentinel lines ``@@SBS:<id>:OK <json>``
or ``@@SBS:<id>:ERR``, so no prompt parsing is needed and stale output of an
interrupted call can never be mistaken for the answer to a later one.

Faults:

* GAP cannot start: it exits during start-up, or does not answer within the
  start-up time limit (``start_timeout``, default 30 s, or the environment
  variable ``SBS_GAP_START_TIMEOUT``): :class:`~sbs_gap.errors.GapStartError`;
* a GAP error unwinds to ``CALL_WITH_CATCH`` inside ``SBS_Run``: we raise
  :class:`GapError` with GAP's message and the file and line of the GAP code
  that raised it; the session stays usable;
* a call past its timeout: SIGINT (GAP's "user interrupt"); if GAP does not
  answer within a grace period it is killed and restarted on the next call;
  either way :class:`GapTimeout`;
* GAP dies (killed from outside, crash): the call is retried once on a fresh
  process, then :class:`GapDied`;
* GAP runs in its own process group, which is killed as a whole on
  :meth:`GapSession.close`, on garbage collection and at interpreter exit, so
  wrapper scripts (Debian's ``gap`` is one) leave no orphans or zombies.
"""
from __future__ import annotations

import atexit
import itertools
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import weakref
from concurrent.futures import ThreadPoolExecutor

import pexpect
from pexpect.popen_spawn import PopenSpawn
from pexpect.spawnbase import SpawnBase

from ..errors import GapDied, GapError, GapNotFoundError, GapStartError, GapTimeout, InputError
from ._literal import StoreKey, gap_literal
from ._locate import configured_gap_command, find_gap_command
from ._package import (
    PACKAGE_NAME, extension_files, load_mode, package_dir, package_files, suggested_packages,
)

__all__ = [
    "GapSession", "GapPool", "default_session", "close_default_session", "close_all_sessions",
    "started_pids", "DEFAULT_TIMEOUT", "DEFAULT_START_TIMEOUT",
]

DEFAULT_TIMEOUT = 300.0
DEFAULT_START_TIMEOUT = 30.0
INTERRUPT_GRACE = 3.0
_FUNCTION_NAME = re.compile(r"SBS_[A-Za-z0-9_]+")
_INPUT_ERROR_TAG = "SBS-INPUT: "
_START = re.compile(r"@@SBS:START:(OK (.*?)|FAIL)\r?\n")


class _Code(str):
    """GAP source written by this module from literals (never user text)."""


# GAP is started without ``preexec_fn``: Python code run in the child between
# fork and exec can deadlock on a lock another thread held at the fork (the
# test process and users' programs have threads: Dask, torch, tqdm, other
# sessions), which left a GAP that never started.  Instead
# ``start_new_session=True`` gives GAP its own session and process group (done
# by CPython's C code, which may then use vfork), and the parent-death signal
# is set by a small program that execs GAP in the same process (same pid, same
# argv): util-linux ``setpriv --pdeathsig KILL`` (about 1 ms), else this
# Python one-liner (about 10 ms; it restores SIGPIPE and SIGXFSZ, which Python
# ignores and exec would keep ignored), else none (cleanup is then left to
# close(), garbage collection and atexit, as for GAPs started from threads).
# The signal fires when the *thread* that started the child exits, which is
# why it is only asked for on the main thread (see GapSession._spawn).
_SETPRIV_PDEATHSIG = ("setpriv", "--pdeathsig", "KILL", "--")
_PYTHON_PDEATHSIG = (
    "import ctypes, os, signal, sys\n"
    "if ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL) != 0:\n"  # PR_SET_PDEATHSIG
    "    sys.exit('cannot set the parent-death signal')\n"
    "signal.signal(signal.SIGPIPE, signal.SIG_DFL)\n"
    "signal.signal(signal.SIGXFSZ, signal.SIG_DFL)\n"
    "os.execvp(sys.argv[1], sys.argv[1:])\n")
_pdeathsig_lock = threading.Lock()
_pdeathsig_prefix: "tuple[str, ...] | None" = None  # found on first use


def _pdeathsig_candidates() -> "list[tuple[str, ...]]":
    candidates = [_SETPRIV_PDEATHSIG]
    if sys.executable:
        candidates.append((sys.executable, "-I", "-S", "-c", _PYTHON_PDEATHSIG))
    return candidates


def _parent_death_prefix() -> "tuple[str, ...]":
    """The argv prefix that makes the program after it die with its parent:
    the first candidate that runs ``/bin/sh -c :`` successfully, or () where
    none does or the platform has no parent-death signal.  Probed once."""
    global _pdeathsig_prefix
    with _pdeathsig_lock:
        if _pdeathsig_prefix is None:
            _pdeathsig_prefix = ()
            if sys.platform.startswith("linux"):
                for prefix in _pdeathsig_candidates():
                    try:
                        ok = subprocess.run(
                            [*prefix, "/bin/sh", "-c", ":"], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            timeout=10).returncode == 0
                    except (OSError, subprocess.SubprocessError):
                        ok = False
                    if ok:
                        _pdeathsig_prefix = tuple(prefix)
                        break
        return _pdeathsig_prefix


def _spawn_argv(argv: "list[str]", parent_death_signal: bool) -> "list[str]":
    """The argv to start GAP with: ``argv`` itself, or behind the
    parent-death wrapper.  A GAP that cannot be found or run is started
    directly so that Popen raises its usual error."""
    if not parent_death_signal or shutil.which(argv[0]) is None:
        return list(argv)
    return [*_parent_death_prefix(), *argv]


def _start_timeout_from_environment() -> float:
    text = os.environ.get("SBS_GAP_START_TIMEOUT", "").strip()
    if not text:
        return DEFAULT_START_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0:
        raise GapNotFoundError(f"SBS_GAP_START_TIMEOUT must be a positive number of "
                               f"seconds, not {text!r}")
    return value


_LOCATION = re.compile(r"\s+at (\S+):(\d+)(?: called from)?\s*$")
# GAP 4.13 and later: the traceback frame "*[1] STATEMENT" then "   @ FILE:LINE".
_FRAME = re.compile(r"^\*\[\d+\]")
_FRAME_LOCATION = re.compile(r"^\s*@ (\S+):(\d+)\s*$")


def _parse_gap_error(text: str) -> tuple[str, str | None]:
    """(message, location) of GAP's error output: the message without the
    traceback, and the first code location (relative to the package folder)
    or None when the code was streamed.

    GAP 4.12 prints ``Error, MESSAGE at FILE:LINE called from`` for an
    ``Error`` call, and ``Error, MESSAGE in`` then ``  STATEMENT at FILE:LINE
    called from`` for an error inside a statement; GAP 4.13 and later print
    ``Error, MESSAGE`` then a frame ``*[1] STATEMENT`` and ``   @ FILE:LINE``.
    """
    lines = [line.rstrip() for line in text.splitlines()]
    start = next((i for i, line in enumerate(lines) if line.startswith("Error, ")), None)
    if start is None:
        body = [line.strip() for line in lines
                if line.strip() and not line.strip().startswith("@@SBS:")]
        return " ".join(body) or "GAP reported an error", None
    message, location = [], None
    for i, line in enumerate(lines[start:], start=start):
        found = _LOCATION.search(line)
        if found:
            location = _relative_location(found.group(1), found.group(2))
            if not (message and message[-1].endswith(" in")):
                message.append(line[:found.start()].strip())
            break
        if _FRAME.match(line):
            frame = _FRAME_LOCATION.match(lines[i + 1]) if i + 1 < len(lines) else None
            if frame:
                location = _relative_location(frame.group(1), frame.group(2))
            break
        if line.startswith("@@SBS:") or "called from" in line:
            break
        message.append(line.strip())
    text = " ".join(message)
    text = text[len("Error, "):] if text.startswith("Error, ") else text
    if text.endswith(" in"):
        text = text[:-3]
    return text.strip() or "GAP reported an error", location


def _relative_location(path: str, line: str) -> str | None:
    if path.startswith("*"):  # *stdin*: streamed code has no useful location
        return None
    path = re.sub(r"/+", "/", path)
    root = re.sub(r"/+", "/", str(package_dir()))
    if path.startswith(root + "/"):
        path = path[len(root) + 1:]
    return f"{path}:{line}"


class _WaitingSpawn(PopenSpawn):
    """PopenSpawn that waits for GAP's output instead of polling for it.

    pexpect's PopenSpawn checks its reader thread's queue without waiting
    and sleeps 0.1 ms between checks: about 10 000 wake-ups a second per
    session, each searching the buffer again, which on two cores took CPU
    time from GAP itself (2 million wake-ups in the space-group tables).
    Here the first chunk is waited for, up to the time left.

    It also starts the process itself, as PopenSpawn.__init__ does but with
    ``start_new_session=True`` (GAP's own session and process group) and
    without ``preexec_fn``, which PopenSpawn has no way to pass on.
    """

    def __init__(self, argv, *, timeout, maxread, encoding, codec_errors):
        SpawnBase.__init__(self, timeout=timeout, maxread=maxread,
                           encoding=encoding, codec_errors=codec_errors)
        self.crlf = self.string_type(os.linesep)  # pipes translate nothing
        self.proc = subprocess.Popen(list(argv), bufsize=0, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.pid = self.proc.pid
        self.closed = False
        self._buf = self.string_type()
        self._read_queue = queue.Queue()
        self._read_thread = threading.Thread(target=self._read_incoming, daemon=True)
        self._read_thread.start()

    def read_nonblocking(self, size, timeout):
        if not self._read_reached_eof and size and len(self._buf) < size:
            wait = self.timeout if timeout == -1 else timeout
            try:
                incoming = self._read_queue.get(
                    timeout=None if wait is None else max(float(wait), 0.0))
            except queue.Empty:
                incoming = b""
            if incoming is None:
                self._read_reached_eof = True
            elif incoming:
                self._buf += self._decoder.decode(incoming, final=False)
        # the rest already queued, and pexpect's own EOF handling
        return super().read_nonblocking(size, timeout)


def _kill_process_group(proc) -> None:
    """Kill GAP's whole process group and reap it (idempotent)."""
    if proc is None:
        return
    try:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                proc.kill()
        proc.wait(timeout=10)
    except Exception:  # noqa: BLE001 - best effort at teardown
        pass
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        try:
            if stream is not None:
                stream.close()
        except Exception:  # noqa: BLE001
            pass


_live_sessions: "weakref.WeakSet[GapSession]" = weakref.WeakSet()
#: PIDs of every GAP process started in this interpreter (for leak checks).
started_pids: list[int] = []


@atexit.register
def close_all_sessions() -> None:
    """Close every GAP session of this interpreter (also run at exit)."""
    for session in list(_live_sessions):
        session.close()


def _gap_string(text: str) -> str:
    """A GAP string literal for text this module chose (a path, a name)."""
    if not re.fullmatch(r"[A-Za-z0-9_./+-]*", text):
        raise ValueError(f"refusing to write {text!r} into GAP code")
    return f'"{text}"'


def _send_quietly(child, text: str) -> None:
    try:
        child.send(text)
    except (OSError, ValueError):  # broken pipe or closed: GAP is gone; its output tells
        pass


class GapSession:
    """A long-lived GAP process with the package ``sbsgap`` loaded.

    Thread-safe: calls are serialized by a lock.

    Parameters
    ----------
    command : list of str, optional
        Argument vector starting GAP; default :func:`find_gap_command`.
    timeout : float
        Default per-call time limit in seconds.
    start_timeout : float, optional
        Time limit for starting GAP and loading the package (default 30 s, or
        ``SBS_GAP_START_TIMEOUT``).
    load : {"package", "stream"}, optional
        How GAP gets the package (see :mod:`sbs_gap.gap`); by default
        ``"package"`` for a GAP on this machine and ``"stream"`` for a command
        given explicitly or through ``SBS_GAP``.

    Attributes
    ----------
    cache : dict
        Derived data callers keep for this GAP process (e.g. the analysis of
        a registered group); emptied when GAP restarts and dropped with the
        session.
    """

    def __init__(self, command: list[str] | None = None, *, timeout: float = DEFAULT_TIMEOUT,
                 start_timeout: float | None = None, load: str | None = None):
        self.command = list(command) if command else None
        self.timeout = float(timeout)
        self.start_timeout = float(start_timeout) if start_timeout is not None else None
        self.load = load
        self.version: str | None = None
        self.starts = 0  # how many GAP processes this session has started
        self.cache: dict = {}
        self._child: PopenSpawn | None = None
        self._finalizer = None
        self._lock = threading.RLock()
        self._ids = itertools.count(1)
        self._closed = False
        self._registrations: dict[StoreKey, tuple[str, tuple]] = {}
        self._registered: dict[StoreKey, object] = {}  # results, current process only
        self._extensions: list[str] = []
        #: Wall time spent waiting for GAP in calls, in all and per GAP
        #: function, and the number of calls (benchmarks read these; they
        #: never affect behaviour).
        self.gap_seconds = 0.0
        self.gap_seconds_by_function: dict[str, float] = {}
        self.calls = 0
        #: Set to a list to record every call sent (for benchmarks).
        self.transcript: list[str] | None = None
        _live_sessions.add(self)

    # ------------------------------------------------------------------ life
    @property
    def pid(self) -> int | None:
        """PID of the running GAP process (its process group leader), if any."""
        child = self._child
        return child.proc.pid if child is not None and child.proc.poll() is None else None

    @property
    def alive(self) -> bool:
        return self.pid is not None

    @property
    def load_mode(self) -> str:
        """How this session loads the package: ``"package"`` or ``"stream"``."""
        if self.load is not None:
            return self.load
        custom = self.command is not None or configured_gap_command() is not None
        return load_mode(custom)

    def start(self) -> "GapSession":
        """Start GAP now (calls start it lazily otherwise)."""
        with self._lock:
            if self._closed:
                raise GapError("this GAP session is closed")
            if not self.alive:
                try:
                    self._spawn()
                except _ProcessDied as died:
                    raise GapDied(f"GAP exited while starting (last output: "
                                  f"{died.args[0][-300:]!r})") from None
            return self

    def _start_code(self, mode: str) -> str:
        lines = ["BreakOnError := false;"]
        if mode == "package":
            lines.append(f"SetPackagePath({_gap_string(PACKAGE_NAME)}, "
                         f"{_gap_string(str(package_dir()))});")
            lines.append(f"LoadPackage({_gap_string(PACKAGE_NAME)}, false);")
        else:
            for name in suggested_packages():
                lines.append(f"LoadPackage({_gap_string(name)}, false);")
            for path in package_files():
                lines.append(path.read_text(encoding="utf-8"))
        lines.append('if IsBoundGlobal("SBS_StartBridge") then SBS_StartBridge(); '
                     'Print("@@SBS:START:OK ", SBS_Version(), "\\n"); '
                     'else Print("@@SBS:START:FAIL\\n"); fi;')
        return "\n".join(lines) + "\n"

    def _spawn(self) -> None:
        self._discard()
        self._registered.clear()
        self.cache.clear()
        argv = self.command or find_gap_command()
        limit = self.start_timeout or _start_timeout_from_environment()
        mode = self.load_mode
        # The parent-death signal fires when the *thread* that forked exits, so
        # it is only armed for GAPs started from the main thread (whose end is
        # the interpreter's); others rely on close()/atexit and stdin EOF.
        on_main_thread = threading.current_thread() is threading.main_thread()
        try:
            child = _WaitingSpawn(_spawn_argv(argv, on_main_thread), encoding="utf-8",
                                  codec_errors="replace", maxread=65536, timeout=limit)
        except (FileNotFoundError, PermissionError) as exc:
            raise GapNotFoundError(f"cannot start GAP with {argv[0]!r}: {exc}") from None
        self._child = child
        started_pids.append(child.proc.pid)
        child.delayafterread = None  # reads wait for output (_WaitingSpawn)
        self._finalizer = weakref.finalize(self, _kill_process_group, child.proc)
        self.starts += 1
        try:
            self.version = self._await_start(child, argv, mode, limit)
            for name in self._extensions:
                self._read_extension(name, limit)
        except BaseException:
            self._discard()
            raise

    def _await_start(self, child, argv, mode: str, limit: float) -> str:
        """Send the package and wait for GAP's start sentinel; its version."""
        # The package text is larger than a pipe's buffer: a GAP that never
        # reads (hung, or not GAP at all) would block the write forever, so it
        # is written from a thread and the start-up limit below still holds.
        writer = threading.Thread(target=_send_quietly, args=(child, self._start_code(mode)),
                                  name="sbs-gap-start", daemon=True)
        writer.start()
        outcome = child.expect([_START, pexpect.EOF, pexpect.TIMEOUT], timeout=limit)
        text = child.before if isinstance(child.before, str) else ""
        if outcome == 1:
            try:
                status = child.proc.wait(timeout=5)
            except Exception:  # noqa: BLE001
                status = None
            tail = " ".join(text.split())[-300:]
            if status is not None and status < 0:
                # Killed by a signal (from outside): a death, retried like one.
                raise _ProcessDied(text)
            raise GapStartError(f"GAP exited during start-up with status {status}: "
                                f"{tail or '(no output)'} (command: {' '.join(argv)})")
        if outcome == 2:
            raise GapStartError(f"GAP did not answer within {limit:g} s of starting "
                                f"(command: {' '.join(argv)}; set SBS_GAP_START_TIMEOUT "
                                "for a slower start)")
        if child.match.group(2) is None or "Syntax error" in text:
            message, location = _parse_gap_error(text)
            where = f" at {location}" if location else ""
            raise GapError(f"GAP could not load the {PACKAGE_NAME} package ({mode}): "
                           f"{message}{where}")
        return child.match.group(2).strip()

    def _read_extension(self, name: str, limit: float) -> None:
        files = extension_files(name)
        if self.load_mode == "package":
            code = _Code(f"SBS_ReadExtension({_gap_string(name)})")
        else:
            for path in files:
                self._child.send(path.read_text(encoding="utf-8") + "\n")
            code = _Code("true")
        self._exchange(code, limit)

    def load_extension(self, name: str) -> None:
        """Load an optional part of the package (``"models"``, ``"testing"``)
        into this session, now and after every restart."""
        extension_files(name)  # validates the name
        with self._lock:
            if name in self._extensions:
                return
            self._extensions.append(name)
            if self.alive:
                self._read_extension(name, self.timeout)

    def _discard(self) -> None:
        """Kill and reap the current process, if any."""
        if self._finalizer is not None:
            self._finalizer()  # runs _kill_process_group once
        self._finalizer = None
        self._child = None

    def close(self) -> None:
        """Stop GAP (politely, then by force) and reap it.  Idempotent."""
        with self._lock:
            child = self._child
            if child is not None and child.proc.poll() is None:
                try:
                    child.send("QUIT;\n")
                    child.proc.stdin.close()
                    child.proc.wait(timeout=2)
                except Exception:  # noqa: BLE001 - fall through to the kill
                    pass
            self._discard()
            self._closed = True
            self.cache.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def memo(self, key, compute):
        """The value kept in :attr:`cache` under ``key``; ``compute()`` gives
        it the first time (and again after GAP restarts, which empties the
        cache, as the value may name objects of the old process)."""
        try:
            return self.cache[key]
        except KeyError:
            value = self.cache[key] = compute()
            return value

    # ----------------------------------------------------------------- calls
    def call(self, function: str, *args, timeout: float | None = None, requires=()):
        """Call one of our GAP functions (``SBS_*``) on literal arguments.

        Arguments are serialized by :func:`gap_literal`.  ``requires`` names
        objects registered with :meth:`ensure` that the call uses; they are
        re-created first if GAP was restarted.  Returns the decoded JSON value
        of the result.
        """
        return self._evaluate(self._call_code(function, args), timeout=timeout,
                              requires=requires)

    @staticmethod
    def _call_code(function: str, args) -> _Code:
        if not isinstance(function, str) or not _FUNCTION_NAME.fullmatch(function):
            raise ValueError(f"only sbs_gap's own GAP functions (SBS_*) can be called, "
                             f"not {function!r}")
        return _Code(f"{function}({','.join(gap_literal(a) for a in args)})")

    def ensure(self, key: StoreKey, function: str, *args, timeout: float | None = None):
        """Run the registration ``function(key, *args)`` (which stores an object
        under ``key`` in GAP) unless this GAP process has run it already, and
        return its result."""
        if not isinstance(key, StoreKey):
            raise TypeError("registrations are keyed by a StoreKey")
        code = self._call_code(function, (key,) + tuple(args))
        with self._lock:
            self._registrations[key] = code
            self._evaluate(_Code("true"), timeout=timeout, requires=(key,))
            return self._registered[key]

    def _evaluate(self, code: _Code, *, timeout: float | None = None, requires=()):
        if not isinstance(code, _Code) or "\n" in code:
            raise ValueError("GAP code for one call must be a single generated line")
        limit = self.timeout if timeout is None else float(timeout)
        with self._lock:
            if self._closed:
                raise GapError("this GAP session is closed")
            for attempt in (1, 2):
                try:
                    if not self.alive:
                        self._spawn()
                    for key in requires:
                        if key not in self._registered:
                            self._registered[key] = self._exchange(self._registrations[key],
                                                                   limit)
                    return self._exchange(code, limit)
                except _ProcessDied as died:
                    self._discard()
                    if attempt == 2:
                        raise GapDied(
                            "GAP died twice while evaluating a call; giving up "
                            f"(last output: {died.args[0][-200:]!r})") from None

    def _exchange(self, code: _Code, limit: float):
        """Send one call and wait for its sentinel; the decoded result."""
        child = self._child
        call_id = next(self._ids)
        started = time.perf_counter()
        if self.transcript is not None:
            self.transcript.append(str(code))
        try:
            return self._exchange_timed(child, call_id, code, limit)
        finally:
            seconds = time.perf_counter() - started
            self.gap_seconds += seconds
            function = code.split("(", 1)[0]
            self.gap_seconds_by_function[function] = (
                self.gap_seconds_by_function.get(function, 0.0) + seconds)
            self.calls += 1

    def _exchange_timed(self, child, call_id, code: _Code, limit: float):
        pattern = re.compile(rf"@@SBS:{call_id}:(?:OK (.*?)|ERR)\r?\n")
        try:
            child.send(f"SBS_Run({call_id}, function() return {code}; end);\n")
            outcome = child.expect([pattern, pexpect.EOF, pexpect.TIMEOUT], timeout=limit)
        except OSError as exc:  # broken pipe: GAP is gone
            raise _ProcessDied(str(exc)) from None
        except BaseException:
            # KeyboardInterrupt or similar mid-call: GAP's state is unknown.
            self._discard()
            raise
        if outcome == 1:
            raise _ProcessDied(child.before or "")
        if outcome == 2:
            self._interrupt(pattern, limit)
        text = child.before or ""
        payload = child.match.group(1)
        if payload is None:
            message, location = _parse_gap_error(text.split(f"@@SBS:{call_id}:BEGIN", 1)[-1])
            if message.startswith(_INPUT_ERROR_TAG):
                raise InputError(message[len(_INPUT_ERROR_TAG):])
            raise GapError(message, gap_message=message, location=location)
        return json.loads(payload)

    def _interrupt(self, pattern: re.Pattern, limit: float) -> None:
        """Interrupt a call that ran past its limit; always raises GapTimeout."""
        child = self._child
        try:
            os.killpg(child.proc.pid, signal.SIGINT)
            recovered = child.expect([pattern, pexpect.EOF, pexpect.TIMEOUT],
                                     timeout=INTERRUPT_GRACE) == 0
        except OSError:
            recovered = False
        if recovered:
            raise GapTimeout(f"GAP call exceeded its {limit:g} s limit and was interrupted")
        self._discard()
        raise GapTimeout(f"GAP call exceeded its {limit:g} s limit; GAP was restarted")


class _ProcessDied(Exception):
    pass


class GapPool:
    """A few GAP sessions sharing out work, one thread per session.

    ``pool.run(items, work)`` calls ``work(item, session)`` for every item,
    each session taking the next item as soon as it is free (the items may
    take very different times); ``pool.map("SBS_Version", [(), ()])``
    evaluates GAP calls that way.  Results come in the order of the items,
    whatever order they finished in.

    Parameters
    ----------
    size : int
        The number of sessions.
    sessions : sequence of GapSession, optional
        Sessions to work on as well (e.g. the default session, whose cache
        holds earlier answers); they are left open.  New sessions, started
        with ``session_options``, make up the rest of ``size`` and are
        closed with the pool.
    """

    def __init__(self, size: int = 2, *, sessions=(), **session_options):
        if size < 1:
            raise ValueError("a GAP pool needs at least one session")
        shared = list(sessions)
        self._own = [GapSession(**session_options) for _ in range(max(0, size - len(shared)))]
        self.sessions = shared + self._own

    def load_extension(self, name: str) -> None:
        for s in self.sessions:
            s.load_extension(name)

    def run(self, items, work, *, progress=None, label=str) -> list:
        """``[work(item, session) for item in items]``, shared out to the
        sessions; ``progress(label(item))`` is called as each one finishes."""
        items = list(items)
        todo: "queue.Queue" = queue.Queue()
        for i, item in enumerate(items):
            todo.put((i, item))
        results: dict[int, object] = {}
        lock = threading.Lock()

        def drain(session: GapSession) -> None:
            while True:
                try:
                    i, item = todo.get_nowait()
                except queue.Empty:
                    return
                result = work(item, session)
                with lock:
                    results[i] = result
                    if progress is not None:
                        progress(label(item))

        with ThreadPoolExecutor(max_workers=len(self.sessions)) as executor:
            for f in [executor.submit(drain, s) for s in self.sessions]:
                f.result()
        return [results[i] for i in range(len(items))]

    def map(self, function: str, arg_tuples, timeout: float | None = None) -> list:
        """``function(*args)`` in GAP for every tuple of arguments."""
        return self.run(arg_tuples, lambda args, session: session.call(function, *args,
                                                                       timeout=timeout))

    def close(self) -> None:
        """Close the sessions the pool started (not those it was given)."""
        for s in self._own:
            s.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


_default: GapSession | None = None
_default_lock = threading.Lock()


def default_session() -> GapSession:
    """The process-wide session used when no session is passed explicitly."""
    global _default
    with _default_lock:
        if _default is None or _default._closed:
            _default = GapSession()
        return _default


def close_default_session() -> None:
    global _default
    with _default_lock:
        if _default is not None:
            _default.close()
            _default = None
