"""`resolute dev`: the whole system on this machine, until Ctrl-C; a process that dies is restarted."""

from __future__ import annotations

import signal
import threading

import typer
from rich.console import Console
from rich.table import Table

from resolute.cli.stack import SERVICES, Stack, StackConfig, StackError
from resolute.cli.supervisor import CrashBudgetExceeded, Supervisor

console = Console()


def dev_command() -> None:
    """Start the broker and the four services (SQLite under RESOLUTE_DATA_DIR); Ctrl-C drains and stops them.

    A process that dies is started again (after 1 s, doubling up to 30 s while it keeps dying); one that dies
    more than 5 times in 5 minutes stops the stack."""
    config = StackConfig.from_env()
    stack = Stack(config)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    with console.status("starting the broker, migrating and starting the services..."):
        try:
            stack.start()
        except StackError as exc:
            console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(1) from exc
    settings = Table(title="Resolute is running", show_header=True)
    settings.add_column("variable")
    settings.add_column("value")
    settings.add_row("RESOLUTE_GATEWAY_PORT", str(config.ports["gateway"]))
    settings.add_row("RESOLUTE_ADMIN_KEY", "(below)")
    settings.add_row("RESOLUTE_DATA_DIR", str(config.data_dir))
    settings.add_row("RESOLUTE_WEBHOOK_ALLOW_PRIVATE", str(config.allow_private).lower())
    settings.add_row("RESOLUTE_NOW", config.now or "(unset: real time)")
    settings.add_row("RESOLUTE_WEBHOOK_RETRY_SCHEDULE", config.retry_schedule or "5,300,1800,7200,18000,36000,36000")
    console.print(settings)
    services = Table(show_header=True)
    services.add_column("service")
    services.add_column("url")
    for name in SERVICES:
        services.add_row(name, config.url(name))
    services.add_row("broker", config.bootstrap_servers)
    console.print(services)
    console.print(f"Gateway: [bold]{config.url('gateway')}[/bold]  (API docs at {config.url('gateway')}/docs)")
    console.print(f"Admin key: {config.admin_key}", soft_wrap=True)
    console.print(
        f'Try: curl -H "Authorization: Bearer {config.admin_key}" {config.url("gateway")}/v1/services', soft_wrap=True
    )
    console.print(f"Logs: {stack.log_dir}    Press Ctrl-C to stop.")
    supervisor = Supervisor(stack)
    gave_up: CrashBudgetExceeded | None = None
    try:
        supervisor.run(stop)
    except CrashBudgetExceeded as exc:
        gave_up = exc
        console.print(f"[red]error:[/red] {exc}; stopping", soft_wrap=True)
    finally:
        with console.status("draining the pipeline and stopping..."):
            drained = stack.stop()
        console.print("stopped" + ("" if drained else " (the pipeline had not fully drained)"))
    if gave_up is not None:
        raise typer.Exit(1)
