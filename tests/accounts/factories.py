from __future__ import annotations

import factory

from accounts.models import Role, ServiceArea, Team, User
from accounts.services import user_sync_groups

PASSWORD = "a-test-password"


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Service area {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")
    service_area = factory.SubFactory(ServiceAreaFactory)


class UserFactory(factory.django.DjangoModelFactory):
    """A synthetic member of staff, in the persona groups their role gives them."""

    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.test")
    role = Role.SOCIAL_WORKER
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def groups_from_role(self, create, extracted, **kwargs):
        if create:
            user_sync_groups(user=self)
