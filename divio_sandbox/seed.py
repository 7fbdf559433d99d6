"""Deterministic seeded data: the scenario every test relies on, plus realistic filler.

Everything is drawn from ``random.Random`` instances seeded from the sandbox seed: one stream
for the fixed world (organisations, users, applications, ...) and one for the backup history,
so the scenario's ids do not change when ``backups`` changes.

Scenario (alice sees all of it; mallory sees none of it):

* ``example-application``: environments ``test``, ``live``, ``feature-x``. ``live`` has
  DATABASE/DEFAULT, DATABASE/ANALYTICS and STORAGE/DEFAULT and the longest backup history. Its
  four newest backups are, newest first: one still running (it ends as FAILURE hours after the
  epoch), a FAILURE, a PARTIAL (both databases failed, storage succeeded) and a SUCCESS covering
  all three instances: the latest usable backup is that fourth one, three days old.
* ``fresh-application``: ``test`` (no service instances, never deployed) and ``live`` with
  only DATABASE/DEFAULT, whose backups are all FAILURE or still running.
* ``other-application``: in mallory's organisation.

A third user, ``victor``, is a read-only member of alice's organisation: he sees what alice
sees, and every write he attempts is refused with DRF's 403. A fourth, ``nora``, belongs to no
organisation yet: her token is valid and sees no application at all.
"""

import gc
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from divio_sandbox import records as r
from divio_sandbox.clock import EPOCH, Clock
from divio_sandbox.ids import new_id, new_token
from divio_sandbox.store import Store

#: Backups seeded when no size is given: enough that listing them all spans many pages.
DEFAULT_BACKUPS = 600
#: The live environment of example-application holds this share of all backups ...
EXAMPLE_LIVE_SHARE = 4
#: ... but at most this many, and at least the scenario's fixed newest four plus history.
EXAMPLE_LIVE_MAX = 400
EXAMPLE_LIVE_MIN = 8
#: Backups of fresh-application's live environment (three failures and a running one).
FRESH_LIVE_BACKUPS = 4
#: The smallest ``backups`` value: the scenario needs this many.
MIN_BACKUPS = EXAMPLE_LIVE_MIN + FRESH_LIVE_BACKUPS
#: How far back the seeded backup history reaches.
HISTORY = timedelta(days=180)
#: Seeded backups still running at the epoch end this long after it (as failures).
STUCK = timedelta(hours=12)

DAY = timedelta(days=1)
DB, STORAGE = "DATABASE", "STORAGE"

#: (slug, name, owner, [(environment slug, branch, [(type, prefix, service identifier)])])
AppSpec = tuple[str, str, str, list[tuple[str, str, list[tuple[str, str, str]]]]]
STANDARD = [(DB, "DEFAULT", "postgres-16"), (STORAGE, "DEFAULT", "s3")]
STANDARD_ENVIRONMENTS = [("test", "develop", STANDARD), ("live", "main", STANDARD)]
APPS: list[AppSpec] = [
    (
        "example-application",
        "Example Application",
        "example",
        [
            ("test", "develop", STANDARD),
            (
                "live",
                "main",
                [
                    (DB, "DEFAULT", "postgres-16"),
                    (DB, "ANALYTICS", "postgres-16"),
                    (STORAGE, "DEFAULT", "s3"),
                ],
            ),
            ("feature-x", "feature/x", [(DB, "DEFAULT", "postgres-16")]),
        ],
    ),
    (
        "fresh-application",
        "Fresh Application",
        "example",
        [("test", "main", []), ("live", "main", [(DB, "DEFAULT", "postgres-16")])],
    ),
    *[
        (
            slug,
            slug.replace("-", " ").title(),
            "example",
            [("test", "develop", STANDARD), ("live", "main", STANDARD)],
        )
        for slug in (
            "marketing-site",
            "customer-portal",
            "shop-backend",
            "data-pipeline",
            "docs-portal",
        )
    ],
    (
        "legacy-crm",
        "Legacy CRM",
        "example",
        [
            ("test", "master", [(DB, "DEFAULT", "mysql-8")]),
            (
                "live",
                "master",
                [(DB, "DEFAULT", "mysql-8"), (DB, "LEGACY", "mysql-8"), (STORAGE, "DEFAULT", "s3")],
            ),
        ],
    ),
    (
        "other-application",
        "Other Application",
        "mallory",
        [("test", "main", STANDARD), ("live", "main", STANDARD)],
    ),
    (
        "mallory-tools",
        "Mallory Tools",
        "mallory",
        [("live", "main", [(DB, "DEFAULT", "postgres-16")])],
    ),
]

