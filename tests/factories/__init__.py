"""factory_boy factories, one module per app: ``from tests.factories.accounts import UserFactory``."""
