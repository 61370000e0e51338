from django.contrib.auth.models import Permission, User
from django.core.management.base import BaseCommand
from django.db import transaction

from demo.accounts import ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "载入演示区的数据（演示账号等）。可重复执行；不会改动真实的办事指南。"

    @transaction.atomic
    def handle(self, *args, **options):
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
        self.stdout.write(f"演示账号：{', '.join(a.username for a in ACCOUNTS)}（密码 {DEMO_PASSWORD}）")
