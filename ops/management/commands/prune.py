from django.core.management.base import BaseCommand

from ops.retention import prune


class Command(BaseCommand):
    help = "按保存期限清理个人信息：登录验证码、搜索记录、短信通知、过期的频率限制记录；项目评价和已完结诉求的手机号打码。默认只统计，加 --commit 才执行。"

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help="真正删除或打码（默认只列出）")

    def handle(self, *args, commit=False, **options):
        from core.ratelimit import prune as prune_buckets

        for rule, rows in prune(commit=commit):
            if rows is None:
                self.stdout.write(f"{rule.what}：未安装，跳过")
                continue
            verb = ("打码" if rule.mask else "删除") if commit else ("待打码" if rule.mask else "待删除")
            self.stdout.write(f"{rule.what}：{verb} {rows} 条（保存 {rule.days()} 天）")
        if commit:
            self.stdout.write(f"频率限制记录：删除 {prune_buckets()} 条（已恢复满额）")
        else:
            self.stdout.write("只是统计；加 --commit 执行。")
