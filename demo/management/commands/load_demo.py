from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.accounts import ACCOUNTS, DEMO_PASSWORD
from demo.district import load_demo_cases, load_district
from demo.history import load_demo_history


class Command(BaseCommand):
    help = "载入演示区（演示数据）：网格、单位、各角色演示账号、诉求、民生实事项目。可重复执行；不改动真实的办事指南。"

    @transaction.atomic
    def handle(self, *args, **options):
        if settings.PRODUCTION:  # demo accounts share one published password
            raise CommandError("生产环境（MINSHENG_ENV=production）不能载入演示数据")
        for account in ACCOUNTS:
            user, created = User.objects.get_or_create(username=account.username)
            user.first_name = account.display_name
            user.is_staff = account.staff
            user.is_superuser = account.superuser
            if created:
                user.set_password(DEMO_PASSWORD)
            user.save()
            if account.permissions:
                codenames = [p.split(".", 1)[1] for p in account.permissions]
                user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
        district = load_district()
        cases = load_demo_cases()
        history = load_demo_history()
        projects = _load_projects()
        self.stdout.write(
            f"演示区：{district['communities']} 个社区、{district['compounds']} 个小区、{district['people']} 个演示账号；"
            f"新建演示诉求 {cases} 件、历史诉求 {history} 件；民生实事项目 {projects} 个（密码 {DEMO_PASSWORD}）"
        )


def _load_projects() -> int:
    try:
        from projects.demo import load_demo_projects
    except ImportError:  # the projects app is optional for the demo
        return 0
    return load_demo_projects()
