"""A tour of the library: the README's "Library" example, as a script that runs.

    divio-sandbox                       # prints a URL and tokens; in another shell:
    DIVIO_API_URL=http://127.0.0.1:<port> DIVIO_API_TOKEN=<alice's token> \\
        python examples/library_tour.py

The token and the URL come from the environment (DIVIO_API_TOKEN, DIVIO_API_URL). The tour
changes data: it sets an environment's branch and copies an environment. Run it against a
sandbox, whose example-application it walks, not against a real account.
"""

import asyncio

from divio_ext import AsyncDivioClient, DivioClient

#: The sandbox's seeded application and environment.
APPLICATION, ENVIRONMENT = "example-application", "live"


def tour() -> None:
    with DivioClient() as client:
        # Bound objects follow relations: application -> environment -> its backups.
        app = client.applications.get_by_slug(APPLICATION)
        live = app.environment(ENVIRONMENT)
        newest = live.backups()[:5]  # newest first (computed, not trusted to the server)
        for b in newest:
            print("backup", b.uuid, b.state, b.success)

        # Every operation is a typed method named by REST structure.
        backup = client.backups.retrieve(newest[0].uuid)  # -> Backup
        for item in client.backups.list(environment=backup.environment, limit=3):  # Pager[Backup]
            print("listed", item.uuid, item.state)
        client.environments.update(live.uuid, branch="main")  # PATCH, typed fields
        staging = client.environments.copy(live.uuid, new_slug="staging")  # actions as methods
        print("copied", live.slug, "to", staging.slug)
        deployment = next(iter(client.deployments.list(environment=live.uuid, limit=1)))
        log = client.deployments.logs(deployment.uuid)  # -> DeploymentLog
        print("deployment log", type(log).__name__)
        print("me", client.me.retrieve().email)


async def async_tour() -> None:
    async with AsyncDivioClient() as client:  # the same, awaited
        app = await client.applications.get_by_slug(APPLICATION)
        async for item in client.backups.list(application=app.uuid, limit=3):
            backup = await client.backups.retrieve(item.uuid)
            print("async", backup.uuid, backup.state)


if __name__ == "__main__":
    tour()
    asyncio.run(async_tour())