REGIONS = ["Europe (Frankfurt)", "United States (Virginia)", "Asia Pacific (Sydney)"]
#: (identifier, name, type, description)
SERVICES = [
    ("postgres-16", "PostgreSQL 16", DB, "Managed PostgreSQL database."),
    ("mysql-8", "MySQL 8", DB, "Managed MySQL database."),
    ("s3", "Object storage", STORAGE, "S3-compatible media storage."),
    ("elasticsearch-8", "Elasticsearch 8", "ELASTICSEARCH", "Search engine."),
    ("rabbitmq-3", "RabbitMQ 3", "MESSAGE_QUEUE", "Message broker."),
]
DB_ERRORS = [
    "pg_dump: error: connection to server lost",
    "Backup timed out after 3600 seconds.",
    "pg_dump: error: query failed: ERROR: out of shared memory",
]
STORAGE_ERRORS = ["Access denied while listing the bucket.", "Backup timed out after 3600 seconds."]
STUCK_ERROR = "Backup worker stopped responding."


@dataclass(slots=True)
class _Env:
    record: r.Environment
    instances: list[r.ServiceInstance]
    weight: int


def build_store(
    seed: int = 0,
    backups: int = DEFAULT_BACKUPS,
    clock: Clock | None = None,
    extra_applications: int = 0,
) -> Store:
    """Return a store filled with the scenario and ``backups`` backups (at least MIN_BACKUPS).

    ``extra_applications`` adds that many applications (``extra-001``, ...) with a test and a
    live environment each, after the scenario's, so fleet-wide questions can be asked of
    accounts of any size; the scenario's applications and their ids stay the same.
    """
    store = Store(seed, clock or Clock())
    rng = random.Random(f"{seed}:core")
    ids = _Ids(rng)
    orgs = _organisations(store, ids, _Ids(random.Random(f"{seed}:backup-configs")))
    people = _users(store, ids, rng, orgs)
    regions = _catalogue(store, ids)
    extra = [
        (f"extra-{number:03d}", f"Extra {number:03d}", "example", STANDARD_ENVIRONMENTS)
        for number in range(1, extra_applications + 1)
    ]
    envs = _applications(store, ids, rng, orgs, people, regions, [*APPS, *extra])
    # Seeding creates ~150 000 objects at 50 000 backups and none of them is garbage: pausing the
    # cyclic collector meanwhile saves a fifth of the time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _backups(store, random.Random(f"{seed}:backups"), envs, max(backups, MIN_BACKUPS))
    finally:
        if collecting:
            gc.enable()
    _viewer(store, seed, orgs["example"])
    _newcomer(store, seed)
    return store


def _viewer(store: Store, seed: int, org: r.Organisation) -> None:
    """Victor, read-only in alice's organisation; his own stream, so nothing else moves."""
    rng = random.Random(f"{seed}:viewer")
    victor = r.User(
        new_id(rng),
        "victor",
        "Victor",
        "Viewer",
        "victor@example.com",
        "Europe/Berlin",
        EPOCH - 200 * DAY,
        frozenset({org.uuid}),
        can_write=False,
    )
    store.add_user(victor, new_token(rng))


def _newcomer(store: Store, seed: int) -> None:
    """Nora, in no organisation (a new or misplaced account); her own stream, like victor's."""
    rng = random.Random(f"{seed}:newcomer")
    nora = r.User(
        new_id(rng),
        "nora",
        "Nora",
        "Newcomer",
        "nora@example.org",
        "Europe/Paris",
        EPOCH - 2 * DAY,
        frozenset(),
    )
    store.add_user(nora, new_token(rng))


class _Ids:
    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def __call__(self) -> str:
        return new_id(self._rng)


def _micro(rng: random.Random, moment: datetime) -> datetime:
    """Give a seeded timestamp realistic microseconds."""
    return moment.replace(microsecond=rng.randrange(1_000_000))


