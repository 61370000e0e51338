import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.module_loading import import_string

log = logging.getLogger("minsheng.worker")


class Command(BaseCommand):
    help = "后台任务：超时督办、逐级上报、认领池超时转社区、发送通知。轮询执行，可多开，互不重复。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只执行一轮")
        parser.add_argument("--interval", type=int, default=settings.WORKER_INTERVAL_SECONDS, help="轮询间隔（秒）")

    def handle(self, *args, once=False, interval=30, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        rounds = [import_string(path) for path in settings.WORKER_ROUNDS]
        while True:
            close_old_connections()
            counts = {}
            for run_round in rounds:  # none raises: a failure is logged and the next round tries again
                counts.update(run_round())
            if any(counts.values()):
                self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
            if once or stopping:
                return
            for _ in range(interval):
                if stopping:
                    return
                time.sleep(1)
