"""Run the built app the way a user would, with nothing but the app folder.

    python packaging/smoke_test.py dist/voc-desktop

In a fresh temporary workspace: `voc demo` fills it, `voc report` writes a visit report as
PDF and as Word, `voc-desktop` starts (offscreen) until its log says `Main window shown`,
a second `voc-desktop FILE.vocbundle` hands its file to that window and ends, and
`voc-desktop-debug` answers `--version` and writes its log to the console. On Linux
every library in the folder must find each library and symbol it links: in the folder,
except those deliberately left to the system, which must come from the system. Each check
prints one line; any failure ends in `smoke test FAILED` lines and exit code 1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

SHOWN = "Main window shown"
# Linux: the libraries the folder leaves to the system on purpose (LEFT_TO_SYSTEM in
# voc-desktop.spec; tests/test_packaging.py checks the two lists agree) and those no Linux app
# bundles: glibc's, and the graphics stack that must match the system's drivers (OpenGL and
# EGL, libdrm, libxcb, Wayland's client libraries). Any other library must come from the
# folder.
LEFT_TO_SYSTEM = [
    "libstdc++.so.6", "libgcc_s.so.1", "libX11.so.6", "libX11-xcb.so.1",
    "libfontconfig.so.1", "libfreetype.so.6", "libglib-2.0.so.0", "libgthread-2.0.so.0",
    "libdbus-1.so.3", "libz.so.1", "libzstd.so.1", "liblzma.so.5", "libuuid.so.1",
]
BASE_SYSTEM = re.compile(
    r"ld-linux(-x86-64|-aarch64)?\.so\.\d|lib(c|m|dl|pthread|rt|resolv|util|anl)\.so\.\d"
    r"|lib(E?GL|GLX|OpenGL|GLdispatch|drm)\.so\.\d|libxcb(-dri\d)?\.so\.\d"
    r"|libwayland-(client|cursor|egl)\.so\.\d")
START_TIMEOUT = 60.0
COMMAND_TIMEOUT = 120.0


class Failed(Exception):
    """One check did not hold."""


class Smoke:
    def __init__(self, app: Path, scratch: Path) -> None:
        self.app = app
        self.data = scratch / "workspace"
        self.scratch = scratch
        suffix = ".exe" if sys.platform == "win32" else ""
        self.voc = app / f"voc{suffix}"
        self.gui = app / f"voc-desktop{suffix}"
        self.debug = app / f"voc-desktop-debug{suffix}"
        # the app's own settings and caches go to the scratch folder, not the user's
        self.env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
                    "XDG_CONFIG_HOME": str(scratch / "config"),
                    "XDG_CACHE_HOME": str(scratch / "cache")}
        self.env.pop("VOC_DATA_DIR", None)
        self.env.pop("VOC_LOG_CONSOLE", None)

    def run(self, *args: str | Path,
            timeout: float = COMMAND_TIMEOUT) -> subprocess.CompletedProcess[str]:
        command = [str(a) for a in args]
        shown = " ".join([Path(command[0]).name, *command[1:]])
        try:
            done = subprocess.run(command, env=self.env, capture_output=True, text=True,
                                  timeout=timeout, cwd=self.scratch)
        except subprocess.TimeoutExpired as exc:
            raise Failed(f"`{shown}` did not finish in {timeout:.0f} s") from exc
        if done.returncode != 0:
            raise Failed(f"`{shown}` exited {done.returncode}: "
                         f"{tail(done.stderr or done.stdout)}")
        return done

    def start_until_shown(self, program: Path, watched: Path, output: Path,
                          meanwhile: Callable[[], None] | None = None) -> float:
        """Start a window program, wait until `watched` says it was shown, check it is
        still running (after `meanwhile`, if given), stop it; the seconds it took."""
        started = time.perf_counter()
        with open(output, "w") as out:
            proc = subprocess.Popen([str(program), "--data-dir", str(self.data)],
                                    env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                    cwd=self.scratch)
        try:
            while SHOWN not in read(watched):
                if proc.poll() is not None:
                    raise Failed(f"{program.name} exited {proc.returncode} before its window "
                                 f"showed: {tail(read(output) or read(watched))}")
                if time.perf_counter() - started > START_TIMEOUT:
                    raise Failed(f"{program.name} did not log '{SHOWN}' in {watched.name} "
                                 f"within {START_TIMEOUT:.0f} s: {tail(read(watched))}")
                time.sleep(0.05)
            seconds = time.perf_counter() - started
            time.sleep(0.5)  # still there a moment later: shown, not shown and crashed
            if meanwhile is not None:
                meanwhile()
            if proc.poll() is not None:
                raise Failed(f"{program.name} exited {proc.returncode} right after its "
                             f"window showed: {tail(read(output))}")
        finally:
            stop(proc)
        return seconds

    # -- the checks, in order ---------------------------------------------------------

    def programs_exist(self) -> str:
        missing = [p.name for p in (self.voc, self.gui, self.debug) if not p.is_file()]
        if missing:
            raise Failed(f"missing from {self.app}: {', '.join(missing)}")
        return "three programs present"

    def libraries_resolve(self) -> str:
        if not sys.platform.startswith("linux"):
            return "library links not checked on this system"
        ldd, objdump = shutil.which("ldd"), shutil.which("objdump")
        if not ldd or not objdump:
            raise Failed("checking the library links needs ldd and objdump (binutils)")
        # the programs put _internal/ first on the library path; look up the links the same way
        env = {**os.environ, "LD_LIBRARY_PATH": str(self.app / "_internal")}
        files = sorted(self.app.rglob("*"))
        broken = [f"{path.relative_to(self.app)}: a link to nothing"
                  for path in files if path.is_symlink() and not path.exists()]
        broken += [f"{path.relative_to(self.app)}: bundled, though left to the system"
                   for path in files if path.name in LEFT_TO_SYSTEM]
        from_system: set[str] = set()
        for path in files:
            if path.is_symlink() or not path.is_file() or not is_elf(path):
                continue
            where = path.relative_to(self.app)
            found, missing_symbols = resolve(ldd, path, env)
            for name in linked_names(objdump, path):
                target = found.get(name)
                if target is None:
                    broken.append(f"{where}: {name} not found")
                elif not target.is_relative_to(self.app):
                    from_system.add(name)
                    if name not in LEFT_TO_SYSTEM and not BASE_SYSTEM.fullmatch(name):
                        broken.append(f"{where}: {name} comes from the system ({target}), "
                                      "not from the folder")
            broken += [f"{where}: {symbol} is defined nowhere" for symbol in missing_symbols]
        if broken:
            raise Failed("libraries that do not resolve as they should:\n    "
                         + "\n    ".join(broken[:20]))
        left = sorted(from_system & set(LEFT_TO_SYSTEM))
        return ("every library finds the libraries and symbols it links; from the system: "
                f"glibc, the graphics stack and {', '.join(left)}")

    def demo(self) -> str:
        self.run(self.voc, "--data-dir", self.data, "demo")
        listed = self.run(self.voc, "--data-dir", self.data, "visit", "list", "--status",
                          "completed", "--json").stdout
        self.visit = json.loads(listed)[0]["id"]
        return f"voc demo made a workspace with {len(json.loads(listed))} completed visits"

    def pdf_report(self) -> str:
        out = self.scratch / "report.pdf"
        self.run(self.voc, "--data-dir", self.data, "report", self.visit, "-o", out)
        head = out.read_bytes()[:5] if out.exists() else b""
        if head != b"%PDF-":
            raise Failed(f"the PDF report starts with {head!r}, not %PDF-")
        return f"voc report wrote a PDF ({out.stat().st_size // 1000} kB)"

    def docx_report(self) -> str:
        out = self.scratch / "report.docx"
        self.run(self.voc, "--data-dir", self.data, "report", self.visit, "--format", "docx",
                 "-o", out)
        try:
            with zipfile.ZipFile(out) as zf:
                body = zf.read("word/document.xml")
        except (OSError, zipfile.BadZipFile, KeyError) as exc:
            raise Failed(f"the Word report is not a document: {exc}") from exc
        if b"<w:body" not in body:
            raise Failed("the Word report's word/document.xml has no body")
        return f"voc report wrote a Word document ({out.stat().st_size // 1000} kB)"

    def window_shows(self) -> str:
        log = self.data / "logs" / "voc-desktop.log"
        seconds = self.start_until_shown(self.gui, log, self.scratch / "gui.out")
        return f"voc-desktop showed its window in {seconds:.1f} s and was running"

    def file_hand_off(self) -> str:
        # what a double-click on a .vocbundle runs while the app is open: the second start
        # passes the file to the running window over a local socket and ends
        bundle = self.scratch / "laptop.vocbundle"
        self.run(self.voc, "--data-dir", self.data, "bundle", "export", "--no-encrypt",
                 "-o", bundle)
        log = self.data / "logs" / "voc-desktop.log"
        log.unlink(missing_ok=True)

        def open_the_file() -> None:
            # a second start that opened its own window would still be running
            self.run(self.gui, "--data-dir", self.data, bundle, timeout=START_TIMEOUT)

        self.start_until_shown(self.gui, log, self.scratch / "first.out", open_the_file)
        return "voc-desktop FILE.vocbundle handed the file to the running window and ended"

    def debug_variant(self) -> str:
        version = self.run(self.debug, "--version").stdout.strip()
        if not version.startswith("voc-desktop "):
            raise Failed(f"voc-desktop-debug --version printed {version!r}")
        # the console variant writes its log to the console as well as to the file
        console = self.scratch / "debug.out"
        self.start_until_shown(self.debug, console, console)
        return f"voc-desktop-debug answers --version ({version}) and logs to the console"


def linked_names(objdump: str, path: Path) -> list[str]:
    """The libraries an ELF file names itself (DT_NEEDED), not the whole tree ldd shows."""
    out = subprocess.run([objdump, "-p", str(path)], capture_output=True, text=True).stdout
    return re.findall(r"^\s+NEEDED\s+(\S+)$", out, re.MULTILINE)


def resolve(ldd: str, path: Path, env: dict[str, str]) -> tuple[dict[str, Path], list[str]]:
    """Where the dynamic linker finds each library in the file's tree, and the symbols it
    finds nowhere. Python's C API is left out: the program loads libpython before any
    extension module."""
    done = subprocess.run([ldd, "-r", str(path)], capture_output=True, text=True, env=env)
    found: dict[str, Path] = {}
    missing = []
    for line in (done.stdout + done.stderr).splitlines():
        if match := re.match(r"\s*(\S+) => (/\S+)", line):
            found[match[1]] = Path(match[2]).resolve()
        elif match := re.match(r"\s*(/\S+) \(0x", line):  # the dynamic linker itself
            found[Path(match[1]).name] = Path(match[1]).resolve()
        elif (match := re.match(r"undefined symbol: (\S+)", line)) and not re.match(
                r"_?Py", match[1]):
            missing.append(match[1])
    return found, missing


def is_elf(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == b"\x7fELF"
    except OSError:
        return False


def read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def tail(text: str, lines: int = 8) -> str:
    kept = [line for line in text.strip().splitlines() if line.strip()][-lines:]
    return ("\n    " + "\n    ".join(kept)) if kept else "(no output)"


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("app", type=Path, help="the built app folder, e.g. dist/voc-desktop")
    args = parser.parse_args(argv)
    app = args.app.resolve()
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="voc-smoke-") as scratch:
        smoke = Smoke(app, Path(scratch))
        checks: list[Callable[[], str]] = [
            smoke.programs_exist, smoke.libraries_resolve, smoke.demo, smoke.pdf_report,
            smoke.docx_report, smoke.window_shows, smoke.file_hand_off, smoke.debug_variant]
        for check in checks:
            try:
                print(f"ok: {check()}", flush=True)
                passed += 1
            except Failed as exc:
                print(f"smoke test FAILED: {exc}", flush=True)
                failed += 1
                if check in (smoke.programs_exist, smoke.demo):
                    break  # the later checks need what this one makes
    print(f"smoke: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
