from budget_archive.cli import cli

cli(prog_name="budget-archive")
