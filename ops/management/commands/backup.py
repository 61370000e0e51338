from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份数据库（PostgreSQL 用 pg_dump，SQLite 用在线备份）和上传的照片文件到 BACKUP_DIR 下的一个新目录。"

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, help="备份存放目录（默认 BACKUP_DIR）")
        parser.add_argument("--keep", type=int, help="保留最近几份（默认 BACKUP_KEEP）")

    def handle(self, *args, dir=None, keep=None, **options):
        try:
            path = backup(dir, keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(str(path))