def _organisations(store: Store, ids: _Ids, configs: _Ids) -> dict[str, r.Organisation]:
    """The two organisations; their backup config ids come from ``configs``, a stream of their
    own, so that adding them moved no other seeded id."""
    orgs = {
        "example": r.Organisation(
            ids(), "Example Organisation", EPOCH - 900 * DAY, configs(), configs()
        ),
        "mallory": r.Organisation(
            ids(), "Mallory Industries", EPOCH - 400 * DAY, configs(), configs()
        ),
    }
    store.organisations.extend(orgs.values())
    return orgs


def _users(
    store: Store, ids: _Ids, rng: random.Random, orgs: dict[str, r.Organisation]
) -> dict[str, r.User]:
    alice = r.User(
        ids(),
        "alice",
        "Alice",
        "Example",
        "alice@example.com",
        "Europe/Zurich",
        EPOCH - 890 * DAY,
        frozenset({orgs["example"].uuid}),
    )
    mallory = r.User(
        ids(),
        "mallory",
        "Mallory",
        "Mallet",
        "mallory@example.net",
        "Africa/Abidjan",
        EPOCH - 390 * DAY,
        frozenset({orgs["mallory"].uuid}),
    )
    for person in (alice, mallory):
        store.add_user(person, new_token(rng))
    return {"example": alice, "mallory": mallory}


def _catalogue(store: Store, ids: _Ids) -> list[r.Region]:
    regions = [r.Region(ids(), name) for name in REGIONS]
    store.regions.extend(regions)
    store.services.extend(
        r.Service(ids(), region.uuid, name, kind, description, identifier)
        for region in regions
        for identifier, name, kind, description in SERVICES
    )
    templates = [
        ("django", "Django", "A Django project with PostgreSQL and media storage.", True),
        ("wagtail", "Wagtail", "The Wagtail CMS on Django.", False),
        ("flask", "Flask", "A minimal Flask application.", False),
        ("php-laravel", "Laravel", "A PHP Laravel application with MySQL.", False),
    ]
    store.app_templates.extend(
        r.AppTemplate(
            ids(),
            identifier,
            name,
            description,
            default,
            order,
            f"https://github.com/divio/{identifier}-divio-quickstart",
            [{"label": "migrate", "command": "python manage.py migrate"}] if order < 3 else [],
            [
                {"identifier": "postgres-16" if order < 3 else "mysql-8", "prefix": "DEFAULT"},
                {"identifier": "s3", "prefix": "DEFAULT"},
            ],
            [{"name": "language", "value": "php" if order == 3 else "python"}],
        )
        for order, (identifier, name, description, default) in enumerate(templates)
    )
    return regions


def _applications(
    store: Store,
    ids: _Ids,
    rng: random.Random,
    orgs: dict[str, r.Organisation],
    people: dict[str, r.User],
    regions: list[r.Region],
    apps: list[AppSpec],
) -> dict[tuple[str, str], _Env]:
    services = {(s.region, s.identifier): s for s in store.services.rows.values()}
    envs: dict[tuple[str, str], _Env] = {}
    for number, (slug, name, owner, env_specs) in enumerate(apps):
        org, author = orgs[owner].uuid, people[owner]
        created = _micro(rng, EPOCH - (700 - 40 * number) * DAY)
        region = regions[number % 2].uuid
        app = r.Application(ids(), org, slug, name, region, None, created)
        if slug == "shop-backend":
            repo = r.Repository(
                ids(),
                org,
                "git@github.com:example/shop-backend.git",
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGRpdmlvLXNhbmRib3gtZGVwbG95LWtleQ sandbox",
                created,
                created,
            )
            store.repositories.add(repo)
            app.repository = repo.uuid
        store.applications.add(app)
        for env_slug, branch, instances in env_specs:
            env = r.Environment(ids(), org, app.uuid, env_slug, branch, created)
            store.environments.add(env)
            sis = [
                r.ServiceInstance(
                    ids(),
                    org,
                    app.uuid,
                    env.uuid,
                    services[(region, identifier)].uuid,
                    region,
                    prefix,
                    kind,
                    created,
                    created + timedelta(minutes=5),
                )
                for kind, prefix, identifier in instances
            ]
            store.service_instances.extend(sis)
            envs[(slug, env_slug)] = _Env(env, sis, 3 if env_slug == "live" else 1)
            never_deployed = (slug, env_slug) == ("fresh-application", "test")
            _environment_extras(store, ids, rng, app, env, author, never_deployed)
        _activities(store, ids, rng, app, author)
    for owner, organisation in orgs.items():
        store.invoices.extend(
            r.Invoice(
                ids(),
                organisation.uuid,
                f"INV-{owner[:2].upper()}-{2026_00 + month}",
                EPOCH - (6 - month) * 30 * DAY,
            )
            for month in range(1, 7)
        )
    return envs


