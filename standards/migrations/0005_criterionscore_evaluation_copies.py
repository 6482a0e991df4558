"""Copy onto each criterion score the evaluation's fields the results filter
and group by, so the per-criterion figures read a period's scores from one
covering index instead of joining them with their evaluations. Three steps:
add nullable, fill from the evaluations, make the always-set ones required."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

COPIED = ["interaction_date", "channel_id", "employee_id", "org_unit_id", "calibration_id"]


def fill(apps, schema_editor):
    """One UPDATE … FROM on PostgreSQL; correlated subqueries elsewhere."""
    CriterionScore = apps.get_model("standards", "CriterionScore")
    Evaluation = apps.get_model("standards", "Evaluation")
    if schema_editor.connection.vendor == "postgresql":
        score = CriterionScore._meta.db_table
        evaluation = Evaluation._meta.db_table
        sets = ", ".join(f"{c} = e.{c}" for c in COPIED)
        schema_editor.execute(
            f"UPDATE {score} s SET {sets} FROM {evaluation} e "
            "WHERE e.id = s.evaluation_id"
        )
        return
    evaluation = Evaluation.objects.filter(pk=models.OuterRef("evaluation_id"))
    CriterionScore.objects.update(
        **{c: models.Subquery(evaluation.values(c)[:1]) for c in COPIED}
    )


def copy(field: str):
    return {
        "channel": ("qms.channel", "channel"),
        "employee": (settings.AUTH_USER_MODEL, "evaluated employee"),
        "org_unit": ("qms.orgunit", "unit"),
        "calibration": ("standards.calibrationsession", "calibration session"),
    }[field]


def fk(field: str, *, null: bool):
    to, verbose = copy(field)
    return models.ForeignKey(
        blank=null,
        db_index=False,
        editable=False,
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to=to,
        verbose_name=verbose,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("qms", "0001_initial"),
        ("standards", "0004_roles_for_evaluations"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="criterionscore",
            name="interaction_date",
            field=models.DateField(
                editable=False, null=True, verbose_name="interaction date"
            ),
        ),
        migrations.AddField(
            model_name="criterionscore",
            name="channel",
            field=fk("channel", null=True),
        ),
        migrations.AddField(
            model_name="criterionscore",
            name="employee",
            field=fk("employee", null=True),
        ),
        migrations.AddField(
            model_name="criterionscore",
            name="org_unit",
            field=fk("org_unit", null=True),
        ),
        migrations.AddField(
            model_name="criterionscore",
            name="calibration",
            field=fk("calibration", null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="criterionscore",
            name="interaction_date",
            field=models.DateField(editable=False, verbose_name="interaction date"),
        ),
        migrations.AlterField(
            model_name="criterionscore",
            name="channel",
            field=fk("channel", null=False),
        ),
        migrations.AlterField(
            model_name="criterionscore",
            name="employee",
            field=fk("employee", null=False),
        ),
        migrations.AddIndex(
            model_name="criterionscore",
            index=models.Index(
                condition=models.Q(
                    ("calibration__isnull", True), ("failed__isnull", False)
                ),
                fields=["interaction_date"],
                include=(
                    "id",
                    "criterion",
                    "failed",
                    "employee",
                    "channel",
                    "org_unit",
                ),
                name="score_results_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="evaluation",
            index=models.Index(
                condition=models.Q(("calibration__isnull", True)),
                fields=["interaction_date"],
                include=(
                    "id",
                    "channel",
                    "org_unit",
                    "employee",
                    "standard",
                    "score",
                    "critical_fail",
                    "compliant",
                ),
                name="evaluation_results_idx",
            ),
        ),
    ]
