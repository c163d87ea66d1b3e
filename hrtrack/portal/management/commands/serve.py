import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the site with gunicorn, and run a background-job worker beside it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--port", type=int, default=int(os.getenv("HRTRACK_PORT", "8000")),
            help="port to listen on (default: HRTRACK_PORT or 8000)",
        )
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
        parser.add_argument("--workers", type=int, default=2, help="web processes (default: 2)")
        parser.add_argument("--no-worker", action="store_true", help="do not start a background-job worker")

    def handle(self, *args, port, host, workers, no_worker, **options):
        hrtrack = [sys.executable, "-m", "hrtrack.cli"]
        children = []
        if not no_worker:
            children.append(subprocess.Popen([*hrtrack, "worker"]))
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