def _environment_extras(
    store: Store,
    ids: _Ids,
    rng: random.Random,
    app: r.Application,
    env: r.Environment,
    author: r.User,
    never_deployed: bool,
) -> None:
    """Variables, deployments (all finished), builds, domains and patches of one environment."""
    variables = [
        ("DJANGO_SETTINGS_MODULE", "settings", False),
        ("DEBUG", "False" if env.slug == "live" else "True", False),
        ("ALLOWED_HOSTS", f"{app.slug}.sandbox.localhost", False),
        ("SECRET_KEY", f"{rng.getrandbits(192):048x}", True),
    ]
    if env.slug == "live":
        variables.append(
            ("SENTRY_DSN", f"https://{rng.getrandbits(64):016x}@sentry.invalid/1", True)
        )
    if env.slug == "feature-x":
        variables.append(("FEATURE_X_ENABLED", "1", False))
    store.environment_variables.extend(
        r.EnvironmentVariable(ids(), env.organisation, app.uuid, env.uuid, name, value, secret)
        for name, value, secret in variables
    )
    names = [name for name, _, _ in variables]
    count = (
        0
        if never_deployed
        else 12
        if (app.slug, env.slug) == ("example-application", "live")
        else 1 + rng.randrange(5)
    )
    for k in range(count):
        started = _micro(rng, EPOCH - (170 * (count - k) / count + 1) * DAY)
        failed = k == count // 2 and count > 3
        deployment = r.Deployment(
            ids(),
            env.organisation,
            app.uuid,
            env.uuid,
            author.uuid,
            "AUTO",
            started,
            float(rng.randrange(90, 600)),
            not failed,
            names,
        )
        store.deployments.add(deployment)
        store.builds.add(r.Build(ids(), env.organisation, app.uuid, env.uuid, started))
    if env.slug == "live":
        host = (
            "www.example.com"
            if app.slug == "example-application"
            else f"{app.slug}.sandbox.localhost"
        )
        store.domains.add(r.Domain(ids(), env.organisation, app.uuid, env.uuid, host, True))
        store.patches.add(
            r.Patch(
                ids(), env.organisation, app.uuid, "Base image security update", EPOCH - 20 * DAY
            )
        )


def _activities(
    store: Store, ids: _Ids, rng: random.Random, app: r.Application, author: r.User
) -> None:
    kinds = [
        ("deployment", "Deployed the live environment"),
        ("backup", "Created a backup"),
        ("environment_variable", "Changed environment variables"),
        ("domain", "Added a domain"),
    ]
    for k in range(6):
        kind, description = kinds[k % len(kinds)]
        removed = k == 5
        store.activities.add(
            r.ApplicationActivity(
                ids(),
                app.organisation,
                app.uuid,
                _micro(rng, EPOCH - (60 - 9 * k) * DAY),
                None if removed else author.uuid,
                "Former Colleague" if removed else f"{author.first_name} {author.last_name}",
                "former@example.com" if removed else author.email,
                kind,
                description,
                {"environment": "live"} if kind == "deployment" else None,
            )
        )


