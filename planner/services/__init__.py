"""Use cases shared by both front ends: profile, plan, catalogue, bundles, reports, seeding.

Qt-free. ``cli/`` and ``gui/`` parse input or display results and call these functions;
every rule that decides something (which runs can be planned, what a starter plan holds,
how a catalogue is imported) lives here or below, once.
"""
