from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = "从 backup 生成的目录恢复到一个新的空数据库和空的照片目录，并核对各表行数。默认只检查，加 --commit 才恢复。"

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="backup 生成的目录")
        parser.add_argument("--commit", action="store_true", help="真正恢复（默认只显示将做什么）")

    def handle(self, *args, source, commit=False, **options):
        try:
            manifest = read_manifest(source)
            total = sum(manifest["counts"].values())
            self.stdout.write(f"备份：{manifest['created']}，{manifest['engine']}，共 {total} 行")
            self.stdout.write(f"恢复到：{settings.DATABASES['default']['NAME']}，照片到 {settings.MEDIA_ROOT}")
            if not commit:
                self.stdout.write("只是检查；加 --commit 执行。")
                return
            differ = restore(source)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if differ:
            lines = "; ".join(f"{label}: {want} → {got}" for label, (want, got) in sorted(differ.items()))
            raise CommandError(f"恢复后行数与备份不符：{lines}")
        self.stdout.write(f"已恢复，{len(manifest['counts'])} 张表的行数与备份一致。")