def _shares(envs: dict[tuple[str, str], _Env], total: int) -> dict[tuple[str, str], int]:
    """Split ``total`` backups: the scenario's fixed counts first, the rest by weight."""
    live = min(EXAMPLE_LIVE_MAX, max(EXAMPLE_LIVE_MIN, total // EXAMPLE_LIVE_SHARE))
    shares = {
        ("example-application", "live"): live,
        ("fresh-application", "live"): FRESH_LIVE_BACKUPS,
    }
    rest = total - live - FRESH_LIVE_BACKUPS
    others = [key for key, env in envs.items() if env.instances and key not in shares]
    weight = sum(envs[key].weight for key in others)
    for key in others:
        shares[key] = rest * envs[key].weight // weight
    leftover = rest - sum(shares[key] for key in others)
    for key in others[:leftover]:
        shares[key] += 1
    return shares


def _backups(
    store: Store, rng: random.Random, envs: dict[tuple[str, str], _Env], total: int
) -> None:
    backups: list[r.Backup] = []
    sibs: list[r.ServiceInstanceBackup] = []
    for key, count in _shares(envs, total).items():
        env = envs[key]
        fixed = list(_scenario_backups(key, env))
        newest = (
            EPOCH - timedelta(days=3, hours=1)
            if key[0] == "example-application"
            else EPOCH - timedelta(hours=1)
        )
        if key == ("fresh-application", "live"):
            history: list[tuple[datetime, str, list[list[str] | None]]] = []
        else:
            history = list(_history(rng, env, count - len(fixed), newest))
        for created, trigger, outcomes in fixed + history:
            backup_uuid = new_id(rng)
            created = _micro(rng, created)
            backup = r.Backup(
                backup_uuid,
                env.record.organisation,
                env.record.application,
                env.record.uuid,
                trigger,
                "Divio CLI pull" if trigger == "MANUAL" else None,
                None,
                created,
            )
            for instance, errors in zip(env.instances, outcomes, strict=True):
                if errors is None:
                    continue
                sib = _sib(rng, backup, instance, errors)
                backup.service_instance_backups.append(sib.uuid)
                sibs.append(sib)
            backups.append(backup)
    store.backups.extend(backups)
    store.service_instance_backups.extend(sibs)


#: One planned backup: when, trigger, and per service instance the errors (None: not covered).
Plan = tuple[datetime, str, list[list[str] | None]]


def _scenario_backups(key: tuple[str, str], env: _Env) -> Iterator[Plan]:
    """The fixed newest backups the scenario promises (see the module docstring)."""
    ok: list[str] = []
    if key == ("example-application", "live"):
        # instances: DATABASE/DEFAULT, DATABASE/ANALYTICS, STORAGE/DEFAULT
        yield EPOCH - timedelta(minutes=15), "MANUAL", [[STUCK_ERROR]] * 3
        yield (
            EPOCH - timedelta(days=1),
            "SCHEDULED",
            [[DB_ERRORS[0]], [DB_ERRORS[0]], [STORAGE_ERRORS[0]]],
        )
        yield EPOCH - timedelta(days=2), "SCHEDULED", [[DB_ERRORS[1]], [DB_ERRORS[1]], ok]
        yield EPOCH - timedelta(days=3), "SCHEDULED", [ok, ok, ok]
    elif key == ("fresh-application", "live"):
        yield EPOCH - timedelta(minutes=10), "MANUAL", [[STUCK_ERROR]]
        for days in (1, 2, 3):
            yield EPOCH - timedelta(days=days), "SCHEDULED", [[DB_ERRORS[days - 1]]]


def _history(rng: random.Random, env: _Env, count: int, newest: datetime) -> Iterator[Plan]:
    """``count`` backups spread over HISTORY before ``newest``: mostly successes, some failures."""
    spacing = HISTORY / max(count, 1)
    for k in range(count):
        created = newest - spacing * k - spacing * (rng.random() * 0.3)
        manual = rng.random() < 0.1
        outcomes: list[list[str] | None] = []
        for position, instance in enumerate(env.instances):
            if manual and position > 0:
                outcomes.append(None)
            elif rng.random() < 0.06:
                outcomes.append([rng.choice(DB_ERRORS if instance.type == DB else STORAGE_ERRORS)])
            else:
                outcomes.append([])
        yield created, "MANUAL" if manual else "SCHEDULED", outcomes


def _sib(
    rng: random.Random, backup: r.Backup, instance: r.ServiceInstance, errors: list[str]
) -> r.ServiceInstanceBackup:
    start = backup.created_at + timedelta(seconds=2 + rng.random() * 60)
    if errors == [STUCK_ERROR]:
        duration = (EPOCH + STUCK - start).total_seconds()
    elif instance.type == DB:
        duration = 20 + rng.random() * 600
    else:
        duration = 60 + rng.random() * 2400
    low, ratio = (20e6, 100.0) if instance.type == DB else (1e8, 200.0)
    size = None if errors else int(low * ratio ** rng.random())
    return r.ServiceInstanceBackup(
        new_id(rng),
        backup.organisation,
        backup.uuid,
        instance.uuid,
        instance.type,
        backup.created_at,
        start,
        duration,
        size,
        errors,
    )
