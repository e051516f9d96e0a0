"""Headless commands: the `planner` entry point and its subcommands."""
