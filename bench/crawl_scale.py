"""Crawl throughput at scale: the project's crawler against a bare Scrapy spider, both
fetching the same generated TRS WCM site of N detail pages and N PDFs from a real nginx.

    .venv/bin/python bench/crawl_scale.py --details 10000 [--concurrency 8] [--repeat R]
        [--no-extract] [--no-drain] [--only bare|ours] [--keep]

What it does:

1. writes a static TRS-style section into a temporary folder: list pages
   ``/zwgk/ys/index.html``, ``index_1.html`` … (20 entries a page, the page count only in
   the ``createPageHTML()`` pager script), N detail pages ``202503/t20250302_<n>.html``
   titled 演示市第<n>局2025年部门预算, each linking one PDF ``P0<n>.pdf``. The PDFs are real
   budget documents rendered by the demo portal's renderer (a dozen variants, cached under
   the system temp folder between runs), each made distinct by a comment line after
   ``%%EOF``, so every file has its own SHA-256 and is stored and extracted on its own;
2. serves it with nginx (Debian ``nginx-light``; static files with ETag/Last-Modified) on
   a free local port, started from a generated config and stopped at the end;
3. runs the baseline, ``bench/bare_spider.py`` under ``scrapy runspider`` (list pages,
   details, PDFs through Scrapy's stock ``FilesPipeline``), and the project's
   ``budget-archive crawl`` with a one-portal TOML, each in its own process with the same
   concurrency (``CONCURRENT_REQUESTS=16``, per domain ``--concurrency``, no delay, no
   AutoThrottle, robots.txt obeyed). When ``crawl`` has ``--extraction``, ours runs with
   ``--extraction later`` and ``budget-archive reextract --workers <cores>`` is timed after it
   as the drain (unless ``--no-drain``: it takes about 0.6 CPU s a PDF); ``--no-extract``
   adds a run with ``--extraction off``. Without the option ours runs as it is
   (extracting, waiting for the extraction at the end), and says so.

Figures per run, for the whole process tree (the command and every process it starts):
wall seconds; details per second and its ratio to the bare spider's; CPU seconds (user +
sys of every process of the run's process group, from ``wait4()``: the bench reaps orphans
as a child subreaper) and of the command's own process alone (``main s``, from ``/proc``);
CPU ms per detail; peak RSS of the main process (its VmHWM) and
peak of the tree's summed RSS (sampled every 0.1 s from ``/proc``); files stored; nginx's
CPU seconds during the run; and the CPU seconds used meanwhile by anything else on the
machine (``/proc/stat`` busy + steal, less the run, nginx and the bench), since on a shared
2-core machine a concurrent test run skews the figures. With ``--repeat R`` each run is repeated R times (alternating)
and the medians are printed too. A run that did not fetch all N details and N PDFs gets a
loud warning. Logs of every run stay in the run folder with ``--keep``.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import hashlib
import html
import json
import os
import resource
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
BARE_SPIDER = Path(__file__).resolve().with_name("bare_spider.py")
LIST_DIR = "/zwgk/ys"
PER_PAGE = 20
YEAR = 2025
VARIANTS = 12
PORTAL_ID = "bench"
PDF_CACHE = Path(tempfile.gettempdir()) / "budget-archive-bench-pdfs"
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PR_SET_CHILD_SUBREAPER = 36


# --- the site --------------------------------------------------------------------------


def title_of(n: int) -> str:
    return f"演示市第{n}局{YEAR}年部门预算"


def _page(title: str, head: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n{head}</head>\n<body>\n"
        '<div class="header"><a href="/">演示市人民政府</a></div>\n'
        f'<div class="main">\n{body}\n</div>\n'
        '<div class="footer">主办：演示市人民政府办公室（基准测试站点，内容由程序生成）</div>\n'
        "</body>\n</html>\n"
    )


def list_page(numbers: Sequence[int], page: int, pages: int, total: int) -> str:
    lis = "\n".join(
        f'<li><a href="./202503/t20250302_{n}.html" title="{html.escape(title_of(n))}">'
        f"{html.escape(title_of(n))}</a><span>2025-03-02</span></li>"
        for n in numbers
    )
    body = (
        '<div class="crumb">当前位置：<a href="/">首页</a> &gt; 政务公开 &gt; 部门预算</div>\n'
        f'<ul class="list">\n{lis}\n</ul>\n<div id="page_div"></div>\n'
        f"<script>createPageHTML('page_div', {pages}, {page}, 'index', 'html', {total});</script>"
    )
    return _page("部门预算_演示市人民政府", "", body)


def detail_page(n: int) -> str:
    title = html.escape(title_of(n))
    head = (
        '<meta name="SiteName" content="演示市人民政府">\n'
        '<meta name="ColumnName" content="部门预算">\n'
        f'<meta name="ArticleTitle" content="{title}">\n'
        '<meta name="PubDate" content="2025-03-02 09:30">\n'
    )
    body = (
        f"<h1>{title}</h1>\n"
        '<div class="info"><span>发布时间：2025-03-02</span></div>\n'
        '<div class="trs_editor_view TRS_UEDITOR trs_paper_default">'
        "<p>根据《中华人民共和国预算法》和《地方预决算公开操作规程》的规定，现将"
        f"{title}公开如下，详见附件。</p>\n"
        f'<p><a href="./P0{n}.pdf">{title}.pdf</a></p></div>'
    )
    return _page(f"{title_of(n)}_部门预算_演示市人民政府", head, body)


def base_pdfs(count: int) -> list[bytes]:
    """``count`` budget PDFs from the demo renderer, cached by the renderer's and seeds'
    bytes (rendering needs reportlab and takes a fraction of a second each)."""
    # bench/extract.py would shadow the extract package the renderer imports
    here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from demo_portal import render

    digest = hashlib.sha256(Path(render.__file__).read_bytes())
    seeds = Path(render.__file__).with_name("seeds")
    for path in sorted(seeds.iterdir()):
        digest.update(path.name.encode() + path.read_bytes())
    folder = PDF_CACHE / f"{digest.hexdigest()[:16]}-{count}"
    paths = [folder / f"variant-{k:02d}.pdf" for k in range(count)]
    if all(p.is_file() for p in paths):
        return [p.read_bytes() for p in paths]
    folder.mkdir(parents=True, exist_ok=True)
    loaded = render.load_seeds()
    pdfs = []
    for k, path in enumerate(paths):
        doc = render.make_variant(
            loaded[k % len(loaded)], unit_name=f"演示市第{k + 1}局", year=YEAR, factor=0.5 + k / 4
        )
        pdf = render.render_pdf(doc)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(pdf)
        tmp.replace(path)
        pdfs.append(pdf)
    return pdfs


def build_site(site: Path, details: int, pdfs: list[bytes]) -> int:
    """Write the section into ``site``; returns the number of list pages."""
    section = site / LIST_DIR.lstrip("/")
    folder = section / "202503"
    folder.mkdir(parents=True)
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    (site / "index.html").write_text(
        _page("演示市人民政府", "", f'<a href="{LIST_DIR}/index.html">部门预算</a>'), "utf-8"
    )
    numbers = list(range(1, details + 1))
    pages = max(1, -(-details // PER_PAGE))
    for p in range(pages):
        name = "index.html" if p == 0 else f"index_{p}.html"
        chunk = numbers[p * PER_PAGE : (p + 1) * PER_PAGE]
        (section / name).write_text(list_page(chunk, p, pages, details), "utf-8")
    for n in numbers:
        (folder / f"t20250302_{n}.html").write_text(detail_page(n), "utf-8")
        (folder / f"P0{n}.pdf").write_bytes(pdfs[n % len(pdfs)] + b"\n%% bench file %d\n" % n)
    for path in [site, *(p for p in site.rglob("*") if p.is_dir())]:
        path.chmod(0o755)  # nginx's workers run as nobody
    return pages


def world_readable(path: Path) -> Path | None:
    """The first folder from ``path`` up to / that others cannot enter, if any."""
    for folder in [path, *path.parents]:
        if folder.stat().st_mode & 0o005 != 0o005:
            return folder
    return None


# --- nginx -----------------------------------------------------------------------------

NGINX_CONF = """daemon off;
master_process on;
worker_processes auto;
error_log {run}/nginx/error.log warn;
pid {run}/nginx/nginx.pid;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  types {{ text/html html; application/pdf pdf; text/plain txt; }}
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 10000;
  client_body_temp_path {run}/nginx/tmp/body;
  proxy_temp_path {run}/nginx/tmp/proxy;
  fastcgi_temp_path {run}/nginx/tmp/fastcgi;
  uwsgi_temp_path {run}/nginx/tmp/uwsgi;
  scgi_temp_path {run}/nginx/tmp/scgi;
  server {{
    listen 127.0.0.1:{port};
    root {site};
  }}
}}
"""


def find_nginx() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), b""


class Nginx:
    """nginx serving ``site`` on a free local port, as a child process group."""

    def __init__(self, binary: str, run: Path, site: Path):
        self.binary, self.run, self.site = binary, run, site
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Nginx:
        (self.run / "nginx" / "tmp").mkdir(parents=True, exist_ok=True)
        conf = self.run / "nginx" / "nginx.conf"
        conf.write_text(NGINX_CONF.format(run=self.run, port=self.port, site=self.site))
        log = self.run / "nginx" / "error.log"
        cmd = [self.binary, "-p", str(self.run / "nginx"), "-c", str(conf), "-e", str(log)]
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                if fetch(self.url + "/robots.txt")[0] == 200:
                    return self
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                tail = (
                    log.read_text(errors="replace").strip().splitlines()[-3:]
                    if log.exists()
                    else []
                )
                self.__exit__()
                raise SystemExit(f"nginx did not start: {' | '.join(tail) or 'no log'}")
            time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGQUIT)  # graceful: the master stops its workers
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def cpu_seconds(self) -> float:
        return group_cpu(self.proc.pid) if self.proc else 0.0


def check_site(url: str, details: int) -> None:
    """Answers 200 for a list page, the last list page, a detail page and a PDF (with
    ETag and Last-Modified); exits with the reason otherwise."""
    pages = max(1, -(-details // PER_PAGE))
    last = f"index_{pages - 1}.html" if pages > 1 else "index.html"
    for path in (
        f"{LIST_DIR}/index.html",
        f"{LIST_DIR}/{last}",
        f"{LIST_DIR}/202503/t20250302_{details}.html",
        f"{LIST_DIR}/202503/P0{details}.pdf",
    ):
        status, headers, body = fetch(url + path)
        if status != 200:
            hint = " (site folders not world-readable?)" if status == 403 else ""
            raise SystemExit(f"nginx answered {status} for {path}{hint}")
    if not body.startswith(b"%PDF-") or not {"ETag", "Last-Modified"} <= set(headers):
        raise SystemExit(f"the PDF answer is not as expected: {headers}")


# --- measuring a process tree ----------------------------------------------------------


def _stat(pid: int) -> list[str] | None:
    """/proc/<pid>/stat fields after the command name (state is [0], ppid [1], pgrp [2])."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            raw = f.read()
    except OSError:
        return None
    return raw[raw.rfind(b")") + 2 :].decode().split()


