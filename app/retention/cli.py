"""`flask purge`: the retention purge, for a scheduler to run (README: "Retention")."""

import click
from flask.cli import with_appcontext

from app.extensions import db
from app.retention import purge
from app.schedule_lock import run_alone
from app.settings import services as settings
from app.timestamps import local_today


def _lines(report: purge.Report) -> list[str]:
    would = "would " if report.dry_run else ""
    lines = [f"Cases closed on or before {report.closed_before.isoformat()} and audit entries from before "
             f"{report.audit_before.strftime('%Y-%m-%d %H:%M')} UTC are due."]
    for done in report.purged:
        counts = ", ".join(f"{name} {count}" for name, count in done.counts.items())
        lines.append(f"case {done.case_id} (closed {done.closed_on.isoformat()}): {would}purge {counts}")
    for case_id, count in sorted(report.held_back.items()):
        lines.append(f"case {case_id}: held back, {count} decision(s) not yet marked as filed in the case system "
                     "(Journaliseret i fagsystemet)")
    lines.append(f"audit entries: {would}remove the personal details of {report.audit_entries}")
    lines.append(f"{'Dry run, nothing changed: ' if report.dry_run else ''}{len(report.purged)} case(s) "
                 f"{would}purged, {len(report.held_back)} held back, {report.audit_entries} audit entries {would}"
                 "stripped.")
    return lines


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="List what would be purged; change nothing.")
@with_appcontext
@run_alone("purge")
def purge_command(dry_run: bool) -> None:
    """Delete or anonymise the personal data of cases closed longer than SAMSTEM_RETENTION_DAYS ago
    (never a case with decisions not yet filed in the case system), and the personal details of
    audit entries older than SAMSTEM_AUDIT_RETENTION_DAYS. Refuses to run until both are set.
    Running it again changes nothing more."""
    try:
        case_days, audit_days = purge.periods({"RETENTION_DAYS": settings.get("retention_days"),
                                               "AUDIT_RETENTION_DAYS": settings.get("audit_retention_days")})
    except purge.RetentionNotSet as missing:
        raise click.ClickException(str(missing)) from None
    report = purge.run(local_today(), case_days, audit_days, dry_run,
                       after_each=(lambda: None) if dry_run else db.session.commit)
    for line in _lines(report):
        click.echo(line)
