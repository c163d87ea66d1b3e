import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

#: How far below the web processes the background-job workers run (os.nice): a long job (the
#: embedding of every item, training) takes the cores only when no page is waiting for them.
WORKER_NICENESS = 10


def lower_priority() -> None:
    """Lower the CPU priority of the process about to start (a worker's, as Popen's preexec_fn);
    the processes it starts in turn inherit it."""
    os.nice(WORKER_NICENESS)


def worker_commands() -> list[list[str]]:
    """The worker processes `hrtrack serve` starts: one per queue of settings.TASKS, so that a
    person's import (queue "default") never waits behind the long jobs (queue "background")."""
    hrtrack = [sys.executable, "-m", "hrtrack.cli"]
    queues = settings.TASKS["default"].get("QUEUES") or ["default"]
    return [[*hrtrack, "worker", "--queue-name", queue] for queue in queues]


class Command(BaseCommand):
    help = ("Serve the site with gunicorn, and run a background-job worker for each queue beside it, at a lower "
            "CPU priority, so that pages stay fast while a long job runs.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--port", type=int, default=int(os.getenv("HRTRACK_PORT", "8000")),
            help="port to listen on (default: HRTRACK_PORT or 8000)",
        )
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
        parser.add_argument("--workers", type=int, default=2, help="web processes (default: 2)")
        parser.add_argument("--no-worker", action="store_true", help="do not start the background-job workers")

    def handle(self, *args, port, host, workers, no_worker, **options):
        children = []
        if not no_worker:
            children.extend(subprocess.Popen(command, preexec_fn=lower_priority) for command in worker_commands())
        web = subprocess.Popen([
            sys.executable, "-m", "gunicorn", "hrtrack.wsgi:application", "--bind", f"{host}:{port}",
            "--workers", str(workers), "--access-logfile", "-",
        ])
        children.append(web)
        self.stdout.write(f"hrtrack is at http://{host}:{port}/ (Ctrl+C stops it)")

        def stop(signum, frame):
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            web.wait()
        finally:
            stop(None, None)
            for child in children:
                child.wait(timeout=30)