def group_pids(pgid: int) -> Iterator[tuple[int, list[str]]]:
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields and int(fields[2]) == pgid and fields[0] != "Z":
                yield int(entry.name), fields


def group_cpu(pgid: int) -> float:
    """User + system seconds of the live processes of a process group."""
    return sum(int(f[11]) + int(f[12]) for _, f in group_pids(pgid)) / CLOCK_TICKS


def machine_cpu() -> tuple[float, float]:
    """(busy, steal) seconds of all CPUs since boot, from /proc/stat."""
    with open("/proc/stat") as f:
        ticks = [int(x) for x in f.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (ticks + [0] * 8)[:8]
    return (user + nice + system + irq + softirq) / CLOCK_TICKS, steal / CLOCK_TICKS


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _vm_hwm_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            return next((int(ln.split()[1]) for ln in status if ln.startswith("VmHWM:")), 0)
    except OSError:
        return 0


class Sampler(threading.Thread):
    """Every 0.1 s: the summed RSS of the process group, and the main process's VmHWM."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_main_kb = 0
        self.peak_tree_bytes = 0
        self.main_cpu = 0.0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.1):
            procs = list(group_pids(self.pid))
            self.peak_tree_bytes = max(
                self.peak_tree_bytes, sum(int(f[21]) for _, f in procs) * PAGE_SIZE
            )
            for pid, f in procs:
                if pid == self.pid:  # its own user + system time, without its children's
                    self.main_cpu = (int(f[11]) + int(f[12])) / CLOCK_TICKS
            self.peak_main_kb = max(self.peak_main_kb, _vm_hwm_kb(self.pid))


@dataclass
class Usage:
    wall: float
    cpu: float
    main_cpu: float
    peak_main_mb: float
    peak_tree_mb: float
    server_cpu: float
    others_cpu: float  # everything else on the machine (not the run, nginx, the bench)
    steal: float
    returncode: int
    started: float  # epoch seconds


def become_subreaper() -> None:
    """Orphans of a measured run (e.g. workers terminated, not joined) become this
    process's children, so wait4() counts their CPU too."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def measure(cmd: list[str], cwd: Path, log: Path, nginx: Nginx) -> Usage:
    """Run ``cmd`` in its own process group; wait for every process of the group."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")}
    env.update(COLUMNS="120", PYTHONWARNINGS="ignore")
    server_before = nginx.cpu_seconds()
    machine_before, steal_before = machine_cpu()
    own_before = own_cpu()
    started = time.time()
    start = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    sampler = Sampler(proc.pid)
    sampler.start()
    cpu = 0.0
    returncode = -1
    wall = 0.0
    deadline: float | None = None
    try:
        while True:  # the command, then any process of its group left behind (60 s at most)
            try:
                pid, status, usage = os.wait4(-proc.pid, os.WNOHANG if deadline else 0)
            except ChildProcessError:
                break
            if pid == 0:  # only with WNOHANG: a leftover still runs
                if time.perf_counter() > deadline:  # type: ignore[operator]
                    os.killpg(proc.pid, signal.SIGKILL)
                time.sleep(0.05)
                continue
            cpu += usage.ru_utime + usage.ru_stime
            if pid == proc.pid:
                returncode = os.waitstatus_to_exitcode(status)
                proc.returncode = returncode
                wall = time.perf_counter() - start
                deadline = time.perf_counter() + 60
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(ChildProcessError):
            while True:
                os.wait4(-proc.pid, 0)
        raise
    finally:
        sampler.done.set()
        sampler.join()
    machine_after, steal_after = machine_cpu()
    bench_cpu = own_cpu() - own_before
    server_cpu = nginx.cpu_seconds() - server_before
    return Usage(
        wall=wall,
        cpu=cpu,
        main_cpu=sampler.main_cpu,
        peak_main_mb=sampler.peak_main_kb / 1024,
        peak_tree_mb=sampler.peak_tree_bytes / 2**20,
        server_cpu=server_cpu,
        others_cpu=max(0.0, machine_after - machine_before - cpu - server_cpu - bench_cpu),
        steal=steal_after - steal_before,
        returncode=returncode,
        started=started,
    )


# --- the runs --------------------------------------------------------------------------


@dataclass
class Result:
    run: str
    usage: Usage
    details: int
    files: int
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def tail(log: Path, lines: int = 3) -> str:
    text = log.read_text(errors="replace").strip().splitlines() if log.exists() else []
    return " | ".join(line.strip() for line in text[-lines:])[:300]


def run_bare(out: Path, url: str, concurrency: int, nginx: Nginx) -> Result:
    out.mkdir()
    stats_file = out / "stats.json"
    settings = {
        "FILES_STORE": str(out / "files"),
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "ROBOTSTXT_OBEY": True,
        "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False,
    }
    cmd = [str(BIN / "scrapy"), "runspider", str(BARE_SPIDER)]
    cmd += ["-a", f"start_url={url}{LIST_DIR}/index.html", "-a", f"stats_file={stats_file}"]
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    # cwd outside the project: scrapy.cfg would load the project's settings
    usage = measure(cmd, out, out / "log.txt", nginx)
    stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    stored = sum(1 for _ in (out / "files").rglob("*.pdf")) if (out / "files").exists() else 0
    result = Result("bare", usage, int(stats.get("bare/details", 0)), stored)
    if usage.returncode != 0 or not stats:
        result.problems.append(f"exit {usage.returncode}: {tail(out / 'log.txt')}")
    items = stats.get("item_scraped_count", 0)
    downloaded = stats.get("file_status_count/downloaded", 0)
    result.notes.append(f"items {items}, files downloaded {downloaded}")
    errors = {k: v for k, v in stats.items() if "error" in k or "exception" in k}
    if errors:
        result.problems.append(f"errors in stats: {errors}")
    return result


def portals_toml(path: Path, url: str, concurrency: int) -> Path:
    path.write_text(
        f'[[portal]]\nid = "{PORTAL_ID}"\nname = "基准测试门户"\nbase_url = "{url}"\n'
        f"concurrency = {concurrency}\ndownload_delay = 0.0\nautothrottle = false\n\n"
        f'  [[portal.section]]\n  id = "ys"\n  name = "部门预算"\n  family = "trs"\n'
        f'  url = "{url}{LIST_DIR}/index.html"\n',
        "utf-8",
    )
    return path


def query(db: Path, sql: str) -> object:
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
            return conn.execute(sql).fetchone()[0]
    except sqlite3.Error as exc:
        return f"? ({exc})"


def _epoch(iso: object) -> float | None:
    if not isinstance(iso, str):
        return None
    with contextlib.suppress(ValueError):
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
    return None


def run_ours(out: Path, url: str, concurrency: int, extraction: str | None, nginx: Nginx) -> Result:
    """``budget-archive crawl`` with ``--extraction <extraction>`` (None: as it is)."""
    out.mkdir()
    archive = out / "archive"
    toml = portals_toml(out / "portals.toml", url, concurrency)
    cmd = [str(BIN / "budget-archive"), "crawl", PORTAL_ID, "--archive", str(archive)]
    cmd += ["--portals", str(toml)]
    if extraction:
        cmd += ["--extraction", extraction]
    name = f"ours-{extraction}" if extraction else "ours (as is)"
    usage = measure(cmd, ROOT, out / "log.txt", nginx)
    db = archive / "archive.db"
    details = query(db, "select count(*) from disclosures")
    files = query(db, "select count(*) from files where kind = 'pdf'")
    result = Result(
        name,
        usage,
        details if isinstance(details, int) else 0,
        files if isinstance(files, int) else 0,
    )
    if usage.returncode != 0:
        result.problems.append(f"exit {usage.returncode}: {tail(out / 'log.txt')}")
    for label, sql in (
        ("crawl", "select status from crawls order by id desc limit 1"),
        ("files downloaded", "select files_downloaded from crawls order by id desc limit 1"),
        ("fetch problems", "select count(*) from fetch_problems"),
        ("totals", "select count(*) from totals"),
    ):
        result.notes.append(f"{label} {query(db, sql)}")
    status = query(db, "select status from crawls order by id desc limit 1")
    if isinstance(status, str) and not status.startswith("finished"):
        result.problems.append(f"crawl status {status!r}")
    problems = query(db, "select count(*) from fetch_problems")
    if problems:
        kinds = query(
            db,
            "select group_concat(kind || ':' || n) from "
            "(select kind, count(*) n from fetch_problems group by kind)",
        )
        result.problems.append(f"fetch problems: {kinds}")
    last = _epoch(query(db, "select max(first_seen) from files"))
    if last is not None:
        result.notes.append(f"last file stored at {last - usage.started:.0f} s")
    return result


def run_drain(archive: Path, workers: int, nginx: Nginx) -> tuple[Usage, int, int]:
    """``budget-archive reextract --workers N`` on an archive: (usage, files done, errors)."""
    db = archive / "archive.db"
    before = query(db, "select count(*) from totals")
    cmd = [str(BIN / "budget-archive"), "reextract", "--archive", str(archive)]
    cmd += ["--workers", str(workers)]
    usage = measure(cmd, ROOT, archive.parent / "reextract-log.txt", nginx)
    after = query(db, "select count(*) from totals")
    errors = query(db, "select count(*) from totals where status = 'error'")
    done = after - before if isinstance(after, int) and isinstance(before, int) else 0
    return usage, done, errors if isinstance(errors, int) else -1


def has_extraction_option() -> bool:
    done = subprocess.run(
        [str(BIN / "budget-archive"), "crawl", "--help"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    return "--extraction" in done.stdout


# --- printing --------------------------------------------------------------------------

HEADER = (
    f"{'run':<14} {'wall s':>7} {'det/s':>6} {'ratio':>5} {'CPU s':>7} {'main s':>7} "
    f"{'ms/det':>6} {'RSS main':>8} {'RSS tree':>8} {'files':>6} {'nginx s':>7} {'other s':>7}"
)


def figures(r: Result) -> dict[str, float]:
    u = r.usage
    return {
        "wall": u.wall,
        "details": r.details,
        "cpu": u.cpu,
        "main_cpu": u.main_cpu,
        "rss_main": u.peak_main_mb,
        "rss_tree": u.peak_tree_mb,
        "files": r.files,
        "nginx": u.server_cpu,
        "others": u.others_cpu + u.steal,
    }


def row(name: str, f: dict[str, float], bare_rate: float | None) -> str:
    rate = f["details"] / f["wall"] if f["wall"] else 0.0
    ratio = f"{rate / bare_rate:.2f}" if bare_rate and not name.startswith("bare") else "-"
    per = f["cpu"] / f["details"] * 1000 if f["details"] else float("nan")
    return (
        f"{name:<14} {f['wall']:>7.1f} {rate:>6.1f} {ratio:>5} {f['cpu']:>7.1f} "
        f"{f['main_cpu']:>7.1f} {per:>6.2f} {f['rss_main']:>8.0f} {f['rss_tree']:>8.0f} "
        f"{f['files']:>6.0f} {f['nginx']:>7.1f} {f['others']:>7.1f}"
    )


def median_figures(rs: list[Result]) -> dict[str, float]:
    all_figures = [figures(r) for r in rs]
    return {k: statistics.median(f[k] for f in all_figures) for k in all_figures[0]}


def warn(result: Result, details: int) -> None:
    if result.details != details or result.files != details:
        print(
            f"!!! WARNING: {result.run} fetched {result.details}/{details} details and "
            f"{result.files}/{details} PDFs",
            flush=True,
        )
    for problem in result.problems:
        print(f"!!! WARNING: {result.run}: {problem}", flush=True)


# --- main ------------------------------------------------------------------------------


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--details", type=int, default=10000, help="detail pages (and PDFs)")
    parser.add_argument("--concurrency", type=int, default=8, help="requests per domain")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; medians printed")
    parser.add_argument("--only", choices=("bare", "ours"), help="run one side only")
    parser.add_argument(
        "--no-extract", action="store_true", help="also run ours with --extraction off"
    )
    parser.add_argument(
        "--no-drain", action="store_true", help="skip timing reextract after --extraction later"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    if args.details < 1 or args.repeat < 1 or args.concurrency < 1:
        parser.error("--details, --repeat and --concurrency must be at least 1")
    nginx_bin = find_nginx()
    if nginx_bin is None:
        raise SystemExit("nginx not found: install it with `apt-get install -y nginx-light`")
    for tool in ("scrapy", "budget-archive"):
        if not (BIN / tool).exists():
            raise SystemExit(f"{BIN / tool} missing: run `bash .ci/setup` first")
    cores = len(os.sched_getaffinity(0))
    option = args.only != "bare" and has_extraction_option()
    kinds: list[tuple[str, str | None]] = []
    if args.only != "ours":
        kinds.append(("bare", None))
    if args.only != "bare":
        kinds.append(("ours", "later" if option else None))
        if args.no_extract:
            if option:
                kinds.append(("ours", "off"))
            else:
                print("(--no-extract ignored: `budget-archive crawl` has no --extraction)")

    become_subreaper()
    # Ctrl-C, or a kill (also when started in the background, where SIGINT is ignored):
    # stop the run and nginx, remove the temporary folder.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    run = Path(tempfile.mkdtemp(prefix="crawl-scale-"))
    run.chmod(0o755)
    try:
        closed = world_readable(run)
        if closed is not None:
            raise SystemExit(f"{closed} is not world-readable: nginx (as nobody) cannot serve")
        started = time.perf_counter()
        pdfs = base_pdfs(VARIANTS)
        pages = build_site(run / "site", args.details, pdfs)
        size = sum(p.stat().st_size for p in (run / "site").rglob("*") if p.is_file())
        print(
            f"site: {args.details} details, {pages} list pages, {args.details} PDFs "
            f"({size / 2**20:.0f} MB) in {run / 'site'}, written in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
        with Nginx(nginx_bin, run, run / "site") as nginx:
            check_site(nginx.url, args.details)
            print(f"nginx at {nginx.url} (200, ETag and Last-Modified on PDFs)", flush=True)
            if args.only != "bare":
                print(
                    "ours: budget-archive crawl --extraction later"
                    + ("" if args.no_drain else f", then reextract --workers {cores} timed")
                    if option
                    else "ours: budget-archive crawl has no --extraction: run as it is "
                    "(extracting, waiting for the extraction at the end)",
                    flush=True,
                )
            print(
                f"cpus: {cores}; CONCURRENT_REQUESTS=16, per domain {args.concurrency}, "
                "no delay, no AutoThrottle, robots.txt obeyed\n",
                flush=True,
            )
            results: dict[str, list[Result]] = {}
            drains: list[tuple[Usage, int, int]] = []
            for rep in range(1, args.repeat + 1):
                for kind, extraction in kinds:
                    out = run / f"{kind}-{extraction or 'asis'}-{rep}"
                    print(f"[{rep}/{args.repeat}] {kind} {extraction or ''} …", flush=True)
                    if kind == "bare":
                        result = run_bare(out, nginx.url, args.concurrency, nginx)
                    else:
                        result = run_ours(out, nginx.url, args.concurrency, extraction, nginx)
                    results.setdefault(result.run, []).append(result)
                    print(
                        f"    {result.usage.wall:.1f} s, {result.details} details, "
                        f"{result.files} PDFs; " + "; ".join(result.notes),
                        flush=True,
                    )
                    warn(result, args.details)
                    if extraction == "later" and not args.no_drain:
                        print(f"    reextract --workers {cores} …", flush=True)
                        drain = run_drain(out / "archive", cores, nginx)
                        drains.append(drain)
                        print(f"    {drain[0].wall:.1f} s, {drain[1]} files", flush=True)
                    if not args.keep:
                        shutil.rmtree(out, ignore_errors=True)
            report(results, drains, args.details, cores)
    except KeyboardInterrupt:
        raise SystemExit("interrupted") from None
    finally:
        if args.keep:
            print(f"\nkept {run}")
        else:
            shutil.rmtree(run, ignore_errors=True)


def report(
    results: dict[str, list[Result]], drains: list[tuple[Usage, int, int]], n: int, cores: int
) -> None:
    bare = results.get("bare")
    bare_rate = statistics.median(r.details / r.usage.wall for r in bare) if bare else None
    print(
        f"\n{n} details. CPU s: whole process tree; main s: the command's own process; "
        "ms/det: tree CPU per detail; RSS in MB (main process peak / tree's summed peak); "
        "nginx s: the server's CPU; other s: CPU used by anything else on the machine "
        "(plus steal) during the run, a check that nothing disturbed it"
    )
    print(HEADER)
    for runs in results.values():
        for r in runs:
            print(row(r.run, figures(r), bare_rate))
    if any(len(rs) > 1 for rs in results.values()):
        for name, runs in results.items():
            print(row(f"{name} med", median_figures(runs), bare_rate))
    if drains:
        wall = statistics.median(d[0].wall for d in drains)
        cpu = statistics.median(d[0].cpu for d in drains)
        done = int(statistics.median(d[1] for d in drains))
        errors = max(d[2] for d in drains)
        tree = statistics.median(d[0].peak_tree_mb for d in drains)
        print(
            f"drain: reextract --workers {cores}: {wall:.1f} s for {done} files "
            f"({done / wall if wall else 0:.1f} files/s), CPU {cpu:.1f} s "
            f"({cpu / done * 1000 if done else 0:.0f} ms/file), RSS tree {tree:.0f} MB, "
            f"{errors} errors"
        )
        later = results.get("ours-later")
        if later:
            total = statistics.median(r.usage.wall for r in later) + wall
            print(f"ours-later + drain: {total:.1f} s to have every file's totals")
    asis = results.get("ours (as is)")
    if asis:
        print("ours (as is): extraction inside the crawl; its wall time includes the wait")
        for r in asis:
            print("  " + "; ".join(r.notes))


if __name__ == "__main__":
    main()
